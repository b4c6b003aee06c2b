package org.nbregistry.support.json;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StrictJsonTest {

    enum Kind { relapse, progression }

    record Sample(String id, Integer count, Double dose, Boolean flag, LocalDate date, Kind kind, List<String> tags) {
    }

    /** As in Quarkus, the java.time module is registered too, here even after the strict rules. */
    private static final ObjectMapper MAPPER = StrictJsonCustomizer.configure(new ObjectMapper()).registerModule(new JavaTimeModule());

    private static Sample read(String json) throws Exception {
        return MAPPER.readValue(json, Sample.class);
    }

    @Test
    void exactValuesAreRead() throws Exception {
        Sample s = read("{\"id\":\"A.1\",\"count\":3,\"dose\":21,\"flag\":true,\"date\":\"2021-03-01\",\"kind\":\"relapse\",\"tags\":[\"x\"]}");
        assertEquals(new Sample("A.1", 3, 21.0, true, LocalDate.of(2021, 3, 1), Kind.relapse, List.of("x")), s);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"id\":12345}", "{\"id\":true}", "{\"count\":1.5}", "{\"count\":\"3\"}", "{\"flag\":\"true\"}",
            "{\"flag\":1}", "{\"flag\":0}", "{\"dose\":\"2.5\"}", "{\"kind\":\" relapse \"}", "{\"kind\":1}", "{\"kind\":\"\"}",
            "{\"kind\":\"Relapse\"}", "{\"tags\":\"x\"}", "{\"id\":[\"x\"]}", "{\"count\":\"\"}"})
    void noScalarIsCoerced(String json) {
        assertThrows(MismatchedInputException.class, () -> read(json));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"0000-01-01\"", "\"-2021-03-01\"", "\"+002021-03-01\"", "\"2021-03-01T00:00:00Z\"", "[2021,3,1]", "18687",
            "\"2021-02-30\"", "\"2021-3-1\"", "\"1899-12-31\"", "\" 2021-03-01\"", "\"20210301\"", "\"２０２１-03-01\""})
    void onlyCalendarDaysWrittenYyyyMmDdInTheClinicalRangeAreDates(String date) {
        InputRuleException e = assertThrows(InputRuleException.class, () -> read("{\"date\":" + date + "}"));
        assertTrue(e.rule().startsWith("date-"), e.rule());
        assertEquals("date", e.getPath().get(0).getFieldName());
    }

    @Test
    void aKeyGivenTwiceIsRefused() {
        JsonParseException e = assertThrows(JsonParseException.class, () -> read("{\"id\":\"a\",\"count\":1,\"id\":\"b\"}"));
        assertTrue(e.getOriginalMessage().contains("'id'"), e.getOriginalMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"id\":\"a\"}{\"id\":\"b\"}", "{\"id\":\"a\"}]", "{\"id\":\"a\"} garbage", "{\"id\":\"a\"} 1"})
    void nothingMayFollowTheDocument(String json) {
        Exception e = assertThrows(Exception.class, () -> read(json));
        assertTrue(e instanceof MismatchedInputException || e instanceof JsonParseException, e.toString());
    }
}
