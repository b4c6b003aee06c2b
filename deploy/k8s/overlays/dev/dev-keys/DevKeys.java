import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The development key pair of a containerised registry, made once and then kept, run with a JDK image alone
 * ({@code java DevKeys.java ...}, no build): the same files and issuer as {@code ./platform token} uses locally.
 * <ul>
 *   <li>{@code files DIR}: dev-private-key.pem and dev-public-key.pem in DIR (docker-compose's one-shot container).</li>
 *   <li>{@code kubernetes NAMESPACE}: Secrets registry-jwt (publicKey.pem, what the services mount) and
 *       registry-dev-signing-key (privateKey.pem, publicKey.pem), through the API with the pod's ServiceAccount
 *       (the dev overlay's Job).</li>
 *   <li>{@code token DIR --role site|analyst|operator [--site CODE] [--subject NAME] [--days N]}: a bearer token
 *       signed with DIR/dev-private-key.pem, with the claims the services read (sub, groups, site).</li>
 * </ul>
 * For development only: a real deployment uses its identity provider's key.
 */
public class DevKeys {

    static final String ISSUER = "https://nbregistry.local/dev";
    static final String PRIVATE_FILE = "dev-private-key.pem";
    static final String PUBLIC_FILE = "dev-public-key.pem";
    static final Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

    public static void main(String[] args) throws Exception {
        String mode = args.length < 2 ? "" : args[0];
        switch (mode) {
            case "files" -> files(Path.of(args[1]));
            case "kubernetes" -> kubernetes(args[1]);
            case "token" -> System.out.println(token(Path.of(args[1]), options(args)));
            default -> {
                System.err.println("usage: DevKeys files DIR | kubernetes NAMESPACE | token DIR --role R [--site S] [--subject N] [--days D]");
                System.exit(2);
            }
        }
    }

    static void files(Path dir) throws Exception {
        Path privateFile = dir.resolve(PRIVATE_FILE);
        Path publicFile = dir.resolve(PUBLIC_FILE);
        if (Files.isRegularFile(privateFile) && Files.isRegularFile(publicFile)) {
            System.out.println("development key pair in " + dir + " kept");
            return;
        }
        KeyPair pair = generate();
        Files.createDirectories(dir);
        write(privateFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), "rw-------");
        write(publicFile, pem("PUBLIC KEY", pair.getPublic().getEncoded()), "rw-r--r--");
        System.out.println("development key pair made in " + dir);
    }

    /** Creates both Secrets unless they exist; an existing signing key is kept and its public half published. */
    static void kubernetes(String namespace) throws Exception {
        String bearer = Files.readString(SERVICE_ACCOUNT.resolve("token")).trim();
        HttpClient http = HttpClient.newBuilder().sslContext(trusting(SERVICE_ACCOUNT.resolve("ca.crt"))).build();
        URI secrets = URI.create("https://kubernetes.default.svc/api/v1/namespaces/" + namespace + "/secrets");

        KeyPair pair = generate();
        String publicPem = pem("PUBLIC KEY", pair.getPublic().getEncoded());
        String privatePem = pem("PRIVATE KEY", pair.getPrivate().getEncoded());
        HttpResponse<String> signing = post(http, secrets, bearer,
                secret("registry-dev-signing-key", Map.of("privateKey.pem", privatePem, "publicKey.pem", publicPem)));
        if (signing.statusCode() == 409) {
            HttpResponse<String> existing = http.send(HttpRequest.newBuilder(URI.create(secrets + "/registry-dev-signing-key"))
                    .header("Authorization", "Bearer " + bearer).GET().build(), HttpResponse.BodyHandlers.ofString());
            Matcher m = Pattern.compile("\"publicKey\\.pem\"\\s*:\\s*\"([A-Za-z0-9+/=]+)\"").matcher(existing.body());
            if (existing.statusCode() != 200 || !m.find()) {
                throw new IllegalStateException("cannot read Secret registry-dev-signing-key: " + existing.statusCode() + " " + existing.body());
            }
            publicPem = new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.US_ASCII);
            System.out.println("Secret registry-dev-signing-key exists, kept");
        } else {
            expectCreated(signing, "registry-dev-signing-key");
        }
        HttpResponse<String> jwt = post(http, secrets, bearer, secret("registry-jwt", Map.of("publicKey.pem", publicPem)));
        if (jwt.statusCode() == 409) {
            System.out.println("Secret registry-jwt exists, kept");
        } else {
            expectCreated(jwt, "registry-jwt");
        }
    }

    static String token(Path dir, Map<String, String> options) throws Exception {
        String role = options.get("role");
        String site = options.get("site");
        if (role == null || ("site".equals(role) && site == null)) {
            throw new IllegalArgumentException("a token needs --role site|analyst|operator, and a site token --site CODE");
        }
        long now = Instant.now().getEpochSecond();
        long days = Long.parseLong(options.getOrDefault("days", "30"));
        String subject = options.getOrDefault("subject", site == null ? "dev-" + role : "dev-" + site);
        String claims = "{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + subject + "\",\"groups\":[\"" + role + "\"],"
                + (site == null ? "" : "\"site\":\"" + site + "\",") + "\"iat\":" + now + ",\"exp\":" + (now + days * 86_400) + "}";
        String signed = base64Url("{\"alg\":\"RS256\",\"typ\":\"JWT\"}") + "." + base64Url(claims);
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(readPrivate(dir.resolve(PRIVATE_FILE)));
        rsa.update(signed.getBytes(StandardCharsets.US_ASCII));
        return signed + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 2; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return options;
    }

    private static KeyPair generate() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static PrivateKey readPrivate(Path file) throws Exception {
        String base64 = Files.readString(file).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** Through a temporary file, so that a reader never sees half a key. */
    private static void write(Path file, String content, String permissions) throws Exception {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(permissions));
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String secret(String name, Map<String, String> data) {
        StringBuilder entries = new StringBuilder();
        data.forEach((key, value) -> entries.append(entries.isEmpty() ? "" : ",").append('"').append(key).append("\":\"")
                .append(Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.US_ASCII))).append('"'));
        return "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"" + name
                + "\",\"labels\":{\"app.kubernetes.io/part-of\":\"nb-relapse-registry\"}},\"type\":\"Opaque\",\"data\":{" + entries + "}}";
    }

    private static HttpResponse<String> post(HttpClient http, URI uri, String bearer, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + bearer)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void expectCreated(HttpResponse<String> response, String name) {
        if (response.statusCode() != 201) {
            throw new IllegalStateException("cannot create Secret " + name + ": " + response.statusCode() + " " + response.body());
        }
        System.out.println("Secret " + name + " created");
    }

    private static SSLContext trusting(Path caCertificate) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (var in = Files.newInputStream(caCertificate)) {
            trust.setCertificateEntry("kubernetes", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
