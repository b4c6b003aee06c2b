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
    /** The memory H2's page cache counts per document before the first is written (then a running average). */
    private static final int FIRST_ESTIMATE = 1_024;

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
            // As H2 estimates a serialized value: twice its stored size, smoothed over the values written.
            averageMemory = (int) ((2L * length + 15L * averageMemory) / 16);
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
        return document;
    }

    @Override
    public int getMemory(Object value) {
        return value instanceof Document ? averageMemory : super.getMemory(value);
    }
}
