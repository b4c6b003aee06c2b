package org.nbregistry.analytics.statistics;

import org.nbregistry.analytics.statistics.LiveStatistics.Refreshed;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Hands every refresh of the live statistics to each subscriber (the SSE stream's clients). A subscriber first gets
 * the statistics current when it subscribed (a snapshot), then each later refresh exactly once and in order, so a
 * client knows where it starts and misses nothing after.
 */
public final class RefreshFeed {

    private static final System.Logger LOG = System.getLogger(RefreshFeed.class.getName());

    /** @param snapshot true for the first update of a subscription: the state then, not a change */
    public record Update(boolean snapshot, Refreshed refreshed) {
    }

    /** Stops the updates; idempotent. */
    @FunctionalInterface
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    private static final class Subscriber {
        final Consumer<Update> sink;
        long lastRefreshSent;

        Subscriber(Consumer<Update> sink) {
            this.sink = sink;
        }
    }

    private final LiveStatistics live;
    // Guarded by this: subscribing and publishing exclude each other, so no refresh reaches a subscriber before its snapshot.
    private final Set<Subscriber> subscribers = new LinkedHashSet<>();

    private RefreshFeed(LiveStatistics live) {
        this.live = live;
    }

    /** A feed of {@code live}'s refreshes. */
    public static RefreshFeed follow(LiveStatistics live) {
        RefreshFeed feed = new RefreshFeed(live);
        live.onRefresh(feed::publish);
        return feed;
    }

    /** The sink is called on the subscribing thread for the snapshot, then on the refresh thread; it must not block. */
    public synchronized Subscription subscribe(Consumer<Update> sink) {
        Subscriber subscriber = new Subscriber(sink);
        Refreshed now = live.current();
        subscriber.lastRefreshSent = now.refreshCount();
        sink.accept(new Update(true, now));
        subscribers.add(subscriber);
        return () -> unsubscribe(subscriber);
    }

    public synchronized int subscriberCount() {
        return subscribers.size();
    }

    private synchronized void unsubscribe(Subscriber subscriber) {
        subscribers.remove(subscriber);
    }

    private synchronized void publish(Refreshed refreshed) {
        for (Subscriber subscriber : new ArrayList<>(subscribers)) {
            // A subscriber that joined between the refresh being published and this call already has it as its snapshot.
            if (refreshed.refreshCount() <= subscriber.lastRefreshSent) {
                continue;
            }
            subscriber.lastRefreshSent = refreshed.refreshCount();
            try {
                subscriber.sink.accept(new Update(false, refreshed));
            } catch (RuntimeException e) {
                // A broken client must not stop the others.
                LOG.log(System.Logger.Level.WARNING, "dropping a statistics subscriber that failed", e);
                subscribers.remove(subscriber);
            }
        }
    }
}
