package org.nbregistry.local.infra;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Creates every topic of api-specs/asyncapi.yaml, and its dead-letter topic, before any service starts — as an
 * operator would: the partition count is then the one chosen here, not whatever broker default applies to a
 * topic created on first use, and no consumer starts on a topic that does not exist yet.
 */
public final class RegistryTopics {

    private static final Pattern ADDRESS = Pattern.compile("^\\s+address:\\s*([A-Za-z0-9._-]+)\\s*$");

    private RegistryTopics() {
    }

    public static List<String> declared(Path repositoryRoot) {
        List<String> topics = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(repositoryRoot.resolve("api-specs").resolve("asyncapi.yaml"))) {
                Matcher m = ADDRESS.matcher(line);
                if (m.matches()) {
                    topics.add(m.group(1));
                    topics.add(m.group(1) + ".dlq");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return topics;
    }

    /** Creates the declared topics that do not exist yet, with {@code partitions} partitions each. */
    public static void ensure(String bootstrapServers, Path repositoryRoot, int partitions) {
        // Kafka loads its plugins through the context class loader; under Quarkus' test class loaders that is
        // not the loader that loaded this class, and its classes would not match.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(RegistryTopics.class.getClassLoader());
        try {
            create(bootstrapServers, repositoryRoot, partitions);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static void create(String bootstrapServers, Path repositoryRoot, int partitions) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = declared(repositoryRoot).stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, partitions, (short) 1)).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create the registry topics on " + bootstrapServers, e);
        }
    }
}
