package org.nbregistry.local.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory of the platform's processes, by what they are: each service, Kafka, MongoDB, PostgreSQL (its launcher JVM, the
 * postmaster and its backends), and the launchers and supervisors around them. Two measures: resident memory (VmRSS),
 * which counts a shared page once in every process that maps it (PostgreSQL's shared buffers once per backend, the
 * JVM's libraries once per JVM), and proportional set size (Pss of /proc/&lt;pid&gt;/smaps_rollup), which splits a shared
 * page among the processes sharing it, so that summed over processes it is the memory they occupy together. The
 * processes are the launcher's descendants and, since the postmaster detaches, whatever names the data folder on its
 * command line, with their descendants.
 */
final class ProcessMemory {

    static final String LAUNCHERS = "launchers and supervisors";
    private static final Pattern SERVICE_JAR = Pattern.compile("/services/([a-z-]+)/target/quarkus-app/quarkus-run\\.jar");
    private static final Pattern VM_RSS = Pattern.compile("(?m)^VmRSS:\\s+(\\d+)\\s+kB");
    private static final Pattern PSS = Pattern.compile("(?m)^Pss:\\s+(\\d+)\\s+kB");

    /** KiB of one process or a sum of them. */
    record Resident(long rssKib, long pssKib) {
        Resident plus(Resident other) {
            return new Resident(rssKib + other.rssKib, pssKib + other.pssKib);
        }
    }

    private final long launcherPid;
    private final String dataDir;

    ProcessMemory(long launcherPid, Path dataDir) {
        this.launcherPid = launcherPid;
        this.dataDir = dataDir.toString();
    }

    /** RSS and PSS by component, summed over its processes; empty where /proc is not readable. */
    Map<String, Resident> sample() {
        Set<ProcessHandle> processes = new LinkedHashSet<>();
        ProcessHandle.of(launcherPid).ifPresent(launcher -> {
            processes.add(launcher);
            launcher.descendants().forEach(processes::add);
        });
        // Not the bench itself, nor what started it (a script given the same folder would count the bench as its child).
        Set<Long> bench = new HashSet<>();
        for (Optional<ProcessHandle> p = Optional.of(ProcessHandle.current()); p.isPresent(); p = p.get().parent()) {
            bench.add(p.get().pid());
        }
        ProcessHandle.allProcesses()
                .filter(p -> !processes.contains(p) && !bench.contains(p.pid()))
                .filter(p -> namesFolder(commandLine(p.pid()), dataDir))
                .forEach(p -> {
                    processes.add(p);
                    p.descendants().filter(d -> !bench.contains(d.pid())).forEach(processes::add);
                });
        Map<String, Resident> kib = new TreeMap<>();
        for (ProcessHandle process : processes) {
            resident(process.pid()).ifPresent(r -> kib.merge(component(commandLine(process.pid())), r, Resident::plus));
        }
        return kib;
    }

    /** Whether a command line names the folder itself or a path in it (not a sibling whose name starts the same). */
    static boolean namesFolder(String commandLine, String folder) {
        return Pattern.compile(Pattern.quote(folder) + "(?=/|\\s|$)").matcher(commandLine).find();
    }

    /** What a process of the platform is, from its command line. */
    static String component(String commandLine) {
        if (commandLine.contains("org.nbregistry.local.servers.Supervisor") || commandLine.contains("PlatformLauncher")) {
            return LAUNCHERS;
        }
        Matcher service = SERVICE_JAR.matcher(commandLine);
        if (service.find()) {
            return service.group(1);
        }
        if (commandLine.contains("KafkaServerMain")) {
            return "kafka";
        }
        if (commandLine.contains("MongoServerMain")) {
            return "mongodb";
        }
        String executable = commandLine.split(" ", 2)[0];
        if (commandLine.contains("PostgresServerMain") || executable.endsWith("/postgres") || executable.startsWith("postgres")) {
            return "postgresql";
        }
        return LAUNCHERS;
    }

    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ').trim();
        } catch (IOException | SecurityException e) {
            return "";
        }
    }

    private static Optional<Resident> resident(long pid) {
        try {
            Path proc = Path.of("/proc", Long.toString(pid));
            return resident(Files.readString(proc.resolve("status")), Files.readString(proc.resolve("smaps_rollup")));
        } catch (IOException | SecurityException e) {
            return Optional.empty(); // the process ended between listing and reading
        }
    }

    /** From the texts of /proc/&lt;pid&gt;/status and smaps_rollup; empty if either lacks its line (a kernel thread). */
    static Optional<Resident> resident(String status, String smapsRollup) {
        Matcher rss = VM_RSS.matcher(status);
        Matcher pss = PSS.matcher(smapsRollup);
        return rss.find() && pss.find()
                ? Optional.of(new Resident(Long.parseLong(rss.group(1)), Long.parseLong(pss.group(1))))
                : Optional.empty();
    }
}
