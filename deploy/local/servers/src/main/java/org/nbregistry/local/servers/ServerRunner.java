package org.nbregistry.local.servers;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The life cycle every server main shares: start, announce {@code READY <connection>} on stdout,
 * then live exactly as long as the parent holds our stdin open. A dead parent (even after
 * {@code kill -9}) closes the pipe, so EOF is the portable "parent is gone" signal; SIGTERM
 * takes the same shutdown path through the shutdown hook.
 */
final class ServerRunner {

    interface Starter {
        RunningServer start(ServerArgs args) throws Exception;
    }

    private ServerRunner() {
    }

    static void run(String name, String[] rawArgs, Starter starter) {
        AtomicReference<RunningServer> running = new AtomicReference<>();
        // Registered before starting so that SIGTERM during start-up still stops what has come up.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(name, running), name + "-stop"));
        try {
            running.set(starter.start(ServerArgs.parse(rawArgs)));
        } catch (Exception | Error e) {
            System.err.println(name + " failed to start: " + e);
            e.printStackTrace();
            System.exit(1);
        }
        // A start can leave much garbage (PostgreSQL's first start unpacks its binaries through the heap); a full
        // collection now lets the JVM give that memory back instead of keeping it committed for the server's life.
        System.gc();
        System.out.println("READY " + running.get().connectionString());
        System.out.flush();
        awaitEndOfInput(System.in);
        System.out.println(name + ": stdin closed, stopping");
        System.exit(0);
    }

    static void awaitEndOfInput(InputStream in) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // input is ignored; only its end matters
            }
        } catch (IOException e) {
            // a broken pipe means the same as EOF: the parent is gone
        }
    }

    private static void stop(String name, AtomicReference<RunningServer> running) {
        RunningServer server = running.getAndSet(null);
        if (server == null) {
            return;
        }
        long started = System.nanoTime();
        try {
            server.close();
            System.out.printf("%s stopped in %d ms%n", name, (System.nanoTime() - started) / 1_000_000);
        } catch (Exception e) {
            System.err.println(name + " did not stop cleanly: " + e);
            e.printStackTrace();
        }
        System.out.flush();
    }
}
