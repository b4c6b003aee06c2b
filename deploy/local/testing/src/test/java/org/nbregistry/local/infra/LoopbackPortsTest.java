package org.nbregistry.local.infra;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoopbackPortsTest {

    @Test
    void aPortIsFreeBelowTheEphemeralRangeAndNotHandedOutTwice() throws IOException {
        int ephemeral = LoopbackPorts.ephemeralRangeStart();
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            int port = LoopbackPorts.free();
            assertTrue(port >= 10_000 && port < ephemeral, port + " lies below " + ephemeral);
            try (ServerSocket bound = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                assertEquals(port, bound.getLocalPort());
            }
            ports.add(port);
        }
        assertEquals(20, ports.size(), "each call names another port");
    }

    @Test
    void aPortTakenByAListenerIsSkipped() throws IOException {
        int first = LoopbackPorts.free();
        try (ServerSocket taken = new ServerSocket(first + 1, 1, InetAddress.getLoopbackAddress())) {
            int next = LoopbackPorts.free();
            assertTrue(next != taken.getLocalPort(), "the listener's port " + taken.getLocalPort() + " is not handed out");
        }
    }
}
