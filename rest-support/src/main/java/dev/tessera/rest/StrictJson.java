package dev.tessera.rest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
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

    /**
     * The body goes on after its JSON value: a second value ({@code {...}{...}}, reported by FAIL_ON_TRAILING_TOKENS)
     * or a token that is no JSON ({@code {...}garbage}, reported by the parser). Either way the parser has begun a
     * second value at the root of the body. (A stray close marker, {@code {...}]}, is the parser's own "Unexpected
     * close marker" complaint: the parser does not tell it apart from one at the very start.)
     */
    public static boolean trailing(JsonProcessingException e) {
        if (!(e.getProcessor() instanceof JsonParser p)) {
            return false;
        }
        JsonStreamContext root = p.getParsingContext();
        while (root != null && root.getParent() != null) {
            root = root.getParent();
        }
        return root != null && root.getCurrentIndex() >= 1;
    }

    /** {@code " (from line 1, column 50)"}: where the content after the value starts; empty when unknown. */
    public static String where(JsonProcessingException e) {
        JsonLocation at = e.getProcessor() instanceof JsonParser p ? p.currentTokenLocation() : null;
        return at == null || at.getLineNr() < 1 ? "" : " (from line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }
}
