package org.nbregistry.local.servers;

/** A started server: what clients connect to, and how to stop it. */
interface RunningServer extends AutoCloseable {

    /** Printed after {@code READY }; the testing module parses it. */
    String connectionString();

    @Override
    void close() throws Exception;
}
