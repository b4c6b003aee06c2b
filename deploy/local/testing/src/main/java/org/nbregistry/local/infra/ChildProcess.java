package org.nbregistry.local.infra;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A child process tied to us by its stdin: we keep the pipe open while we want it alive, and close
 * it to ask it to stop. The children (server mains, the service supervisor) exit on EOF, so the
 * kernel closing the pipe when we die, even by {@code kill -9}, stops them too.
 * Output goes to a log file; a line starting with {@code READY } marks the child as ready.
 */
public final class ChildProcess {

    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final String name;
    private final Process process;
    private final Path logFile;
    private final CompletableFuture<String> ready = new CompletableFuture<>();

    private ChildProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    /** Starts {@code command}, appending its stdout and stderr to {@code logFile}. */
    public static ChildProcess start(String name, List<String> command, Map<String, String> environment, Path logFile)
            throws IOException {
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        ProcessBuilder builder = new ProcessBuilder(inOwnSession(command)).redirectErrorStream(true);
        builder.environment().putAll(environment);
        ChildProcess child = new ChildProcess(name, builder.start(), logFile);
        Thread copier = new Thread(child::copyOutput, name + "-log");
        copier.setDaemon(true);
        copier.start();
        return child;
    }

    /**
     * A session of its own keeps a terminal's Ctrl-C away from the child, so the launcher alone
     * decides the order of shutdown. setsid execs in place (the child is no group leader), so the
     * pid stays the child's.
     */
    private static List<String> inOwnSession(List<String> command) {
        if (!Files.isExecutable(SETSID)) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(command.size() + 1);
        wrapped.add(SETSID.toString());
        wrapped.addAll(command);
        return wrapped;
    }

    private void copyOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             OutputStream log = Files.newOutputStream(logFile, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            String line;
            while ((line = in.readLine()) != null) {
                log.write((line + System.lineSeparator()).getBytes(StandardCharsets.UTF_8));
                log.flush();
                if (!ready.isDone() && line.startsWith("READY ")) {
                    ready.complete(line.substring("READY ".length()).trim());
                }
            }
        } catch (IOException e) {
            // the child or its log went away; the exit code tells the rest
        }
        ready.completeExceptionally(new IllegalStateException(name + " ended its output before it was ready"));
    }

    /** Waits for the READY line and returns what follows it; stops the child if it does not come. */
    public String awaitReady(Duration timeout) {
        try {
            return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            stop(Duration.ofSeconds(10));
            throw failure("was not ready within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            waitForExit(Duration.ofSeconds(5));
            throw failure("exited before it was ready (exit code " + exitCode() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(Duration.ofSeconds(10));
            throw failure("interrupted while waiting for it to be ready");
        }
    }

    public IllegalStateException failure(String what) {
        return new IllegalStateException(name + " " + what + "; last lines of " + logFile + ":"
                + System.lineSeparator() + LogTail.of(logFile, 40));
    }

    /** Closes the child's stdin (its signal to stop) and waits; kills it if it outlives {@code grace}. */
    public void stop(Duration grace) {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already closed
        }
        if (!waitForExit(grace)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            waitForExit(Duration.ofSeconds(5));
        }
    }

    private boolean waitForExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    private String exitCode() {
        return process.isAlive() ? "still running" : Integer.toString(process.exitValue());
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public String name() {
        return name;
    }

    public Path logFile() {
        return logFile;
    }
}
