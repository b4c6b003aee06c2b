package org.nbregistry.local.infra;

import java.util.Collection;
import java.util.Set;

/** Running Kafka, PostgreSQL and MongoDB servers, however they were provided. */
public interface Infrastructure extends AutoCloseable {

    /** Starts (or connects to) each of these servers that is not running yet. */
    void ensureStarted(Set<Server> servers);

    boolean has(Server server);

    /** @throws IllegalStateException if Kafka is not part of this infrastructure */
    KafkaEndpoint kafka();

    /** @throws IllegalStateException if PostgreSQL is not part of this infrastructure */
    PostgresEndpoint postgres();

    /** @throws IllegalStateException if MongoDB is not part of this infrastructure */
    MongoEndpoint mongodb();

    /** Creates the databases that do not exist yet. */
    default void ensureDatabases(Collection<String> databases) {
        postgres().ensureDatabases(databases);
    }

    /** Stops the Kafka broker, keeping its port and data, so a test can show what survives an outage. */
    void stopKafka();

    /** Starts the broker stopped by {@link #stopKafka()} again, on the same port with the same data. */
    void startKafka();

    default void restartKafka() {
        stopKafka();
        startKafka();
    }

    /** One line for logs: what runs where. */
    String describe();

    /** Stops what this infrastructure started; external servers are left alone. */
    @Override
    void close();
}
