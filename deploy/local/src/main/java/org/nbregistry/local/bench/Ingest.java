package org.nbregistry.local.bench;

import org.nbregistry.local.bench.BenchCohort.Batch;
import org.nbregistry.local.bench.IntakeClient.Posted;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Posts batches to intake from a number of client threads as fast as intake answers, then waits until analytics
 * reflects them all: the load and burst phases.
 */
final class Ingest {

    /**
     * @param posted       intake's answers, one per batch posted (fewer when posting failed or ran out of time)
     * @param firstPost    when the first batch was sent ({@link System#nanoTime()})
     * @param lastAnswer   when the last answer arrived
     * @param failure      why posting stopped early, or null
     */
    record Result(int recordsToSend, List<Posted> posted, long firstPost, long lastAnswer, String failure,
                  Reflection.Outcome reflection) {

        int recordsSent() {
            return posted.stream().mapToInt(Posted::records).sum();
        }

        int accepted() {
            return posted.stream().mapToInt(Posted::accepted).sum();
        }

        int unchanged() {
            return posted.stream().mapToInt(Posted::unchanged).sum();
        }

        List<String> invalid() {
            return posted.stream().flatMap(p -> p.invalid().stream()).toList();
        }

        double acceptanceSeconds() {
            return (lastAnswer - firstPost) / 1e9;
        }

        double reflectedSeconds() {
            return (reflection.atNanos() - firstPost) / 1e9;
        }

        Percentiles latencyMillis() {
            return Percentiles.of(posted.stream().map(p -> p.latencyNanos() / 1e6).toList());
        }
    }

    private final IntakeClient intake;
    private final Reflection reflection;

    Ingest(IntakeClient intake, Reflection reflection) {
        this.intake = intake;
        this.reflection = reflection;
    }

    Result run(List<Batch> batches, int clients, long deadlineNanos) throws InterruptedException {
        ConcurrentLinkedQueue<Batch> queue = new ConcurrentLinkedQueue<>(batches);
        List<Posted> posted = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<String> failure = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(clients, r -> {
            Thread t = new Thread(r, "bench-client");
            t.setDaemon(true);
            return t;
        });
        long firstPost = System.nanoTime();
        for (int i = 0; i < clients; i++) {
            pool.execute(() -> {
                Batch batch;
                while (failure.get() == null && System.nanoTime() < deadlineNanos && (batch = queue.poll()) != null) {
                    try {
                        posted.add(intake.post(batch));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    } catch (Exception e) {
                        failure.compareAndSet(null, "batch " + batch.idempotencyKey() + ": " + e);
                    }
                }
            });
        }
        pool.shutdown();
        if (!pool.awaitTermination(Math.max(1, deadlineNanos - System.nanoTime())
                + IntakeClient.REQUEST_TIMEOUT.toNanos() + 1_000_000_000L, TimeUnit.NANOSECONDS)) {
            pool.shutdownNow();
            failure.compareAndSet(null, "intake did not answer in time");
        }
        if (failure.get() == null && !queue.isEmpty()) {
            failure.set(queue.size() + " batches not sent before the phase's time ran out");
        }
        List<Posted> answers = List.copyOf(posted);
        long lastAnswer = answers.stream().mapToLong(Posted::answeredNanos).max().orElse(firstPost);
        Reflection.Outcome reflected = reflection.await(answers, deadlineNanos);
        return new Result(batches.stream().mapToInt(Batch::size).sum(), answers, firstPost, lastAnswer, failure.get(), reflected);
    }
}
