package org.nbregistry.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The event contract as the repository defines it: api-specs/asyncapi.yaml says which message types each topic
 * carries and where each type's schema lives; every message is the envelope schema around that payload.
 * Producer and consumer tests pass the raw Kafka key and value here.
 */
public final class EventContracts {

    private static final String SCHEMA_ID_PREFIX = "https://nbregistry.org/events/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Schema envelope;
    private final Map<String, Map<String, Schema>> payloadByTypeByTopic;

    private EventContracts(Schema envelope, Map<String, Map<String, Schema>> payloadByTypeByTopic) {
        this.envelope = envelope;
        this.payloadByTypeByTopic = payloadByTypeByTopic;
    }

    public static EventContracts load() {
        return load(RegistryRoot.apiSpecs());
    }

    public static EventContracts load(Path apiSpecs) {
        Path events = apiSpecs.resolve("events");
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, builder -> builder
                .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build())
                .schemas(id -> id.startsWith(SCHEMA_ID_PREFIX) ? read(events.resolve(id.substring(SCHEMA_ID_PREFIX.length()))) : null));
        JsonNode asyncApi = readYaml(apiSpecs.resolve("asyncapi.yaml"));
        Map<String, Map<String, Schema>> byTopic = new HashMap<>();
        for (Iterator<JsonNode> channels = asyncApi.path("channels").elements(); channels.hasNext(); ) {
            JsonNode channel = channels.next();
            Map<String, Schema> byType = new HashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> messages = channel.path("messages").fields(); messages.hasNext(); ) {
                Map.Entry<String, JsonNode> message = messages.next();
                JsonNode definition = resolveLocal(asyncApi, message.getValue().path("$ref").asText());
                String payloadFile = definition.path("payload").path("$ref").asText();
                byType.put(definition.path("name").asText(message.getKey()),
                        registry.getSchema(SchemaLocation.of(SCHEMA_ID_PREFIX + payloadFile.substring("events/".length()))));
            }
            byTopic.put(channel.path("address").asText(), byType);
        }
        return new EventContracts(registry.getSchema(SchemaLocation.of(SCHEMA_ID_PREFIX + "envelope.schema.json")), byTopic);
    }

    /** Every violation of the contract by this message; empty when it conforms. */
    public List<String> violations(String topic, String key, String value) {
        List<String> problems = new ArrayList<>();
        Map<String, Schema> types = payloadByTypeByTopic.get(topic);
        if (types == null) {
            return List.of("topic " + topic + " is not in api-specs/asyncapi.yaml");
        }
        JsonNode message;
        try {
            message = JSON.readTree(value);
        } catch (IOException e) {
            return List.of("value is not JSON: " + e.getMessage());
        }
        envelope.validate(message).forEach(error -> problems.add("envelope: " + describe(error)));
        String type = message.path("type").asText();
        Schema payload = types.get(type);
        if (payload == null) {
            problems.add("type " + type + " is not a message of " + topic + " (expected one of " + types.keySet() + ")");
        } else {
            payload.validate(message.path("data")).forEach(error -> problems.add("data: " + describe(error)));
        }
        if (key == null || !key.equals(message.path("subject").asText())) {
            problems.add("key " + key + " is not the envelope subject " + message.path("subject").asText());
        }
        return problems;
    }

    public void assertConforms(String topic, String key, String value) {
        List<String> problems = violations(topic, key, value);
        if (!problems.isEmpty()) {
            throw new AssertionError("message on " + topic + " breaks the event contract: " + problems + "\n" + value);
        }
    }

    /** Validates one payload alone, for tests that build payloads before wrapping them. */
    public List<String> payloadViolations(String topic, String type, String data) {
        Schema payload = payloadByTypeByTopic.getOrDefault(topic, Map.of()).get(type);
        if (payload == null) {
            return List.of("no schema for " + type + " on " + topic);
        }
        return payload.validate(data, InputFormat.JSON).stream().map(EventContracts::describe).toList();
    }

    private static String describe(Error error) {
        return error.getInstanceLocation() + " " + error.getMessage();
    }

    private static JsonNode resolveLocal(JsonNode document, String pointer) {
        if (!pointer.startsWith("#")) {
            throw new IllegalArgumentException("only local references are expected in asyncapi.yaml: " + pointer);
        }
        return document.at(pointer.substring(1));
    }

    private static JsonNode readYaml(Path file) {
        try {
            return new YAMLMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("schema " + file + " cannot be read", e);
        }
    }
}
