package org.nbregistry.local.servers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Random;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.ObjectDataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexKeyTypeTest {

    @TempDir
    Path dir;

    private static List<KeyValue> keys() {
        Random random = new Random(7);
        List<KeyValue> keys = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            keys.add(new KeyValue("PT-S0" + random.nextInt(7) + "-" + random.nextInt(100_000)));
            keys.add(new KeyValue("S0" + random.nextInt(7), "patient", "R" + random.nextInt(1000)));
            keys.add(new KeyValue(random.nextInt(), random.nextDouble(), random.nextLong()));
            keys.add(new KeyValue(new Date(random.nextInt()), new ObjectId(), random.nextBoolean()));
            keys.add(new KeyValue(new Document("site", "S01").append("n", random.nextInt(50)), List.of("a", random.nextInt(9))));
        }
        keys.add(new KeyValue((Object) null));
        keys.add(new KeyValue(""));
        return keys;
    }

    @Test
    void ordersEveryKeyAsH2Does() {
        ObjectDataType h2 = new ObjectDataType();
        IndexKeyType type = new IndexKeyType();
        List<KeyValue> keys = keys();
        for (KeyValue a : keys) {
            for (int j = 0; j < keys.size(); j += 7) {
                KeyValue b = keys.get(j);
                assertEquals(Integer.signum(h2.compare(a, b)), Integer.signum(type.compare(a, b)), () -> a + " vs " + b);
                // A second time, now from remembered bytes.
                assertEquals(Integer.signum(h2.compare(a, b)), Integer.signum(type.compare(a, b)), () -> a + " vs " + b);
            }
        }
    }

    @Test
    void writesTheBytesH2Writes() {
        ObjectDataType h2 = new ObjectDataType();
        IndexKeyType type = new IndexKeyType();
        for (KeyValue key : keys()) {
            WriteBuffer expected = new WriteBuffer();
            h2.write(expected, key);
            WriteBuffer actual = new WriteBuffer();
            type.write(actual, key);
            type.write(actual.clear(), key);
            assertArrayEquals(bytes(expected), bytes(actual), key::toString);
            assertEquals(key, type.read(actual.getBuffer().flip()));
        }
    }

    @Test
    void aDataFileWrittenByTheStockBackendOpensWithItsIndexesIntact() {
        String file = dir.resolve("mongo.mv").toString();
        H2Backend stock = new H2Backend(file);
        MongoCollection<?> written = stock.resolveDatabase("intake").createCollectionOrThrowIfExists("siteRecords");
        List<Document> documents = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            documents.add(new Document("_id", "S01/patient/R" + i).append("n", i));
        }
        written.insertDocuments(documents, true);
        stock.close();

        IdAnchoredH2Backend reopened = new IdAnchoredH2Backend(file);
        try {
            MongoCollection<?> read = reopened.resolveDatabase("intake").resolveCollection("siteRecords", true);
            for (int i = 0; i < 2_000; i += 13) {
                Document found = read.handleQueryAsStream(new Document("_id", "S01/patient/R" + i)).findFirst().orElse(null);
                assertNotNull(found, "R" + i);
                assertEquals(i, found.get("n"));
            }
            assertEquals(List.of(), read.insertDocuments(List.of(new Document("_id", "S01/patient/new")), true));
            List<Document> refused = read.insertDocuments(List.of(new Document("_id", "S01/patient/R5")), true);
            assertEquals(11000, refused.get(0).get("code"), "the reopened index still knows R5");
            assertEquals(2_001, read.count());
        } finally {
            reopened.close();
        }
    }

    private static byte[] bytes(WriteBuffer buffer) {
        var data = buffer.getBuffer().duplicate().flip();
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        return bytes;
    }
}
