package org.nbregistry.support.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;

import java.io.IOException;

/**
 * Jackson finds an enum's code after trimming the input, so " relapse " would read as relapse. A code is compared
 * exactly: anything but the code itself, character for character, is refused with the list of valid codes.
 */
final class ExactCodeDeserializer extends DelegatingDeserializer {

    ExactCodeDeserializer(JsonDeserializer<?> delegate) {
        super(delegate);
    }

    @Override
    protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
        return new ExactCodeDeserializer(delegate);
    }

    @Override
    public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (parser.hasToken(JsonToken.VALUE_STRING)) {
            String code = parser.getText();
            if (!code.equals(code.strip())) {
                return context.handleWeirdStringValue(handledType(), code, "a code has no surrounding spaces");
            }
        }
        return _delegatee.deserialize(parser, context);
    }
}
