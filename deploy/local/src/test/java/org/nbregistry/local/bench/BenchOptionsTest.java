package org.nbregistry.local.bench;

import org.junit.jupiter.api.Test;
import org.nbregistry.local.bench.BenchOptions.Phase;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchOptionsTest {

    private static final Path ROOT = Path.of("/repo");

    @Test
    void defaults_are_the_documented_full_size_run() {
        BenchOptions o = BenchOptions.parse(new String[] {"bench"}, ROOT);
        assertEquals(ROOT.resolve(".platform-data"), o.dataDir());
        assertEquals(List.of(5000, 6, 4, 200, 50, 20_000), List.of(o.patients(), o.sites(), o.clients(), o.batch(), o.probes(), o.burst()));
        assertEquals(100.0, o.backgroundRate());
        assertEquals(Set.of(Phase.values()), o.phases());
        assertEquals(List.of("S01", "S02", "S03", "S04", "S05", "S06"), o.siteCodes());
        assertEquals(Duration.ofSeconds(1800), o.timeout());
    }

    @Test
    void every_flag_is_read() {
        BenchOptions o = BenchOptions.parse(new String[] {"bench", "--data", "/tmp/b", "--patients", "300", "--sites", "12",
                "--clients", "2", "--batch", "40", "--background", "12.5", "--probes", "5", "--burst", "2000", "--seed", "42",
                "--phases", "burst, load", "--timeout", "90"}, ROOT);
        assertEquals(Path.of("/tmp/b"), o.dataDir());
        assertEquals(List.of(300, 12, 2, 40, 5, 2000), List.of(o.patients(), o.sites(), o.clients(), o.batch(), o.probes(), o.burst()));
        assertEquals(12.5, o.backgroundRate());
        assertEquals(42L, o.seed());
        assertEquals(Set.of(Phase.LOAD, Phase.BURST), o.phases());
        assertTrue(o.runs(Phase.LOAD) && !o.runs(Phase.FRESHNESS));
        assertEquals("S12", o.siteCodes().get(11));
        assertEquals(Duration.ofSeconds(90), o.timeout());
    }

    @Test
    void out_of_range_or_unknown_values_are_refused_with_the_flag_named() {
        assertRefused("--batch", "bench", "--batch", "501"); // intake's batch limit
        assertRefused("--batch", "bench", "--batch", "5"); // a batch holds a whole patient
        assertRefused("--patients", "bench", "--patients", "0");
        assertRefused("--sites", "bench", "--sites", "x");
        assertRefused("--background", "bench", "--background", "0");
        assertRefused("--seed", "bench", "--seed", "-1");
        assertRefused("--phases", "bench", "--phases", "load,warmup");
        assertRefused("--phases", "bench", "--phases", ",");
        assertRefused("--probes", "bench", "--probes");
        assertRefused("--fresh", "bench", "--fresh");
        assertRefused("not a bench", "up");
    }

    private static void assertRefused(String named, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(args, ROOT));
        assertTrue(e.getMessage().contains(named), e.getMessage());
    }
}
