package org.nbregistry.intake.submission;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;

final class MongoErrors {

    private MongoErrors() {
    }

    /** The write collided with a document of the same key: what an idempotent insert or a guarded upsert expects. */
    static boolean isDuplicateKey(Throwable failure) {
        return failure instanceof MongoWriteException w && w.getError().getCategory() == ErrorCategory.DUPLICATE_KEY;
    }
}
