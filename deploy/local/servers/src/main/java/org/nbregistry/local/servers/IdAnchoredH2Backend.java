package org.nbregistry.local.servers;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
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
 */
final class IdAnchoredH2Backend extends H2Backend {

    /** Queries answered through the primary index although their filter had more than {@code _id}. */
    final AtomicLong anchoredQueries = new AtomicLong();

    /** Megabytes of pages the store keeps read (H2's default is 16): a registry's working set stays in memory. */
    private static final int CACHE_MB = 160;
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

        Collection(MongoDatabase database, String name, CollectionOptions options, MVMap<Object, Document> data,
                   MVMap<String, Object> meta, CursorRegistry cursors) {
            super(database, name, options, data, meta, cursors);
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
