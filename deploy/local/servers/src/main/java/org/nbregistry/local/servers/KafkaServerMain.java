package org.nbregistry.local.servers;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * One-node Apache Kafka in KRaft mode (broker and controller in this JVM).
 *
 * <pre>--port 9092 --data DIR [--controller-port N] [--partitions 3]</pre>
 *
 * DIR holds {@code server.properties} and the log directory {@code logs/}; the storage is formatted
 * only when {@code logs/meta.properties} is absent, so topics and offsets survive restarts.
 */
public final class KafkaServerMain {

    private KafkaServerMain() {
    }

    public static void main(String[] args) {
        ServerRunner.run("kafka", args, KafkaServerMain::start);
    }

    static RunningServer start(ServerArgs args) throws IOException {
        int port = args.port("port");
        // Chosen by whoever starts the server, as the client port is: a free port looked up here could be taken by
        // another process before Kafka binds it.
        int controllerPort = args.port("controller-port");
        Path dataDir = args.path("data");
        Path logDir = dataDir.resolve("logs");
        Files.createDirectories(logDir);

        Properties props = brokerProperties(port, controllerPort, logDir,
                Integer.parseInt(args.string("partitions", "3")));
        Path configFile = dataDir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(configFile)) {
            props.store(out, "written by KafkaServerMain on every start");
        }

        if (!Files.exists(logDir.resolve("meta.properties"))) {
            // In-process formatting saves a second JVM start (2-3 s).
            int rc = StorageTool.execute(new String[] {
                "format", "-t", Uuid.randomUuid().toString(), "-c", configFile.toString()}, System.out);
            if (rc != 0) {
                throw new IllegalStateException("kafka storage format failed with exit code " + rc);
            }
        }

        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        // startup() returns once the broker is unfenced and its listeners accept requests.
        server.startup();
        String bootstrap = "127.0.0.1:" + port;
        return new RunningServer() {
            @Override
            public String connectionString() {
                return bootstrap;
            }

            @Override
            public void close() {
                server.shutdown();
                server.awaitShutdown();
            }
        };
    }

    static Properties brokerProperties(int port, int controllerPort, Path logDir, int partitions) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        p.setProperty("log.dirs", logDir.toString());
        p.setProperty("num.partitions", Integer.toString(partitions));
        p.setProperty("auto.create.topics.enable", "true");
        // A single node cannot replicate: every internal topic gets one replica.
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        // The default delays every first consumer-group join by 3 s.
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        // Fewer internal partitions: faster first group join and transaction init on one small node.
        p.setProperty("offsets.topic.num.partitions", "5");
        p.setProperty("transaction.state.log.num.partitions", "5");
        // The log cleaner would otherwise reserve 128 MiB of a 256 MiB heap for compaction.
        p.setProperty("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024));
        return p;
    }
}
