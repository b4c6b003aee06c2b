package org.nbregistry.local.servers;

import java.nio.file.Files;
import java.nio.file.Path;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;

/**
 * A MongoDB-wire server (mongo-java-server) keeping its data in one H2 MVStore file; filters that pin {@code _id} use
 * the primary index ({@link IdAnchoredH2Backend}).
 *
 * <pre>--port 27017 --data DIR [--oplog true]</pre>
 *
 * The oplog (change streams) is off unless asked for: no service watches a change stream, and keeping it writes every
 * inserted and updated document a second time, which was a third of the server's work under load.
 */
public final class MongoServerMain {

    private MongoServerMain() {
    }

    public static void main(String[] args) {
        ServerRunner.run("mongodb", args, MongoServerMain::start);
    }

    static RunningServer start(ServerArgs args) throws Exception {
        int port = args.port("port");
        Path dataDir = args.path("data");
        Files.createDirectories(dataDir);
        H2Backend backend = new IdAnchoredH2Backend(dataDir.resolve("mongo.mv").toString());
        MongoServer server = new MongoServer(backend);
        if (Boolean.parseBoolean(args.string("oplog", "false"))) {
            server.enableOplog();
        }
        server.bind("127.0.0.1", port);
        String connection = "mongodb://127.0.0.1:" + port;
        return new RunningServer() {
            @Override
            public String connectionString() {
                return connection;
            }

            @Override
            public void close() {
                server.shutdown();
                // Closing the MVStore writes its last changes; shutdown() alone may leave them in memory.
                backend.close();
            }
        };
    }
}
