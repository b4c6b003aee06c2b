package org.nbregistry.local.platform;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of the OCI distribution API (registry v2) that an image push uses, on 127.0.0.1, so the image build can
 * be exercised end to end without a Docker daemon or a registry server: blob uploads (monolithic or chunked),
 * existence checks and manifests by tag. Blobs are checked against their digest as a real registry does. It speaks
 * HTTPS with a self-signed certificate (made by keytool), which a client allowed "insecure" registries accepts:
 * Jib tries HTTPS first and, against a plain-HTTP port, would wait for a handshake answer until its read timeout.
 */
final class LoopbackImageRegistry implements AutoCloseable {

    record Manifest(String mediaType, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static final Pattern BLOB = Pattern.compile("/v2/(.+)/blobs/(sha256:[0-9a-f]{64})");
    private static final Pattern UPLOADS = Pattern.compile("/v2/(.+)/blobs/uploads/");
    private static final Pattern UPLOAD = Pattern.compile("/v2/(.+)/blobs/uploads/([0-9a-f-]{36})");
    private static final Pattern MANIFEST = Pattern.compile("/v2/(.+)/manifests/([^/]+)");

    private final HttpServer server;
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    private final Map<String, ByteArrayOutputStream> uploads = new ConcurrentHashMap<>();
    private final Map<String, Manifest> manifests = new ConcurrentHashMap<>();

    LoopbackImageRegistry(Path workDirectory) throws Exception {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(selfSigned(workDirectory)));
        this.server = server;
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", this::handle);
        server.start();
    }

    private static SSLContext selfSigned(Path workDirectory) throws Exception {
        Path keystore = workDirectory.resolve("loopback-registry.p12");
        char[] password = "loopback".toCharArray();
        Files.deleteIfExists(keystore);
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "registry", "-keyalg", "EC", "-validity", "1", "-dname", "CN=127.0.0.1",
                "-ext", "san=ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", new String(password)).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (keytool.waitFor() != 0) {
            throw new IllegalStateException("keytool: " + output);
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, password);
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, password);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), null, null);
        return tls;
    }

    /** host:port, as an image reference names a registry. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    Optional<Manifest> manifest(String repository, String reference) {
        return Optional.ofNullable(manifests.get(repository + ":" + reference));
    }

    Optional<byte[]> blob(String digest) {
        return Optional.ofNullable(blobs.get(digest));
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().add("Docker-Distribution-API-Version", "registry/2.0");
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            Matcher m;
            if (path.equals("/v2/") || path.equals("/v2")) {
                answer(exchange, 200, "{}".getBytes(StandardCharsets.UTF_8), "application/json");
            } else if ((m = UPLOADS.matcher(path)).matches() && method.equals("POST")) {
                startUpload(exchange, m.group(1));
            } else if ((m = UPLOAD.matcher(path)).matches()) {
                continueUpload(exchange, m.group(1), m.group(2), method);
            } else if ((m = BLOB.matcher(path)).matches()) {
                byte[] blob = blobs.get(m.group(2));
                if (blob == null) {
                    answer(exchange, 404, new byte[0], null);
                } else {
                    exchange.getResponseHeaders().add("Docker-Content-Digest", m.group(2));
                    answer(exchange, 200, method.equals("HEAD") ? null : blob, "application/octet-stream", blob.length);
                }
            } else if ((m = MANIFEST.matcher(path)).matches()) {
                manifestRequest(exchange, m.group(1), m.group(2), method);
            } else {
                answer(exchange, 404, new byte[0], null);
            }
        }
    }

    private void startUpload(HttpExchange exchange, String repository) throws IOException {
        String id = UUID.randomUUID().toString();
        uploads.put(id, new ByteArrayOutputStream());
        exchange.getResponseHeaders().add("Location", "/v2/" + repository + "/blobs/uploads/" + id);
        exchange.getResponseHeaders().add("Docker-Upload-UUID", id);
        exchange.getResponseHeaders().add("Range", "0-0");
        answer(exchange, 202, new byte[0], null);
    }

    private void continueUpload(HttpExchange exchange, String repository, String id, String method) throws IOException {
        ByteArrayOutputStream upload = uploads.get(id);
        if (upload == null) {
            answer(exchange, 404, new byte[0], null);
            return;
        }
        upload.write(exchange.getRequestBody().readAllBytes());
        if (method.equals("PATCH")) {
            exchange.getResponseHeaders().add("Location", "/v2/" + repository + "/blobs/uploads/" + id);
            exchange.getResponseHeaders().add("Range", "0-" + Math.max(0, upload.size() - 1));
            answer(exchange, 202, new byte[0], null);
            return;
        }
        String digest = queryParameter(exchange.getRequestURI(), "digest");
        byte[] content = upload.toByteArray();
        if (!method.equals("PUT") || digest == null || !digest.equals(sha256(content))) {
            answer(exchange, 400, "{\"errors\":[{\"code\":\"DIGEST_INVALID\"}]}".getBytes(StandardCharsets.UTF_8),
                    "application/json");
            return;
        }
        uploads.remove(id);
        blobs.put(digest, content);
        exchange.getResponseHeaders().add("Location", "/v2/" + repository + "/blobs/" + digest);
        exchange.getResponseHeaders().add("Docker-Content-Digest", digest);
        answer(exchange, 201, new byte[0], null);
    }

    private void manifestRequest(HttpExchange exchange, String repository, String reference, String method)
            throws IOException {
        String key = repository + ":" + reference;
        if (method.equals("PUT")) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Manifest manifest = new Manifest(exchange.getRequestHeaders().getFirst("Content-Type"), body);
            String digest = sha256(body);
            manifests.put(key, manifest);
            manifests.put(repository + ":" + digest, manifest);
            exchange.getResponseHeaders().add("Docker-Content-Digest", digest);
            exchange.getResponseHeaders().add("Location", "/v2/" + repository + "/manifests/" + digest);
            answer(exchange, 201, new byte[0], null);
            return;
        }
        Manifest manifest = manifests.get(key);
        if (manifest == null) {
            answer(exchange, 404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}".getBytes(StandardCharsets.UTF_8),
                    "application/json");
            return;
        }
        exchange.getResponseHeaders().add("Docker-Content-Digest", sha256(manifest.body()));
        answer(exchange, 200, method.equals("HEAD") ? null : manifest.body(), manifest.mediaType(),
                manifest.body().length);
    }

    private static void answer(HttpExchange exchange, int status, byte[] body, String contentType) throws IOException {
        answer(exchange, status, body, contentType, body == null ? 0 : body.length);
    }

    /** A null body answers with headers only (HEAD), still announcing the content length. */
    private static void answer(HttpExchange exchange, int status, byte[] body, String contentType, long length)
            throws IOException {
        if (contentType != null) {
            exchange.getResponseHeaders().add("Content-Type", contentType);
        }
        if (body == null) {
            exchange.getResponseHeaders().add("Content-Length", Long.toString(length));
            exchange.sendResponseHeaders(status, -1);
        } else {
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private static String queryParameter(URI uri, String name) {
        String query = uri.getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    static String sha256(byte[] content) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
