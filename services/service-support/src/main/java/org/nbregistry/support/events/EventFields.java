package org.nbregistry.support.events;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/**
 * Tolerant reading of another service's event data: only the fields a consumer uses, so the producer can add fields
 * freely. A field that is missing or of the wrong form makes the message a poison message, never a retry.
 */
public final class EventFields {

    private EventFields() {
    }

    public static String text(JsonNode data, String field) {
        JsonNode value = data.path(field);
        if (!value.isTextual()) {
            throw new MalformedEventException("event lacks text field " + field);
        }
        return value.asText();
    }

    /** The text, or null when the field is absent or not text: for reading ahead, where the record's own step refuses it. */
    public static String optionalText(JsonNode data, String field) {
        JsonNode value = data == null ? null : data.get(field);
        return value == null || !value.isTextual() ? null : value.asText();
    }

    public static UUID uuid(JsonNode data, String field) {
        try {
            return UUID.fromString(text(data, field));
        } catch (IllegalArgumentException e) {
            throw new MalformedEventException("field " + field + " is not a UUID: " + data.path(field).asText(), e);
        }
    }

    /** The date, or null when the field is absent. */
    public static LocalDate optionalDate(JsonNode data, String field) {
        JsonNode value = data.path(field);
        try {
            return value.isTextual() ? LocalDate.parse(value.asText()) : null;
        } catch (DateTimeParseException e) {
            throw new MalformedEventException("field " + field + " is not a date: " + value.asText(), e);
        }
    }

    public static LocalDate date(JsonNode data, String field) {
        LocalDate date = optionalDate(data, field);
        if (date == null) {
            throw new MalformedEventException("event lacks date field " + field);
        }
        return date;
    }
}
