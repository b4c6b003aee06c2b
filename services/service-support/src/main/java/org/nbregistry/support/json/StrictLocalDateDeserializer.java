package org.nbregistry.support.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;

import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.regex.Pattern;

/**
 * A date is a JSON string of exactly YYYY-MM-DD naming a real calendar day on or after {@link #EARLIEST}: no
 * timestamps, arrays, day numbers, signed or six-digit years, times or zones. A date in the future is left to the
 * field rules (422 not-in-future).
 */
public class StrictLocalDateDeserializer extends StdScalarDeserializer<LocalDate> {

    /** The clinical range starts here: nobody in the registry was born, diagnosed or treated earlier. */
    public static final LocalDate EARLIEST = LocalDate.of(1900, 1, 1);
    public static final String FORMAT_RULE = "date-format";
    public static final String RANGE_RULE = "date-range";

    private static final Pattern SHAPE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    private static final DateTimeFormatter ISO_DAY = DateTimeFormatter.ofPattern("uuuu-MM-dd").withResolverStyle(ResolverStyle.STRICT);
    private static final String FORMAT_SENTENCE = "must be a calendar date written YYYY-MM-DD, as a JSON string";

    public StrictLocalDateDeserializer() {
        super(LocalDate.class);
    }

    @Override
    public LocalDate deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (parser.currentToken() != JsonToken.VALUE_STRING) {
            throw new InputRuleException(parser, LocalDate.class, FORMAT_RULE, FORMAT_SENTENCE);
        }
        String text = parser.getText();
        LocalDate date;
        try {
            date = SHAPE.matcher(text).matches() ? LocalDate.parse(text, ISO_DAY) : null;
        } catch (DateTimeParseException notADay) {
            date = null;
        }
        if (date == null) {
            throw new InputRuleException(parser, LocalDate.class, FORMAT_RULE, FORMAT_SENTENCE);
        }
        if (date.isBefore(EARLIEST)) {
            throw new InputRuleException(parser, LocalDate.class, RANGE_RULE, "must be on or after " + EARLIEST);
        }
        return date;
    }
}
