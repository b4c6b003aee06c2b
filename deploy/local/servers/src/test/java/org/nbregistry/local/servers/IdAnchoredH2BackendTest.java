package org.nbregistry.local.servers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.ArrayFilters;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.NoopOplog;
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
}
