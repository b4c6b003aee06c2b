package org.nbregistry.local.infra;

/** A MongoDB connection string, e.g. {@code mongodb://127.0.0.1:27017}. */
public record MongoEndpoint(String connectionString) {
}
