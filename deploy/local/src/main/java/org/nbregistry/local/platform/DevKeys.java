package org.nbregistry.local.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * The development key pair of one data folder ({@code <data>/keys/}): made once, then reused, so tokens minted
 * for a platform stay valid across restarts. It signs the local dev tokens and its public half is what the
 * services verify them with. It is for this machine only; a real deployment configures its own key or JWKS URL.
 */
final class DevKeys {

    /** The issuer of every development token; the services accept only it. */
    static final String ISSUER = "https://nbregistry.local/dev";

    private static final String PRIVATE_KEY = "dev-private-key.pem";
    private static final String PUBLIC_KEY = "dev-public-key.pem";

    private final Path publicKey;
    private final PrivateKey privateKey;

    private DevKeys(Path publicKey, PrivateKey privateKey) {
        this.publicKey = publicKey;
        this.privateKey = privateKey;
    }

    static Path directory(Path dataDir) {
        return dataDir.resolve("keys");
    }

    /** The data folder's key pair, made now if it has none. */
    static DevKeys ensure(Path dataDir) {
        Path dir = directory(dataDir);
        Path privateFile = dir.resolve(PRIVATE_KEY);
        Path publicFile = dir.resolve(PUBLIC_KEY);
        try {
            if (!Files.isRegularFile(privateFile) || !Files.isRegularFile(publicFile)) {
                create(dir, privateFile, publicFile);
            }
            return new DevKeys(publicFile, readPrivate(privateFile));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the development keys in " + dir, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the development key " + privateFile + " is unreadable; delete " + dir
                    + " to make a new pair (tokens minted with the old one stop working)", e);
        }
    }

    Path publicKeyFile() {
        return publicKey;
    }

    PrivateKey privateKey() {
        return privateKey;
    }

    private static void create(Path dir, Path privateFile, Path publicFile) throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        write(privateFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), true);
        write(publicFile, pem("PUBLIC KEY", pair.getPublic().getEncoded()), false);
    }

    /** Through a temporary file, so that a concurrent reader never sees half a key. */
    private static void write(Path file, String content, boolean secret) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.US_ASCII);
        if (secret && tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static PrivateKey readPrivate(Path file) throws IOException, GeneralSecurityException {
        String base64 = Files.readString(file, StandardCharsets.US_ASCII).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }
}
