package org.nbregistry.local.servers;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.AbstractCursor;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * mongo-java-server's H2 backend, answering queries that pin {@code _id} from the primary index as MongoDB does, with
 * unique indexes whose keys compare without being serialized again each time ({@link IndexKeyType}) and documents
 * stored as BSON ({@link DocumentValueType}).
 *
 * <p>mongo-java-server uses an index only when a filter's keys are exactly the index's keys, so
 * {@code {_id: x, version: 3}} or {@code {$and: [{_id: x}, {...}]}} (a conditional update, an optimistic version check)
 * reads every document of the collection: each such write costs O(collection size), and loading a registry becomes
 * quadratic. Here the primary index narrows those filters to the pinned documents first; the whole filter is then
 * applied to them as before, so the answer is the same and only the cost changes.
 *
 * <p>A scan a client reads in batches ({@code batchSize}) is read from the store one batch at a time
 * ({@link Collection.ScanCursor}); mongo-java-server collects every matching document first, which for a registry's
 * whole projection (10^5 documents and more) exceeds the server's heap.
 */
final class IdAnchoredH2Backend extends H2Backend {

    /** Queries answered through the primary index although their filter had more than {@code _id}. */
    final AtomicLong anchoredQueries = new AtomicLong();

    /**
     * Megabytes of decoded pages the store keeps (H2's default is 16), counted as the heap they take
     * ({@link DocumentValueType#getMemory}): a registry's working set stays in memory, and half of the server's 640 MB
     * heap stays for the requests.
     */
    private static final int CACHE_MB = 320;
    /**
     * Chunks less full than this are rewritten in the background (H2's default is 90, which under steady updates keeps
     * rewriting most of the file); a larger file is the price of far less work per write.
     */
    private static final int COMPACT_BELOW_FILL_PERCENT = 40;

    IdAnchoredH2Backend(String fileName) {
        super(new MVStore.Builder().fileName(fileName).cacheSize(CACHE_MB).autoCompactFillRate(COMPACT_BELOW_FILL_PERCENT).open());
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        return new Database(databaseName, getMvStore(), getCursorRegistry());
    }

    /** The {@code _id} value (or {@code {$in: [...]}}) a filter requires beside other conditions, or null. */
    static Object pinnedId(Document filter) {
        if (filter.size() > 1 && filter.containsKey("_id")) {
            return filter.get("_id");
        }
        if (filter.size() == 1 && filter.get("$and") instanceof List<?> conditions) {
            for (Object condition : conditions) {
                if (condition instanceof Document d && d.size() == 1 && d.containsKey("_id")) {
                    return d.get("_id");
                }
            }
        }
        return null;
    }

    /** Inner, so that collections opened while H2Database's constructor runs already reach the store. */
    private final class Database extends H2Database {

        Database(String databaseName, MVStore store, CursorRegistry cursors) {
            super(databaseName, store, cursors);
        }

        @Override
        protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
            // H2Database's map name for the index, so existing data files open unchanged.
            String mapName = getFullCollectionNamespace(collectionName) + "._index_" + indexName;
            MVMap<KeyValue, Object> map = getMvStore().openMap(mapName, new MVMap.Builder<KeyValue, Object>().keyType(new IndexKeyType()));
            return new H2KeyIndex(map, indexName, keys, sparse);
        }

        @Override
        protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
            // The map names H2Database gives a collection's data and metadata, so existing data files open unchanged.
            String namespace = getFullCollectionNamespace(collectionName);
            MVMap<Object, Document> data = getMvStore().openMap("databases." + namespace,
                    new MVMap.Builder<Object, Document>().valueType(new DocumentValueType()));
            MVMap<String, Object> meta = getMvStore().openMap("meta." + namespace);
            return new Collection(this, collectionName, options, data, meta, cursorRegistry);
        }
    }

    private final class Collection extends H2Collection {

        private final MVMap<Object, Document> data;

        Collection(MongoDatabase database, String name, CollectionOptions options, MVMap<Object, Document> data,
                   MVMap<String, Object> meta, CursorRegistry cursors) {
            super(database, name, options, data, meta, cursors);
            this.data = data;
        }

        @Override
        protected QueryResult matchDocuments(Document query, Document orderBy, int numberToSkip, int limit, int batchSize,
                                             Document fieldSelector) {
            boolean plainScanInBatches = batchSize > 0 && numberToSkip == 0 && limit <= 0 && isEmpty(orderBy) && isEmpty(fieldSelector);
            if (!plainScanInBatches) {
                return super.matchDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
            }
            ScanCursor cursor = new ScanCursor(cursorRegistry.generateCursorId(), query, batchSize);
            List<Document> firstBatch = cursor.takeDocuments(batchSize);
            if (cursor.isEmpty()) {
                return new QueryResult(firstBatch);
            }
            cursorRegistry.add(cursor);
            return new QueryResult(firstBatch, cursor);
        }

        private static boolean isEmpty(Document document) {
            return document == null || document.isEmpty();
        }

        /**
         * The rest of a scan, in key order, read from the current store at each {@code getMore} from the key where the
         * previous batch stopped — never a whole result in memory, and never an old store version held open while a
         * client is slow (H2 may reuse the pages of versions no longer current). Like a MongoDB cursor without a
         * snapshot, a document changed meanwhile is returned as it is when its batch is read, each key at most once.
         */
        final class ScanCursor extends AbstractCursor {

            private final Document query;
            private final int defaultBatch;
            /** The key of the next matching document, or null when there is none. */
            private Object resumeAt;

            ScanCursor(long id, Document query, int defaultBatch) {
                super(id);
                this.query = query;
                this.defaultBatch = defaultBatch;
                this.resumeAt = data.firstKey();
            }

            @Override
            public boolean isEmpty() {
                return resumeAt == null;
            }

            @Override
            public synchronized List<Document> takeDocuments(int numberToReturn) {
                int wanted = numberToReturn > 0 ? numberToReturn : defaultBatch;
                List<Document> batch = new ArrayList<>(Math.min(wanted, 1024));
                Object next = null;
                if (resumeAt != null) {
                    Cursor<Object, Document> entries = data.cursor(resumeAt);
                    while (next == null && entries.hasNext()) {
                        Object key = entries.next();
                        Document document = entries.getValue();
                        if (documentMatchesQuery(document, query)) {
                            if (batch.size() < wanted) {
                                batch.add(document);
                            } else {
                                next = key;
                            }
                        }
                    }
                }
                resumeAt = next;
                return batch;
            }
        }

        @Override
        protected QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int limit, int batchSize,
                                             Document fieldSelector) {
            Object id = pinnedId(query);
            if (id != null) {
                Document byId = new Document("_id", id);
                for (Index<Object> index : getIndexes()) {
                    if (index.canHandle(byId)) {
                        anchoredQueries.incrementAndGet();
                        return matchDocuments(query, index.getPositions(byId), orderBy, numberToSkip, limit, batchSize, fieldSelector);
                    }
                }
            }
            return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
        }
    }
}
