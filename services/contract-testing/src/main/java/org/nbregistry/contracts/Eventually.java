package org.nbregistry.contracts;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Asks again until the answer is the expected one, or fails with the last answer: the registry is eventually
 * consistent by design (Kafka between the services), so a test can only observe a change by looking again.
 */
public final class Eventually {

    private static final Duration POLL = Duration.ofMillis(100);

    private Eventually() {
    }

    public static <T> T await(String what, Supplier<T> read, Predicate<T> done, Duration timeout) {
        return await(what, read, done, timeout, String::valueOf);
    }

    /** As above, with {@code describe} rendering the last answer in the failure message. */
    public static <T> T await(String what, Supplier<T> read, Predicate<T> done, Duration timeout, Function<T, String> describe) {
        return await(what, read, done, timeout, POLL, describe);
    }

    /** As above, asking every {@code poll}: shorter for a test that reports how soon the answer changed. */
    public static <T> T await(String what, Supplier<T> read, Predicate<T> done, Duration timeout, Duration poll, Function<T, String> describe) {
        Instant deadline = Instant.now().plus(timeout);
        T last = read.get();
        while (!done.test(last)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(what + " not reached within " + timeout.toSeconds() + " s; last answer: " + describe.apply(last));
            }
            try {
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            last = read.get();
        }
        return last;
    }
}
