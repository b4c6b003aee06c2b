package org.nbregistry.local.bench;

import org.nbregistry.local.bench.BenchCohort.Batch;
import org.nbregistry.local.bench.IntakeClient.Posted;
import org.nbregistry.local.demo.DemoCohort.DemoRecord;

import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bench's cohort, intake client and reflection for a test that breaks the platform while it is under load: sends
 * a cohort through intake at a steady pace, as sites would, and runs each fault (a crash) at its point of the load,
 * before the batch it belongs to goes out. A request that fails is sent again with the same Idempotency-Key until
 * intake answers, which is what intake's contract allows a site to do.
 */
public final class FaultyLoad {

    /** One patient's records, in sending order. */
    public record Patient(String site, String pseudonym, List<DemoRecord> records) {
    }

    /** Something done to the platform at a point of the load; it runs before the load goes on. */
    public interface Fault {
        void inject() throws Exception;
    }

    /**
     * intake's answer to one batch.
     *
     * @param index    the batch's place in the load, from 0
     * @param attempts how many times it was sent (1 unless a request failed)
     * @param sentNanos when its last attempt was sent ({@link System#nanoTime()})
     */
    public record Answer(int index, String idempotencyKey, int attempts, String submissionId, int records, int accepted,
                         List<String> invalid, long sentNanos, long answeredNanos) {
    }

    /** Whether everything the load's submissions hold is final at intake and reflected by analytics, as the bench waits for it. */
    public record Reflected(boolean reflected, int applied, List<String> rejected, String waitingFor) {
    }

    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

    private final BenchTarget target;
    private final List<Patient> patients;
    private final List<Batch> batches;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final IntakeClient intake;
    private final AtomicInteger answered = new AtomicInteger();
    /** intake's answers by Idempotency-Key, for the reflection. */
    private final Map<String, Posted> posted = new ConcurrentHashMap<>();
    private final List<String> retries = Collections.synchronizedList(new ArrayList<>());

    /**
     * @param records   at least this many records, in whole patients
     * @param run       letters and digits unique to the run, so that the records are new on any platform
     */
    public FaultyLoad(BenchTarget target, List<String> sites, long seed, String run, int records, int batchSize) {
        this.target = target;
        BenchCohort cohort = new BenchCohort(sites, seed, run);
        List<BenchCohort.Patient> chosen = cohort.patientsWithRecords("C", records);
        this.patients = chosen.stream().map(p -> new Patient(p.site(), p.pseudonym(), p.records())).toList();
        this.batches = BenchCohort.batches(chosen, batchSize, "crash-" + cohort.label());
        this.intake = new IntakeClient(target.intake(), target.siteToken(), http);
    }

    public List<Patient> patients() {
        return patients;
    }

    public int records() {
        return batches.stream().mapToInt(Batch::size).sum();
    }

    public int batches() {
        return batches.size();
    }

    /** Batches intake has answered so far. */
    public int answered() {
        return answered.get();
    }

    /** Every failed attempt, with why it failed. */
    public List<String> retries() {
        return List.copyOf(retries);
    }

    /**
     * Sends every batch from {@code clients} threads, batch {@code i} not before {@code i}'s share of the records at
     * {@code recordsPerSecond}; the fault at index {@code i} runs before batch {@code i} goes out and while no later
     * batch does. Answers intake's answers in batch order; throws if a batch was still unanswered at the deadline.
     */
    public List<Answer> run(int clients, double recordsPerSecond, Map<Integer, Fault> faults, Duration patience)
            throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + patience.toNanos();
        Answer[] answers = new Answer[batches.size()];
        int[] next = {0};
        long[] dueNanos = new long[batches.size()];
        long recordsBefore = 0;
        for (int i = 0; i < batches.size(); i++) {
            dueNanos[i] = started + (long) (recordsBefore / recordsPerSecond * 1e9);
            recordsBefore += batches.get(i).size();
        }
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(clients, r -> {
            Thread t = new Thread(r, "faulty-load-client");
            t.setDaemon(true);
            return t;
        });
        for (int c = 0; c < clients; c++) {
            pool.execute(() -> {
                try {
                    while (true) {
                        int index;
                        synchronized (next) {
                            index = next[0]++;
                            if (index >= batches.size()) {
                                return;
                            }
                            long wait = dueNanos[index] - System.nanoTime();
                            if (wait > 0) {
                                TimeUnit.NANOSECONDS.sleep(wait); // the pace: no other batch may overtake this one
                            }
                            Fault fault = faults.get(index);
                            if (fault != null) {
                                fault.inject();
                            }
                        }
                        answers[index] = send(index, deadline);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
        }
        pool.shutdown();
        if (!pool.awaitTermination(Math.max(0, deadline - System.nanoTime()) + IntakeClient.REQUEST_TIMEOUT.toNanos(),
                TimeUnit.NANOSECONDS)) {
            pool.shutdownNow();
            throw new IllegalStateException("the load did not end in time; " + answered() + " of " + batches.size() + " batches answered");
        }
        if (!failures.isEmpty()) {
            IllegalStateException failed = new IllegalStateException("the load failed: " + failures.get(0), failures.get(0));
            failures.stream().skip(1).forEach(failed::addSuppressed);
            throw failed;
        }
        return List.of(answers);
    }

    /** Sends the batch until intake answers it, with the same Idempotency-Key every time. */
    private Answer send(int index, long deadline) throws InterruptedException {
        Batch batch = batches.get(index);
        for (int attempt = 1; ; attempt++) {
            long sent = System.nanoTime();
            try {
                Posted answer = intake.post(batch);
                posted.put(batch.idempotencyKey(), answer);
                answered.incrementAndGet();
                return new Answer(index, batch.idempotencyKey(), attempt, answer.submissionId(), answer.records(),
                        answer.accepted(), answer.invalid(), sent, answer.answeredNanos());
            } catch (IOException | RuntimeException e) {
                retries.add(batch.idempotencyKey() + " attempt " + attempt + ": " + e);
                if (System.nanoTime() + RETRY_PAUSE.toNanos() > deadline) {
                    throw new IllegalStateException("batch " + batch.idempotencyKey() + " unanswered after " + attempt + " attempts", e);
                }
                Thread.sleep(RETRY_PAUSE.toMillis());
            }
        }
    }

    /** Waits, as the bench does, until every record of the answered submissions is final and analytics reflects them. */
    public Reflected awaitReflected(List<Answer> answers, Duration patience) throws InterruptedException {
        try (ConsumerLag lag = new ConsumerLag(target.kafkaBootstrapServers())) {
            Reflection reflection = new Reflection(intake, new AnalyticsClient(target.analytics(), target.analystToken().get(), http), lag);
            Reflection.Outcome outcome = reflection.await(answers.stream().map(a -> posted.get(a.idempotencyKey())).toList(),
                    System.nanoTime() + patience.toNanos());
            return new Reflected(outcome.reflected(), outcome.applied(), outcome.rejected(), outcome.waitingFor());
        }
    }
}
