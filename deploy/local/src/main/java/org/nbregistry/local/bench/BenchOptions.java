package org.nbregistry.local.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * {@code bench [--data DIR] [--patients N] [--sites S] [--clients C] [--batch B] [--background R] [--probes P]
 * [--burst N] [--seed X] [--phases load,freshness,burst] [--timeout SECONDS]}.
 *
 * @param backgroundRate records per second sent during the freshness phase
 * @param timeout        how long each phase may wait for the platform before it gives up and reports what it saw
 */
public record BenchOptions(Path dataDir, int patients, int sites, int clients, int batch, double backgroundRate, int probes,
                           int burst, long seed, Set<Phase> phases, Duration timeout) {

    public enum Phase {
        LOAD, FRESHNESS, BURST;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** intake's largest batch. */
    static final int MAX_BATCH = 500;
    /** A patient's records never exceed this (patient, three episodes with a line and an assessment each, follow-up). */
    static final int MAX_PATIENT_RECORDS = 11;

    public static final String USAGE = """
            ./platform bench [--data DIR] [--patients N] [--sites S] [--clients C] [--batch B] [--background R]
                             [--probes P] [--burst N] [--seed X] [--phases load,freshness,burst] [--timeout SECONDS]
                     measures a running platform (the one on --data): intake rate and end-to-end rate under load,
                     freshness of deaths under background load, a burst, consumer lag and memory (README, Benchmark)
                     defaults: 5000 patients, 6 sites, 4 clients, batches of 200, 100 records/s background,
                     50 probes, burst 20000, seed 1, all phases, 1800 s per phase""";

    public static BenchOptions parse(String[] args, Path root) {
        if (args.length == 0 || !args[0].equals("bench")) {
            throw new IllegalArgumentException("not a bench command");
        }
        Path dataDir = root.resolve(".platform-data");
        int patients = 5000;
        int sites = 6;
        int clients = 4;
        int batch = 200;
        double background = 100;
        int probes = 50;
        int burst = 20_000;
        long seed = 1;
        Set<Phase> phases = EnumSet.allOf(Phase.class);
        int timeout = 1800;
        List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
        while (!rest.isEmpty()) {
            String flag = rest.remove(0);
            switch (flag) {
                case "--data" -> dataDir = Path.of(value(flag, rest)).toAbsolutePath().normalize();
                case "--patients" -> patients = number(flag, value(flag, rest), 1, 1_000_000);
                case "--sites" -> sites = number(flag, value(flag, rest), 1, 99);
                case "--clients" -> clients = number(flag, value(flag, rest), 1, 64);
                case "--batch" -> batch = number(flag, value(flag, rest), MAX_PATIENT_RECORDS, MAX_BATCH);
                case "--background" -> background = rate(flag, value(flag, rest));
                case "--probes" -> probes = number(flag, value(flag, rest), 1, 10_000);
                case "--burst" -> burst = number(flag, value(flag, rest), 1, 10_000_000);
                case "--seed" -> seed = seed(value(flag, rest));
                case "--phases" -> phases = phases(value(flag, rest));
                case "--timeout" -> timeout = number(flag, value(flag, rest), 1, 86_400);
                default -> throw new IllegalArgumentException("unknown option '" + flag + "'");
            }
        }
        return new BenchOptions(dataDir, patients, sites, clients, batch, background, probes, burst, seed,
                Set.copyOf(phases), Duration.ofSeconds(timeout));
    }

    /** S01, S02, ...: the demo's site codes, and more of them when asked. */
    public List<String> siteCodes() {
        return IntStream.rangeClosed(1, sites).mapToObj(i -> String.format("S%02d", i)).toList();
    }

    boolean runs(Phase phase) {
        return phases.contains(phase);
    }

    private static Set<Phase> phases(String list) {
        Set<Phase> phases = EnumSet.noneOf(Phase.class);
        for (String name : list.split(",")) {
            String trimmed = name.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            phases.add(Arrays.stream(Phase.values()).filter(p -> p.label().equals(trimmed)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--phases: unknown phase '" + trimmed
                            + "'; known: load, freshness, burst")));
        }
        if (phases.isEmpty()) {
            throw new IllegalArgumentException("--phases needs at least one of load, freshness, burst");
        }
        return phases;
    }

    private static int number(String flag, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + ": not a whole number from " + min + " to " + max + ": " + value);
        }
    }

    private static double rate(String flag, String value) {
        try {
            double rate = Double.parseDouble(value.trim());
            if (!(rate > 0 && rate <= 100_000)) {
                throw new NumberFormatException();
            }
            return rate;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + ": not a rate in records per second (above 0, at most 100000): " + value);
        }
    }

    private static long seed(String value) {
        try {
            long seed = Long.parseLong(value.trim());
            if (seed < 0) {
                throw new NumberFormatException();
            }
            return seed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--seed: not a non-negative whole number: " + value);
        }
    }

    private static String value(String flag, List<String> rest) {
        if (rest.isEmpty()) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return rest.remove(0);
    }
}
