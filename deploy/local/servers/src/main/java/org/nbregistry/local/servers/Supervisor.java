package org.nbregistry.local.servers;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command that does not watch its parent (a Quarkus service) and ends it when our own
 * stdin reaches EOF, i.e. when the launcher that started us is gone, even after {@code kill -9}.
 *
 * <pre>java -cp local-servers.jar org.nbregistry.local.servers.Supervisor [--grace-seconds 20] -- command args...</pre>
 *
 * The command inherits stdout and stderr; it gets SIGTERM first and SIGKILL after the grace period.
 * Our exit code is the command's when it ends by itself.
 */
public final class Supervisor {

    private Supervisor() {
    }

    public static void main(String[] args) throws Exception {
        int separator = Arrays.asList(args).indexOf("--");
        if (separator < 0 || separator == args.length - 1) {
            System.err.println("usage: Supervisor [--grace-seconds N] -- command args...");
            System.exit(2);
        }
        ServerArgs options = ServerArgs.parse(Arrays.copyOfRange(args, 0, separator));
        long graceSeconds = Long.parseLong(options.string("grace-seconds", "20"));
        List<String> command = List.of(Arrays.copyOfRange(args, separator + 1, args.length));

        Process child = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        child.getOutputStream().close();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(child, graceSeconds), "supervisor-stop"));

        Thread watcher = new Thread(() -> {
            ServerRunner.awaitEndOfInput(System.in);
            System.exit(0); // the shutdown hook stops the child
        }, "parent-watch");
        watcher.setDaemon(true);
        watcher.start();

        int exitCode = child.waitFor();
        System.exit(exitCode);
    }

    private static void stop(Process child, long graceSeconds) {
        if (!child.isAlive()) {
            return;
        }
        child.destroy();
        try {
            if (!child.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                child.descendants().forEach(ProcessHandle::destroyForcibly);
                child.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
