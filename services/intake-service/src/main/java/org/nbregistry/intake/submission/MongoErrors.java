package org.nbregistry.intake.submission;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoWriteException;

final class MongoErrors {

    private MongoErrors() {
    }

    /** The write collided with a document of the same key: what an idempotent insert or a guarded upsert expects. */
    static boolean isDuplicateKey(Throwable failure) {
        return failure instanceof MongoWriteException w && w.getError().getCategory() == ErrorCategory.DUPLICATE_KEY;
    }

    /** An unordered bulk write whose every failed write collided with an existing key: the others were all written. */
    static boolean onlyDuplicateKeys(Throwable failure) {
        return isDuplicateKey(failure) || failure instanceof MongoBulkWriteException bulk && !bulk.getWriteErrors().isEmpty()
                && bulk.getWriteConcernError() == null
                && bulk.getWriteErrors().stream().allMatch(e -> ErrorCategory.fromErrorCode(e.getCode()) == ErrorCategory.DUPLICATE_KEY);
    }
}
