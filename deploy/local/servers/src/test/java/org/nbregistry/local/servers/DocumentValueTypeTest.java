package org.nbregistry.local.servers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.ArrayFilters;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.Decimal128;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.oplog.NoopOplog;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.WriteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocumentValueTypeTest {

    @TempDir
    Path dir;

    /** A projection-shaped document with every kind of value the services store. */
    private static Document document(int n) {
        return new Document("_id", "S01/PSN-" + n)
                .append("version", (long) n * 3)
                .append("count", n)
                .append("ratio", n / 7.0)
                .append("exact", Decimal128.fromNumber(n))
                .append("flag", n % 2 == 0)
                .append("nothing", null)
                .append("at", Instant.ofEpochMilli(1_700_000_000_000L + n))
                .append("oid", new ObjectId())
                .append("uuid", UUID.nameUUIDFromBytes(("u" + n).getBytes()))
                .append("bytes", new BinData(new byte[] {1, 2, (byte) n}))
                .append("text", "Ω≈ç √ " + "x".repeat(n % 50))
                .append("episodes", List.of(new Document("id", "EP-" + n).append("days", List.of(1, 2, 3)),
                        new Document("id", "EP-" + (n + 1)).append("days", List.of())))
                .append("nested", new Document("a", new Document("b", new Document("c", List.of("deep", 1L, 2.5)))));
    }

    @Test
    void aDocumentIsStoredAsBsonAndReadBackEqual() {
        DocumentValueType type = new DocumentValueType();
        for (int n = 0; n < 200; n++) {
            Document original = document(n);
            WriteBuffer buffer = new WriteBuffer();
            type.write(buffer, original);
            assertEquals(DocumentValueType.BSON_DOCUMENT, buffer.getBuffer().get(0));
            Object read = type.read(buffer.getBuffer().flip());
            assertEquals(original, read);
            assertEquals(List.copyOf(original.keySet()), List.copyOf(((Document) read).keySet()), "member order kept");
            assertEquals(0, buffer.getBuffer().remaining(), "exactly the document's bytes consumed");
        }
    }

    @Test
    void theCacheCountsADocumentAsTheHeapItTakesDecodedAlsoWhenOnlyReading() {
        Document big = new Document("_id", "S01/PSN-1").append("episodes", List.of(new Document("text", "x".repeat(20_000))));
        WriteBuffer written = new WriteBuffer();
        new DocumentValueType().write(written, big);
        int bsonLength = written.position() - 1;

        DocumentValueType reader = new DocumentValueType();
        Object read = null;
        for (int i = 0; i < 200; i++) {
            read = reader.read(written.getBuffer().duplicate().flip());
        }
        int estimate = reader.getMemory(read);
        assertEquals(DocumentValueType.DECODED_BYTES_PER_BSON_BYTE * bsonLength, estimate, bsonLength,
                "a server that has only read documents estimates them from their stored size, not from a fixed guess");
    }

    @Test
    void valuesFollowingADocumentInOnePageReadBackInOrder() {
        DocumentValueType type = new DocumentValueType();
        WriteBuffer buffer = new WriteBuffer();
        type.write(buffer, document(1));
        type.write(buffer, "a plain string");
        type.write(buffer, document(2));
        type.write(buffer, 42L);
        var read = buffer.getBuffer().flip();
        assertEquals(document(1).get("_id"), ((Document) type.read(read)).get("_id"));
        assertEquals("a plain string", type.read(read));
        assertEquals(document(2).get("_id"), ((Document) type.read(read)).get("_id"));
        assertEquals(42L, type.read(read));
    }

    @Test
    void aDocumentBsonCannotHoldIsStillStoredJavaSerialized() {
        DocumentValueType type = new DocumentValueType();
        Document odd = new Document("_id", "x").append("value", new StringBuilder("not a BSON value"));
        WriteBuffer buffer = new WriteBuffer();
        type.write(buffer, odd);
        assertTrue(buffer.getBuffer().get(0) != DocumentValueType.BSON_DOCUMENT);
        Document read = (Document) type.read(buffer.getBuffer().flip());
        assertEquals("not a BSON value", read.get("value").toString());
    }

    @Test
    void aDataFileOfJavaSerializedDocumentsOpensAndTakesNewWritesAsBson() {
        String file = dir.resolve("mongo.mv").toString();
        H2Backend stock = new H2Backend(file);
        MongoCollection<?> written = stock.resolveDatabase("analytics").createCollectionOrThrowIfExists("patients");
        List<Document> documents = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            documents.add(document(i));
        }
        written.insertDocuments(documents, true);
        stock.close();

        reopen(file, read -> {
            for (int i = 0; i < 1_000; i += 7) {
                assertEquals(document(i).get("nested"), find(read, i).get("nested"), "R" + i);
            }
            read.updateDocuments(new Document("_id", "S01/PSN-7"), new Document("$set", new Document("count", -7)),
                    ArrayFilters.empty(), false, false, NoopOplog.get());
            read.insertDocuments(List.of(document(5_000)), true);
        });
        reopen(file, read -> {
            assertEquals(-7, find(read, 7).get("count"));
            assertEquals(document(8).get("episodes"), find(read, 8).get("episodes"));
            assertEquals(document(5_000).get("at"), find(read, 5_000).get("at"));
            assertEquals(1_001, read.count());
        });
        try (MVStore store = new MVStore.Builder().fileName(file).readOnly().open()) {
            MVMap<Object, Object> raw = store.openMap("databases.analytics.patients",
                    new MVMap.Builder<Object, Object>().valueType(new RawTag()));
            assertEquals(DocumentValueType.BSON_DOCUMENT, raw.get("S01/PSN-5000"), "written after the reopening: BSON");
        }
    }

    private static void reopen(String file, Consumer<MongoCollection<?>> check) {
        IdAnchoredH2Backend backend = new IdAnchoredH2Backend(file);
        try {
            check.accept(backend.resolveDatabase("analytics").resolveCollection("patients", true));
        } finally {
            backend.close();
        }
    }

    private static Document find(MongoCollection<?> collection, int n) {
        Document found = collection.handleQueryAsStream(new Document("_id", "S01/PSN-" + n)).findFirst().orElse(null);
        assertNotNull(found, "PSN-" + n);
        assertInstanceOf(Document.class, found);
        return found;
    }

    /** Answers the tag a value was stored with, in place of the value. */
    private static final class RawTag extends org.h2.mvstore.type.ObjectDataType {
        @Override
        public Object read(java.nio.ByteBuffer buffer) {
            byte tag = buffer.get(buffer.position());
            new DocumentValueType().read(buffer);
            return tag;
        }
    }
}
