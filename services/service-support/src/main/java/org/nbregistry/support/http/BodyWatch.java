package org.nbregistry.support.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Watches one request body for a client that stalls or dribbles, and never takes the service's own delay for the
 * client's. Quarkus pauses every request as it arrives, and a body is taken in only when the endpoint's chain reaches
 * it (after routing, authentication and the role check, on a busy machine seconds later); until then the bytes wait
 * in the socket and {@link HttpServerRequest#bytesRead()} stays 0. So the idle clock starts with the first bytes the
 * service takes in, restarts with every new one, and counts ticks of the event loop that reads the body rather than
 * wall time: a loop too busy to read is too busy to tick. The overall limit counts from the request's start.
 */
final class BodyWatch {

    private static final long MAX_TICK_MILLIS = 1000;
    private static final long MIN_TICK_MILLIS = 10;

    private final RoutingContext ctx;
    private final HttpServerRequest request;
    private final Consumer<String> timedOut;
    private final long tickMillis;
    private final long idleTicksAllowed;
    private final long deadlineNanos;
    private final String idleDetail;
    private final String overallDetail;
    /** The Content-Length the request announced, or -1 (chunked, absent or not a number). */
    private final long announcedLength;
    private long bytesSeen;
    private long idleTicks;
    private long timer = -1;
    private boolean stopped;

    private BodyWatch(RoutingContext ctx, Duration idleTimeout, Duration overallTimeout, Consumer<String> timedOut) {
        this.ctx = ctx;
        this.request = ctx.request();
        this.timedOut = timedOut;
        long idleMillis = Math.max(idleTimeout.toMillis(), MIN_TICK_MILLIS);
        this.tickMillis = Math.max(MIN_TICK_MILLIS, Math.min(MAX_TICK_MILLIS, idleMillis / 5));
        this.idleTicksAllowed = (idleMillis + tickMillis - 1) / tickMillis;
        this.deadlineNanos = System.nanoTime() + overallTimeout.toNanos();
        this.idleDetail = "The request body stopped arriving: nothing of it came for " + seconds(idleTimeout) + ".";
        this.overallDetail = "The request body did not arrive completely within " + seconds(overallTimeout) + ".";
        this.announcedLength = announcedLength(request.getHeader("Content-Length"));
    }

    /** Watches the body of the request until it has arrived or the exchange ends; {@code timedOut} gets the detail. */
    static void start(RoutingContext ctx, HttpLimits limits, Consumer<String> timedOut) {
        BodyWatch watch = new BodyWatch(ctx, limits.bodyIdleTimeout(), limits.bodyTimeout(), timedOut);
        ctx.addEndHandler(ended -> watch.stop());
        watch.schedule();
    }

    private void schedule() {
        // One-shot timers, each armed after the last has run: a stalled loop gets one late tick, not a burst.
        timer = ctx.vertx().setTimer(tickMillis, fired -> tick());
    }

    private void tick() {
        long bytes = request.bytesRead();
        // Once every announced byte is read, the endpoint may take its time (a large batch on a busy machine, the first
        // FHIR bundle waiting for the R4 definitions) while Vert.x has not yet marked the request ended.
        if (stopped || request.isEnded() || ctx.response().headWritten() || announcedLength >= 0 && bytes >= announcedLength) {
            return;
        }
        if (bytes != bytesSeen) {
            bytesSeen = bytes;
            idleTicks = 0;
        } else if (bytes > 0) {
            idleTicks++;
        }
        if (idleTicks >= idleTicksAllowed) {
            timedOut.accept(idleDetail);
        } else if (System.nanoTime() - deadlineNanos >= 0) {
            timedOut.accept(overallDetail);
        } else {
            schedule();
        }
    }

    private static long announcedLength(String header) {
        try {
            return header == null ? -1 : Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void stop() {
        stopped = true;
        ctx.vertx().cancelTimer(timer);
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }
}
