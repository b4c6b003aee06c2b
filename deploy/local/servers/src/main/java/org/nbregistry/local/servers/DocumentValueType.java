package org.nbregistry.local.servers;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.ObjectDataType;

/**
 * The stored form of a collection's documents: BSON, as MongoDB itself stores them, instead of H2's Java serialization.
 * H2 writes every value of a changed page again, and Java serialization describes each document's classes anew every
 * time (a new stream per value): 28% of the MongoDB-wire server's profile in a freshness phase of the bench. BSON is what the documents arrived as, so it holds every value they
 * can hold; one it cannot encode (none arrives over the wire) is still written Java-serialized. Values written before,
 * Java-serialized, read as before, so existing data files open unchanged (a file written here does not open in an
 * older build of this server).
 */
final class DocumentValueType extends ObjectDataType {

    /** A tag H2's own value types never write (they use 0–19 and 32–119). */
    static final byte BSON_DOCUMENT = 127;
    /**
     * The heap a decoded document takes per byte of its BSON: 5.9 measured for an analytics projection document (1,138
     * bytes of BSON, 6,719 bytes of Document, maps, strings and boxes). H2's page cache bounds itself by these
     * estimates, so an estimate below the truth lets the cache outgrow the heap.
     */
    static final int DECODED_BYTES_PER_BSON_BYTE = 6;
    /** The memory H2's page cache counts per document before the first is read or written (then a running average). */
    private static final int FIRST_ESTIMATE = 6_144;

    private volatile int averageMemory = FIRST_ESTIMATE;

    @Override
    public void write(WriteBuffer buffer, Object value) {
        if (value instanceof Document document) {
            ByteBuf bson = Unpooled.buffer(256);
            try {
                BsonEncoder.encodeDocument(document, bson);
            } catch (RuntimeException notBson) {
                super.write(buffer, value);
                return;
            }
            int length = bson.readableBytes();
            buffer.put(BSON_DOCUMENT).put(bson.array(), bson.arrayOffset() + bson.readerIndex(), length);
            account(length);
        } else {
            super.write(buffer, value);
        }
    }

    @Override
    public Object read(ByteBuffer buffer) {
        int start = buffer.position();
        if (buffer.get(start) != BSON_DOCUMENT) {
            return super.read(buffer);
        }
        // A BSON document begins with its own length, little-endian, which counts those four bytes. The decoder gets a
        // view in the default order: it reads its little-endian fields as such, and a UUID big-endian.
        int length = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(start + 1);
        ByteBuffer bson = buffer.duplicate();
        bson.position(start + 1).limit(start + 1 + length);
        Document document = BsonDecoder.decodeBson(Unpooled.wrappedBuffer(bson));
        buffer.position(start + 1 + length);
        account(length);
        return document;
    }

    /** Smoothed over the documents read and written: a server that only reads (a start-up scan) learns it as well. */
    private void account(int bsonLength) {
        averageMemory = (int) (((long) DECODED_BYTES_PER_BSON_BYTE * bsonLength + 15L * averageMemory) / 16);
    }

    int averageMemory() {
        return averageMemory;
    }

    @Override
    public int getMemory(Object value) {
        return value instanceof Document ? averageMemory : super.getMemory(value);
    }
}
