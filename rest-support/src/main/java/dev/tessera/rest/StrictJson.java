package dev.tessera.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * A body is one JSON value, each field given once. Jackson's defaults read the first value and stop, so
 * {@code {"jobId": "a", ...}garbage} or two objects back to back were taken as the first; and a field given twice
 * was read as its last value. Both are refused instead: each service answers the parser's complaint with a 400 that
 * says so. Discovered as a bean in the services that depend on this module.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }
}
