package org.nbregistry.local.platform;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.nbregistry.local.infra.LoopbackPorts;
import org.nbregistry.local.infra.ServersDistribution;

/** What the platform's integration tests share: a platform on free ports, and proof that it leaves no process behind. */
final class TestPlatforms {

    private TestPlatforms() {
    }

    /**
     * {@code up --fresh --data DIR} and the given arguments, every server and service on a free port rather than the
     * defaults (so that a platform a developer runs is never in the way), and no environment: the test always runs its
     * own servers, whatever KAFKA_BOOTSTRAP_SERVERS etc. say.
     */
    static PlatformOptions freshOnFreePorts(Path data, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of("up", "--fresh", "--data", data.toString()));
        args.addAll(Arrays.asList(more));
        Set<Integer> ports = new LinkedHashSet<>();
        while (ports.size() < Catalog.ports().size()) {
            ports.add(LoopbackPorts.free());
        }
        var free = ports.iterator();
        for (PortOption port : Catalog.ports()) {
            args.add(port.flag());
            args.add(Integer.toString(free.next()));
        }
        return PlatformOptions.parse(args.toArray(String[]::new), Map.of(), ServersDistribution.repositoryRoot());
    }

    /** The processes a platform on the data folder runs: our descendants, and the postmaster, which detaches but names the folder. */
    static List<ProcessHandle> processesOf(Path data) {
        return Stream.concat(ProcessHandle.current().descendants(), processesMentioning(data.toString()).stream()).toList();
    }

    /** Waits up to 30 s for the processes to end and returns those that did not, and any other naming the data folder. */
    static List<ProcessHandle> awaitGone(Set<ProcessHandle> handles, Path data) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline && handles.stream().anyMatch(ProcessHandle::isAlive)) {
            Thread.sleep(100); // a process's end is only observable by looking again
        }
        List<ProcessHandle> left = new ArrayList<>(handles.stream().filter(ProcessHandle::isAlive).toList());
        // Anything else naming our data folder, e.g. a postmaster started after our snapshot.
        processesMentioning(data.toString()).stream().filter(p -> !left.contains(p)).forEach(left::add);
        return left;
    }

    static String describe(List<ProcessHandle> handles) {
        return handles.stream().map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList().toString();
    }

    private static List<ProcessHandle> processesMentioning(String needle) {
        return ProcessHandle.allProcesses()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.pid() != ProcessHandle.current().pid())
                .filter(p -> p.info().commandLine().map(c -> c.contains(needle)).orElse(false))
                .toList();
    }
}
