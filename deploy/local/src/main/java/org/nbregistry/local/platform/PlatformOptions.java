package org.nbregistry.local.platform;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.nbregistry.local.bench.BenchOptions;

/**
 * {@code up [--fresh] [--detach] [--demo] [--traces] [--data DIR] [--services a,b|none] [--<name>-port N ...]}, {@code status}, {@code down}.
 * Ports come from flags, then {@code <NAME>_PORT} variables, then the defaults in {@link Catalog}.
 */
record PlatformOptions(String command, Path dataDir, boolean fresh, boolean detach, boolean demo, boolean traces,
                       Map<String, Integer> ports, List<ServiceSpec> services) {

    static final String USAGE = """
            usage: ./platform up [--fresh] [--detach] [--demo] [--traces] [--data DIR] [--services intake,episode,...|none] [--<name>-port N]
                     --demo: load the synthetic demo cohort (six sites, labelled SYN) through the intake API
                     --traces: trace every request and record, each span a line of the service's log (grep trace=<id>)
                   ./platform status [--data DIR]
                   ./platform down [--data DIR]
                   ./platform token --site CODE [--role site|analyst|operator] [--subject NAME] [--days N] [--data DIR]
                     a development token signed with the data folder's key (demo sites %s)
                   %s
              ports (flag or variable, default): %s
              KAFKA_BOOTSTRAP_SERVERS, POSTGRES_URL (postgresql://user:password@host:port), MONGODB_URI:
                use that server instead of starting one""";

    static String usage() {
        return USAGE.formatted(String.join(",", Catalog.DEMO_SITES), BenchOptions.USAGE.replace("\n", "\n       "), String.join(", ", Catalog.ports().stream()
                .map(p -> p.flag() + "/" + p.variable() + " " + p.defaultPort()).toList()));
    }

    static PlatformOptions parse(String[] args, Map<String, String> env, Path root) {
        if (args.length == 0) {
            throw new IllegalArgumentException("missing command");
        }
        String command = args[0];
        if (!List.of("up", "status", "down").contains(command)) {
            throw new IllegalArgumentException("unknown command '" + command + "'");
        }
        Path dataDir = root.resolve(".platform-data");
        boolean fresh = false;
        boolean detach = false;
        boolean demo = false;
        boolean traces = false;
        List<ServiceSpec> services = Catalog.SERVICES;
        Map<String, Integer> ports = new HashMap<>();
        for (PortOption option : Catalog.ports()) {
            String fromEnv = env.get(option.variable());
            ports.put(option.key(), fromEnv == null || fromEnv.isBlank()
                    ? option.defaultPort() : port(option.variable(), fromEnv));
        }
        List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
        while (!rest.isEmpty()) {
            String flag = rest.remove(0);
            switch (flag) {
                case "--fresh" -> fresh = true;
                case "--detach" -> detach = true;
                case "--demo" -> demo = true;
                case "--traces" -> traces = true;
                case "--data" -> dataDir = Path.of(value(flag, rest)).toAbsolutePath().normalize();
                case "--services" -> services = services(value(flag, rest));
                default -> {
                    PortOption option = Catalog.ports().stream().filter(p -> p.flag().equals(flag)).findFirst()
                            .orElseThrow(() -> new IllegalArgumentException("unknown option '" + flag + "'"));
                    ports.put(option.key(), port(flag, value(flag, rest)));
                }
            }
        }
        if (demo && services.stream().noneMatch(s -> s.name().equals("intake-service"))) {
            throw new IllegalArgumentException("--demo loads its cohort through intake-service, which --services leaves out");
        }
        return new PlatformOptions(command, dataDir, fresh, detach, demo, traces, Map.copyOf(ports), services);
    }

    int port(PortOption option) {
        return ports.get(option.key());
    }

    private static List<ServiceSpec> services(String list) {
        if (list.equals("none")) {
            return List.of();
        }
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Catalog::service).toList();
    }

    private static String value(String flag, List<String> rest) {
        if (rest.isEmpty()) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return rest.remove(0);
    }

    private static int port(String source, String value) {
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(source + ": not a port: " + value);
        }
    }
}
