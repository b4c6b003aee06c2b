package org.nbregistry.local.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A free loopback port for a server that binds it a little later. Chosen below the kernel's ephemeral range: a port
 * the kernel hands out for ephemeral use (what {@code new ServerSocket(0)} returns) may meanwhile become the local end
 * of any outgoing connection on the machine, and the server's bind then fails with "Address already in use". Below that
 * range only listeners compete, and the port is probed free.
 */
public final class LoopbackPorts {

    private static final int LOWEST = 10_000;
    private static final int EPHEMERAL_FALLBACK = 32_768;
    /** Where the next probe starts: random per process, so two processes rarely probe the same ports. */
    private static final AtomicInteger NEXT = new AtomicInteger(-1);

    private LoopbackPorts() {
    }

    public static int free() {
        int below = ephemeralRangeStart();
        int span = below - LOWEST;
        NEXT.compareAndSet(-1, ThreadLocalRandom.current().nextInt(span));
        for (int attempt = 0; attempt < span; attempt++) {
            int port = LOWEST + Math.floorMod(NEXT.getAndIncrement(), span);
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // try the next one
            }
        }
        throw new UncheckedIOException(new IOException("no free loopback port between " + LOWEST + " and " + below));
    }

    /** The first port of Linux's ephemeral range; elsewhere the IANA range's start, below which Linux's also lies. */
    static int ephemeralRangeStart() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            int start = Integer.parseInt(range.split("\\s+")[0]);
            return start > LOWEST + 1_000 ? start : EPHEMERAL_FALLBACK;
        } catch (IOException | RuntimeException unreadable) {
            return EPHEMERAL_FALLBACK;
        }
    }
}
