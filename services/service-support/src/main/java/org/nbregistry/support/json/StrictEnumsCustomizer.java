package org.nbregistry.support.json;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Jackson reads a number, or a string of digits, as an enum's ordinal by default: INSS stage "5" would silently
 * become "4S". A code must be one of its list's codes, so numbers are refused like any other unknown code.
 */
@Singleton
public class StrictEnumsCustomizer implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
    }
}
