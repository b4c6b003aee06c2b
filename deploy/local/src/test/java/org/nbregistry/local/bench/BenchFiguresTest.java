package org.nbregistry.local.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchFiguresTest {

    @Test
    void nearest_rank_of_one_to_a_hundred_is_the_rank_itself_whatever_the_order() {
        List<Double> values = new ArrayList<>(IntStream.rangeClosed(1, 100).mapToObj(i -> (double) i).toList());
        Collections.shuffle(values, new java.util.Random(1));
        assertEquals(new Percentiles(100, 50, 95, 99, 100), Percentiles.of(values));
    }

    @Test
    void a_percentile_is_always_a_measured_value() {
        assertEquals(new Percentiles(1, 7, 7, 7, 7), Percentiles.of(List.of(7.0)));
        // 10 values: p50 is the 5th, p95 and p99 the 10th (ceil(9.5), ceil(9.9)).
        Percentiles p = Percentiles.of(List.of(10.0, 1.0, 9.0, 2.0, 8.0, 3.0, 7.0, 4.0, 6.0, 5.0));
        assertEquals(5, p.p50());
        assertEquals(10, p.p95());
        assertEquals(10, p.p99());
        assertEquals(2.0, Percentiles.rank(List.of(1.0, 2.0, 3.0), 50));
        assertThrows(IllegalArgumentException.class, () -> Percentiles.of(List.of()));
    }

    @Test
    void the_report_prints_every_figure_as_a_markdown_row_and_remembers_what_was_not_measured() {
        Report report = new Report();
        report.figure("load: intake acceptance (records/s)", Report.number(1234.56));
        report.figure("latency p50 / p95", "12 / 40");
        assertTrue(report.complete());
        assertEquals("| figure | measured |\n|---|---|\n| load: intake acceptance (records/s) | 1,235 |\n| latency p50 / p95 | 12 / 40 |\n",
                report.markdown());
        report.missing("burst: reflected (s)", "timed out | late");
        assertTrue(!report.complete());
        assertTrue(report.markdown().endsWith("| burst: reflected (s) | not measured: timed out \\| late |\n"), report.markdown());
        assertEquals("3.5", Report.number(3.46));
    }

    @Test
    void platform_processes_are_told_apart_by_their_command_lines() {
        assertEquals("episode-service", ProcessMemory.component(
                "/usr/lib/jvm/bin/java -Xmx256m -jar /w/services/episode-service/target/quarkus-app/quarkus-run.jar"));
        assertEquals(ProcessMemory.LAUNCHERS, ProcessMemory.component(
                "java -Xmx16m -cp x org.nbregistry.local.servers.Supervisor --grace-seconds 30 -- java -jar /w/services/intake-service/target/quarkus-app/quarkus-run.jar"));
        assertEquals("kafka", ProcessMemory.component("java -cp x org.nbregistry.local.servers.KafkaServerMain --port 1"));
        assertTrue(ProcessMemory.namesFolder("/pg/bin/postgres -D /tmp/fin/postgres/pgdata -p 5432", "/tmp/fin"));
        assertTrue(ProcessMemory.namesFolder("java -jar x.jar up --data /tmp/fin", "/tmp/fin"));
        assertTrue(ProcessMemory.namesFolder("java -jar x.jar up --data /tmp/fin --detach", "/tmp/fin"));
        assertTrue(!ProcessMemory.namesFolder("/bin/bash /tmp/final.sh", "/tmp/fin"), "a sibling whose name starts the same");
        assertEquals("mongodb", ProcessMemory.component("java -cp x org.nbregistry.local.servers.MongoServerMain --port 1"));
        assertEquals("postgresql", ProcessMemory.component("/tmp/pg/bin/postgres -D /data/postgres/pgdata -p 5432"));
        assertEquals("postgresql", ProcessMemory.component("postgres: postgres episodes 127.0.0.1(5000) idle"));
        assertEquals("postgresql", ProcessMemory.component("java -cp x org.nbregistry.local.servers.PostgresServerMain --port 1"));
    }

    @Test
    void memory_is_read_as_resident_and_as_proportional_set_size() {
        String status = "Name:\tjava\nVmPeak:\t 3000000 kB\nVmRSS:\t  402260 kB\nRssAnon:\t 380000 kB\n";
        String rollup = "55d0-7ffd ---p 00000000 00:00 0 [rollup]\nRss:              402260 kB\nPss:              371125 kB\n"
                + "Pss_Dirty:        360000 kB\n";
        assertEquals(Optional.of(new ProcessMemory.Resident(402260, 371125)), ProcessMemory.resident(status, rollup));
        assertEquals(Optional.empty(), ProcessMemory.resident("Name:\tkthreadd\n", ""));
        assertEquals(new ProcessMemory.Resident(3, 5), new ProcessMemory.Resident(1, 2).plus(new ProcessMemory.Resident(2, 3)));
    }

    @Test
    void a_probes_stages_run_from_its_202_through_its_first_record_on_each_topic_to_the_refresh() {
        ProbeStages.Probe probe = new ProbeStages.Probe("P1", 1_000, 1_010, 1_300);
        List<ProbeStages.Stamp> stamps = List.of(
                new ProbeStages.Stamp(ProbeStages.INTAKE_TOPIC, "P1", 900),       // the patient's set-up, before the PUT
                new ProbeStages.Stamp(ProbeStages.INTAKE_TOPIC, "P2", 1_020),     // another patient
                new ProbeStages.Stamp(ProbeStages.INTAKE_TOPIC, "P1", 1_050),
                new ProbeStages.Stamp(ProbeStages.EPISODE_TOPIC, "P1", 1_190),    // a second event derived from the death
                new ProbeStages.Stamp(ProbeStages.EPISODE_TOPIC, "P1", 1_180));
        ProbeStages.Probe unmatched = new ProbeStages.Probe("P3", 1_000, 1_010, 1_300);
        var stages = ProbeStages.of(List.of(probe, unmatched), stamps);
        assertEquals(ProbeStages.STAGES, List.copyOf(stages.keySet()));
        assertEquals(List.of(List.of(40.0), List.of(130.0), List.of(120.0)), List.copyOf(stages.values()));
    }

    @Test
    void nanotime_readings_map_to_the_wall_clock_in_order() {
        long now = System.nanoTime();
        assertEquals(1_000, ProbeStages.epochMillis(now + 1_000_000_000L) - ProbeStages.epochMillis(now), 1);
        assertTrue(Math.abs(ProbeStages.epochMillis(System.nanoTime()) - System.currentTimeMillis()) < 1_000);
    }
}
