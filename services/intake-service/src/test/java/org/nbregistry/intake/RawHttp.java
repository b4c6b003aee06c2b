package org.nbregistry.intake;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Requests an HTTP client library would refuse to send (no Host, broken chunks, a body that stops), written byte
 * for byte to the running service. Every read has a deadline: a server that hangs fails the test instead of
 * blocking it.
 */
final class RawHttp {

    static final int DEADLINE_MS = 15_000;

    /** What came back: the status (0 when the server closed without answering), headers in lower case, the body. */
    record Answer(int status, Map<String, String> headers, String body) {
        boolean closedWithoutAnswer() {
            return status == 0;
        }
    }

    private RawHttp() {
    }

    /** Sends the bytes, then reads one answer; with {@code stall} the connection stays open without sending more. */
    static Answer send(int port, String head, byte[] body) throws IOException {
        try (Socket socket = connect(port, DEADLINE_MS)) {
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return read(socket.getInputStream());
        }
    }

    /** A connection on which every read gives up after {@code deadlineMs}. */
    static Socket connect(int port, int deadlineMs) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(deadlineMs);
        return socket;
    }

    /** Reads one answer; a deadline passing first fails the test. */
    static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) > 0) {
                raw.write(buffer, 0, n);
                if (complete(raw.toString(StandardCharsets.UTF_8))) {
                    break;
                }
            }
        } catch (SocketTimeoutException hung) {
            throw new AssertionError("no answer and no close within " + DEADLINE_MS + " ms", hung);
        } catch (IOException reset) {
            // A reset connection is a close without an answer.
        }
        return parse(raw.toString(StandardCharsets.UTF_8));
    }

    private static boolean complete(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        Map<String, String> headers = parse(text).headers();
        String length = headers.get("content-length");
        return length != null && text.length() - end - 4 >= Integer.parseInt(length.trim());
    }

    private static Answer parse(String text) {
        if (!text.startsWith("HTTP/")) {
            return new Answer(0, Map.of(), text);
        }
        int end = text.indexOf("\r\n\r\n");
        String head = end < 0 ? text : text.substring(0, end);
        String[] lines = head.split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers, end < 0 ? "" : text.substring(end + 4));
    }
}
