package org.nbregistry.support.relay;

import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Drains a queue (an outbox) batch by batch until a batch comes back short. Requests that arrive while a drain
 * runs are folded into it, so a burst of requests costs one drain, and a request that arrives just as a drain
 * finishes asks again instead of being lost. Failures are logged and left to the next request or timer tick.
 */
public final class CoalescingDrain {

    private static final Logger LOG = Logger.getLogger(CoalescingDrain.class);

    private final String name;
    private final int batchSize;
    private final Supplier<Uni<Integer>> batch;
    private final Runnable requestAgain;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean requested = new AtomicBoolean();

    /**
     * @param batch        publishes up to {@code batchSize} items and answers how many it published
     * @param requestAgain asks for a new drain later (typically an event-bus message back to the owner)
     */
    public CoalescingDrain(String name, int batchSize, Supplier<Uni<Integer>> batch, Runnable requestAgain) {
        this.name = name;
        this.batchSize = batchSize;
        this.batch = batch;
        this.requestAgain = requestAgain;
    }

    public Uni<Void> drain() {
        requested.set(true);
        if (!draining.compareAndSet(false, true)) {
            return Uni.createFrom().voidItem();
        }
        return untilShort()
                .onFailure().invoke(failure -> LOG.warnf("%s will retry: %s", name, failure.getMessage()))
                .onFailure().recoverWithNull()
                .eventually(() -> {
                    draining.set(false);
                    if (requested.get()) {
                        requestAgain.run();
                    }
                });
    }

    private Uni<Void> untilShort() {
        requested.set(false);
        return batch.get().flatMap(published -> published == batchSize ? untilShort() : Uni.createFrom().voidItem());
    }
}
