package org.nbregistry.local.infra;

/** Where Kafka clients connect: the {@code bootstrap.servers} value. */
public record KafkaEndpoint(String bootstrapServers) {
}
