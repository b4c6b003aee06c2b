package org.nbregistry.local.infra;

import java.util.Map;
import java.util.Optional;

/**
 * Servers the environment points at instead of letting us start our own: {@code KAFKA_BOOTSTRAP_SERVERS},
 * {@code POSTGRES_URL} ({@code postgresql://user:password@host:port}) and {@code MONGODB_URI}.
 */
public record ExternalServers(Optional<KafkaEndpoint> kafka, Optional<PostgresEndpoint> postgres,
                              Optional<MongoEndpoint> mongodb) {

    public static ExternalServers from(Map<String, String> env) {
        return new ExternalServers(
                value(env, "KAFKA_BOOTSTRAP_SERVERS").map(KafkaEndpoint::new),
                value(env, "POSTGRES_URL").map(PostgresEndpoint::parse),
                value(env, "MONGODB_URI").map(MongoEndpoint::new));
    }

    public boolean provides(Server server) {
        return switch (server) {
            case KAFKA -> kafka.isPresent();
            case POSTGRES -> postgres.isPresent();
            case MONGODB -> mongodb.isPresent();
        };
    }

    private static Optional<String> value(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::trim).filter(v -> !v.isEmpty());
    }
}
