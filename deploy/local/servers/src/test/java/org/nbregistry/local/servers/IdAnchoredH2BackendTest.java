package org.nbregistry.local.servers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.ArrayFilters;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.NoopOplog;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdAnchoredH2BackendTest {

    @TempDir
    Path dir;

    private IdAnchoredH2Backend backend;
    private MongoCollection<?> collection;

    @BeforeEach
    void open() {
        backend = new IdAnchoredH2Backend(dir.resolve("mongo.mv").toString());
        collection = backend.resolveDatabase("registry").resolveCollection("patients", false);
        if (collection == null) {
            collection = backend.resolveDatabase("registry").createCollectionOrThrowIfExists("patients");
        }
        collection.insertDocuments(List.of(doc("a", 1), doc("b", 2), doc("c", 3)), true);
    }

    @AfterEach
    void close() {
        backend.close();
    }

    private static Document doc(String id, int version) {
        return new Document("_id", id).append("version", version);
    }

    private List<Object> ids(Document filter) {
        return collection.handleQueryAsStream(filter).map(d -> d.get("_id")).toList();
    }

    @Test
    void aFilterPinningTheIdAnswersExactlyWhatTheWholeFilterSelects() {
        assertEquals(List.of("b"), ids(new Document("_id", "b").append("version", 2)));
        assertEquals(List.of(), ids(new Document("_id", "b").append("version", 3)));
        assertEquals(List.of("b"), ids(new Document("$and", List.of(new Document("_id", "b"), new Document("version", 2)))));
        assertEquals(List.of(), ids(new Document("$and", List.of(new Document("_id", "b"),
                new Document("version", new Document("$gt", 2))))));
        assertEquals(List.of("a", "c"), ids(new Document("_id", new Document("$in", List.of("a", "c", "x")))
                .append("version", new Document("$lt", 9))));
        assertEquals(5, backend.anchoredQueries.get(), "each pinned filter with extra conditions went through the index");
    }

    @Test
    void otherFiltersStillScan() {
        assertEquals(List.of("c"), ids(new Document("version", 3)));
        assertEquals(List.of("a", "b"), ids(new Document("$or", List.of(new Document("_id", "a"), new Document("version", 2)))));
        assertEquals(0, backend.anchoredQueries.get());
    }

    @Test
    void aConditionalUpdateChangesOnlyThePinnedDocumentWhenItsConditionHolds() {
        Document stale = new Document("$and", List.of(new Document("_id", "a"), new Document("version", 0)));
        collection.updateDocuments(stale, new Document("$set", new Document("version", 5)), ArrayFilters.empty(), false, false,
                NoopOplog.get());
        assertEquals(List.of(), ids(new Document("version", 5)));

        Document current = new Document("$and", List.of(new Document("_id", "a"), new Document("version", 1)));
        collection.updateDocuments(current, new Document("$set", new Document("version", 5)), ArrayFilters.empty(), false, false,
                NoopOplog.get());
        assertEquals(List.of("a"), ids(new Document("version", 5)));
    }

    @Test
    void pinnedIdIsFoundAtTheTopLevelOrAsAConditionOfAnAnd() {
        assertEquals("x", IdAnchoredH2Backend.pinnedId(new Document("_id", "x").append("v", 1)));
        assertEquals("x", IdAnchoredH2Backend.pinnedId(new Document("$and", List.of(new Document("v", 1), new Document("_id", "x")))));
        assertNull(IdAnchoredH2Backend.pinnedId(new Document("_id", "x")), "an _id-only filter is the primary index's own case");
        assertNull(IdAnchoredH2Backend.pinnedId(new Document("$or", List.of(new Document("_id", "x")))));
    }

    /** The connection the commands below arrive on (the backend keeps per-connection status). */
    private final Channel client = new EmbeddedChannel();

    /** The documents of a {@code find} read to its end through {@code getMore}, batch by batch, as a driver does. */
    private List<List<Document>> findInBatches(Document command, Runnable betweenFirstAndSecondBatch) {
        List<List<Document>> batches = new ArrayList<>();
        Document cursor = (Document) backend.handleCommand(client, "registry", "find", command).get("cursor");
        batches.add(documents(cursor, "firstBatch"));
        betweenFirstAndSecondBatch.run();
        long id = ((Number) cursor.get("id")).longValue();
        while (id != 0) {
            Document getMore = new Document("getMore", id).append("collection", "patients");
            if (command.containsKey("batchSize")) {
                getMore.append("batchSize", command.get("batchSize"));
            }
            cursor = (Document) backend.handleCommand(client, "registry", "getMore", getMore).get("cursor");
            batches.add(documents(cursor, "nextBatch"));
            id = ((Number) cursor.get("id")).longValue();
        }
        return batches;
    }

    @SuppressWarnings("unchecked")
    private static List<Document> documents(Document cursor, String key) {
        return (List<Document>) cursor.get(key);
    }

    private void insertNumbered(int count) {
        collection.insertDocuments(IntStream.range(0, count).mapToObj(i -> doc("n%04d".formatted(i), i)).toList(), true);
    }

    @Test
    void aScanReadInBatchesReturnsEachDocumentOnceAsItIsWhenItsBatchIsRead() {
        insertNumbered(1000);
        List<List<Document>> batches = findInBatches(new Document("find", "patients").append("filter", new Document()).append("batchSize", 100),
                () -> {
                    // After the first batch (a, b, c and n0000..n0096 in key order): change, remove and add documents ahead.
                    collection.updateDocuments(new Document("_id", "n0500"), new Document("$set", new Document("version", -1)),
                            ArrayFilters.empty(), false, false, NoopOplog.get());
                    collection.deleteDocuments(new Document("_id", "n0600"), 0, NoopOplog.get());
                    collection.insertDocuments(List.of(doc("z", 9)), true);
                });

        assertEquals(100, batches.get(0).size(), "the first reply holds one batch, not the whole collection");
        assertTrue(batches.stream().allMatch(b -> b.size() <= 100), "no reply exceeds the batch size");
        List<Object> ids = batches.stream().flatMap(List::stream).map(d -> d.get("_id")).toList();
        assertEquals(ids.size(), new HashSet<>(ids).size(), "no document twice");
        Set<Object> expected = new HashSet<>(List.of("a", "b", "c", "z"));
        IntStream.range(0, 1000).filter(i -> i != 600).forEach(i -> expected.add("n%04d".formatted(i)));
        assertEquals(expected, new HashSet<>(ids));
        assertEquals(-1, batches.stream().flatMap(List::stream).filter(d -> d.get("_id").equals("n0500")).findFirst().orElseThrow()
                .get("version"), "a document changed before its batch is read is returned as changed");
    }

    @Test
    void aFilteredScanReadInBatchesReturnsWhatTheUnbatchedQuerySelects() {
        insertNumbered(1000);
        Document filter = new Document("version", new Document("$gte", 990));
        List<List<Document>> batches = findInBatches(new Document("find", "patients").append("filter", filter).append("batchSize", 3), () -> { });

        assertEquals(List.of(3, 3, 3, 1), batches.stream().map(List::size).toList());
        assertEquals(ids(filter), batches.stream().flatMap(List::stream).map(d -> d.get("_id")).toList());
    }

    @Test
    void aSortedOrUnbatchedFindIsAnsweredAsBefore() {
        insertNumbered(300);
        List<List<Document>> sorted = findInBatches(new Document("find", "patients").append("filter", new Document())
                .append("sort", new Document("version", -1)).append("batchSize", 100), () -> { });
        List<Object> versions = sorted.stream().flatMap(List::stream).map(d -> d.get("version")).toList();
        assertEquals(303, versions.size());
        assertEquals(299, versions.get(0), "sorted by version, descending");
        assertTrue(sorted.size() > 1, "the sorted find still came in batches");

        List<List<Document>> whole = findInBatches(new Document("find", "patients").append("filter", new Document()), () -> { });
        assertEquals(1, whole.size(), "without a batch size the first reply holds everything");
        assertEquals(303, whole.get(0).size());
    }
}
