package org.nbregistry.local.bench;

import org.nbregistry.local.bench.BenchCohort.Batch;
import org.nbregistry.local.bench.BenchCohort.Patient;
import org.nbregistry.local.bench.IntakeClient.Posted;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Steady load at a fixed rate of records per second from one thread: fresh patients, each sent as one small batch
 * when the rate allows, with every death turned into a last contact alive, so it never adds an OS event.
 */
final class BackgroundLoad implements AutoCloseable {

    private static final int PATIENTS_PER_CHUNK = 200;

    private final IntakeClient intake;
    private final BenchCohort cohort;
    private final double recordsPerSecond;
    private final List<Posted> posted = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stop;
    private volatile String failure;
    private volatile long startNanos;
    private volatile long stopNanos;

    BackgroundLoad(IntakeClient intake, BenchCohort cohort, double recordsPerSecond) {
        this.intake = intake;
        this.cohort = cohort;
        this.recordsPerSecond = recordsPerSecond;
        this.thread = new Thread(this::send, "bench-background");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void send() {
        startNanos = System.nanoTime();
        long sent = 0;
        int chunk = 0;
        Iterator<Patient> patients = List.<Patient>of().iterator();
        try {
            while (!stop) {
                if (!patients.hasNext()) {
                    patients = cohort.patients("G" + chunk++, PATIENTS_PER_CHUNK).stream().map(BenchCohort::alive).iterator();
                }
                Patient patient = patients.next();
                // The schedule, not the previous answer, says when: a slow answer is caught up on, not lost.
                long due = startNanos + (long) (sent / recordsPerSecond * 1e9);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                if (stop) {
                    break;
                }
                Batch batch = new Batch(patient.site(), patient.records(), "bench-" + patient.pseudonym());
                Posted answer = intake.post(batch);
                synchronized (posted) {
                    posted.add(answer);
                }
                sent += batch.size();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            failure = e.getMessage();
        } finally {
            stopNanos = System.nanoTime();
        }
    }

    List<Posted> posted() {
        synchronized (posted) {
            return List.copyOf(posted);
        }
    }

    /** Records intake accepted per second while the load ran. */
    double achievedRate() {
        double seconds = ((stopNanos == 0 ? System.nanoTime() : stopNanos) - startNanos) / 1e9;
        return seconds <= 0 ? 0 : posted().stream().mapToInt(Posted::accepted).sum() / seconds;
    }

    String failure() {
        return failure;
    }

    @Override
    public void close() throws InterruptedException {
        stop = true; // no interrupt: a batch in flight is answered, so it is known whether intake took it
        thread.join(70_000);
    }
}
