package io.tributary.platform.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The JSON settings every route uses. */
public final class Json {
    private Json() {
    }

    public static ObjectMapper newMapper() {
        return configure(new ObjectMapper());
    }

    /** As {@link #newMapper()}, reading under {@code constraints} (e.g. a smaller nesting depth for request bodies). */
    public static ObjectMapper newMapper(com.fasterxml.jackson.core.StreamReadConstraints constraints) {
        return configure(new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder().streamReadConstraints(constraints).build()));
    }

    private static ObjectMapper configure(ObjectMapper mapper) {
        mapper.registerModule(new JavaTimeModule());
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        mapper.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
        return mapper;
    }
}
