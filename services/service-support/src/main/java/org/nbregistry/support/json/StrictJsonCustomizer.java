package org.nbregistry.support.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

import java.time.LocalDate;

/**
 * The REST layer of every service reads JSON strictly, so a value means exactly what its sender wrote:
 * <ul>
 * <li>no coercion: a string only from a JSON string, a whole number only from a JSON integer (1.5 is not 1), a
 * boolean only from true/false (not "true", 1 or 0), a code only from its exact string (not a number, not padded
 * with spaces), nothing from "" or an empty array or object;</li>
 * <li>a key given twice is refused (otherwise the last one would silently win);</li>
 * <li>nothing may follow the document (a second record, a stray bracket);</li>
 * <li>dates as {@link StrictLocalDateDeserializer} says.</li>
 * </ul>
 * Every refusal is a 400 problem document naming the field ({@code ProblemMappers}).
 */
@Singleton
public class StrictJsonCustomizer implements ObjectMapperCustomizer {

    /**
     * Replaces the date and enum deserializers whichever module provided them (Quarkus registers the java.time module
     * too, and the last registered module would win a plain deserializer registration).
     */
    private static final BeanDeserializerModifier MODIFIER = new BeanDeserializerModifier() {
        @Override
        public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription description, JsonDeserializer<?> deserializer) {
            return description.getBeanClass() == LocalDate.class ? new StrictLocalDateDeserializer() : deserializer;
        }

        @Override
        public JsonDeserializer<?> modifyEnumDeserializer(DeserializationConfig config, JavaType type, BeanDescription description,
                                                          JsonDeserializer<?> deserializer) {
            return new ExactCodeDeserializer(deserializer);
        }
    };

    @Override
    public void customize(ObjectMapper mapper) {
        configure(mapper);
    }

    /** Applies the rules to any mapper. */
    @SuppressWarnings("deprecation") // MapperFeature toggles on a built mapper: the only way to amend Quarkus' own mapper
    public static ObjectMapper configure(ObjectMapper mapper) {
        mapper.getFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS,
                DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT, DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY,
                DeserializationFeature.UNWRAP_SINGLE_VALUE_ARRAYS, DeserializationFeature.ACCEPT_EMPTY_STRING_AS_NULL_OBJECT,
                DeserializationFeature.ACCEPT_EMPTY_ARRAY_AS_NULL_OBJECT, DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL);
        mapper.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS, MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS,
                MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES, MapperFeature.ACCEPT_CASE_INSENSITIVE_VALUES);
        for (LogicalType type : LogicalType.values()) {
            var config = mapper.coercionConfigFor(type).setAcceptBlankAsEmpty(false);
            for (CoercionInputShape shape : CoercionInputShape.values()) {
                // A JSON integer is a valid number for a decimal field: 21 Gy is 21.0 Gy, not a coercion.
                if (!(type == LogicalType.Float && shape == CoercionInputShape.Integer)) {
                    config.setCoercion(shape, CoercionAction.Fail);
                }
            }
        }
        mapper.registerModule(new SimpleModule("strict-input").setDeserializerModifier(MODIFIER));
        return mapper;
    }
}
