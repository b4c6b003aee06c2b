package org.nbregistry.local.servers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.ArrayFilters;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.NoopOplog;

/**
 * Prints what the local MongoDB-wire server's storage costs per document, for mongo-java-server's stock H2 backend
 * and for {@link IdAnchoredH2Backend}: inserts of site-record-shaped documents in batches, then updates by {@code _id}.
 * A harness, not a test:
 * <pre>java -cp target/classes:target/test-classes:target/lib/* org.nbregistry.local.servers.H2BackendLoad [documents]</pre>
 */
public final class H2BackendLoad {

    private H2BackendLoad() {
    }

    public static void main(String[] args) throws Exception {
        int documents = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        // Twice each, so that the second round runs compiled code.
        for (int round = 1; round <= 2; round++) {
            run("stock H2Backend", H2Backend::new, documents);
            run("IdAnchoredH2Backend", IdAnchoredH2Backend::new, documents);
        }
    }

    private static void run(String name, Function<String, MongoBackend> open, int documents) throws Exception {
        Path dir = Files.createTempDirectory("h2-load");
        MongoBackend backend = open.apply(dir.resolve("mongo.mv").toString());
        try {
            MongoCollection<?> records = backend.resolveDatabase("intake").createCollectionOrThrowIfExists("siteRecords");
            long start = System.nanoTime();
            for (int from = 0; from < documents; from += 200) {
                List<Document> batch = new ArrayList<>();
                for (int i = from; i < Math.min(documents, from + 200); i++) {
                    batch.add(record(i));
                }
                records.insertDocuments(batch, true);
            }
            long inserted = System.nanoTime();
            for (int i = 0; i < documents; i++) {
                records.updateDocuments(new Document("_id", id(i)), new Document("$set", new Document("status", "APPLIED")),
                        ArrayFilters.empty(), false, false, NoopOplog.get());
            }
            long updated = System.nanoTime();
            System.out.printf("%-20s %,d documents: insert %6.1f µs, update by _id %6.1f µs per document%n", name, documents,
                    (inserted - start) / 1e3 / documents, (updated - inserted) / 1e3 / documents);
        } finally {
            backend.close();
            try (var files = Files.walk(dir)) {
                files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String id(int i) {
        return "S0" + (i % 6 + 1) + "/episode/BNC1-" + i;
    }

    private static Document record(int i) {
        return new Document("_id", id(i)).append("site", "S0" + (i % 6 + 1)).append("recordType", "episode")
                .append("recordId", "BNC1-" + i).append("patientPseudonym", "P" + i / 6).append("status", "ACCEPTED")
                .append("content", new Document("episodeType", "relapse").append("episodeDate", "2022-03-0" + (i % 9 + 1)));
    }
}
