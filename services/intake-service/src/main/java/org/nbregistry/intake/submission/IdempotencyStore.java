package org.nbregistry.intake.submission;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.IndexOptions;
import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.quarkus.mongodb.reactive.ReactiveMongoCollection;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.TimeUnit;

/**
 * The answers given to batch requests by (site, Idempotency-Key), so a retried request gets the same answer and
 * changes nothing. Keys expire after registry.intake.idempotency-retention (a TTL index).
 */
@ApplicationScoped
public class IdempotencyStore {

    /** A stored answer and the hash of the request it answered. */
    public record Stored(String requestHash, int status, String body) {
    }

    private final ReactiveMongoCollection<Document> keys;
    private final Duration retention;

    public IdempotencyStore(ReactiveMongoClient client, @ConfigProperty(name = "registry.intake.database", defaultValue = "intake") String database,
                            @ConfigProperty(name = "registry.intake.idempotency-retention", defaultValue = "7d") Duration retention) {
        this.keys = client.getDatabase(database).getCollection("idempotency");
        this.retention = retention;
    }

    void createIndexes(@Observes StartupEvent started) {
        keys.createIndex(Indexes.ascending("createdAt"), new IndexOptions().expireAfter(retention.toSeconds(), TimeUnit.SECONDS))
                .await().indefinitely();
    }

    public Uni<Stored> find(String site, String key) {
        return keys.find(Filters.eq("_id", site + "/" + key)).collect().first()
                .map(d -> d == null ? null : new Stored(d.getString("requestHash"), d.getInteger("status"), d.getString("body")));
    }

    /** Stores the answer; when a concurrent request with the same key stored first, returns that one instead. */
    public Uni<Stored> remember(String site, String key, Stored answer) {
        Document doc = new Document("_id", site + "/" + key).append("requestHash", answer.requestHash())
                .append("status", answer.status()).append("body", answer.body()).append("createdAt", Date.from(Instant.now()));
        return keys.insertOne(doc).replaceWith(answer)
                .onFailure(MongoErrors::isDuplicateKey)
                .recoverWithUni(() -> find(site, key));
    }
}
