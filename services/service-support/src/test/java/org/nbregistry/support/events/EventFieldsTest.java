package org.nbregistry.support.events;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A consumer reads what it needs; a field missing or malformed makes the message poison. */
class EventFieldsTest {

    private final UUID id = UUID.randomUUID();
    private final ObjectNode data = JsonNodeFactory.instance.objectNode()
            .put("id", id.toString()).put("site", "S01").put("startDate", "2021-03-10").put("badDate", "2021-13-40").put("count", 3);

    @Test
    void readsWhatIsThere() {
        assertEquals("S01", EventFields.text(data, "site"));
        assertEquals(id, EventFields.uuid(data, "id"));
        assertEquals(LocalDate.of(2021, 3, 10), EventFields.date(data, "startDate"));
        assertNull(EventFields.optionalDate(data, "endDate"));
    }

    @Test
    void aMissingOrMalformedFieldIsAPoisonMessage() {
        assertThrows(MalformedEventException.class, () -> EventFields.text(data, "count"));
        assertThrows(MalformedEventException.class, () -> EventFields.text(data, "absent"));
        assertThrows(MalformedEventException.class, () -> EventFields.uuid(data, "site"));
        assertThrows(MalformedEventException.class, () -> EventFields.date(data, "endDate"));
        assertThrows(MalformedEventException.class, () -> EventFields.optionalDate(data, "badDate"));
    }
}
