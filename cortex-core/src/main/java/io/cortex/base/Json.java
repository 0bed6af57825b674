package io.cortex.base;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.Map;

/**
 * The one Jackson mapper of Cortex, configured once: map keys sorted, so equal content always gives equal text;
 * {@code java.time} values as ISO-8601 text ({@code 2026-01-05T10:15:30Z}), never as numbers. What the CLI's
 * {@code --json} and the REST API print is shaped by {@code io.cortex.views.JsonViews} (cortex-engine).
 */
public final class Json {

  public static final ObjectMapper MAPPER = configure(new ObjectMapper());

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

  private Json() {
  }

  /** Applies Cortex's settings to a mapper (the server's Spring mapper gets the same). */
  public static ObjectMapper configure(ObjectMapper mapper) {
    return mapper.enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  }

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new CortexException("Could not write JSON: " + e.getOriginalMessage(), e);
    }
  }

  public static String writePretty(Object value) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new CortexException("Could not write JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Parses a JSON object; {@code what} names the input in the error message. */
  public static Map<String, Object> readObject(String json, String what) {
    try {
      Map<String, Object> map = MAPPER.readValue(json, MAP);
      if (map == null) {
        throw new CortexException(what + " is not a JSON object: null");
      }
      return map;
    } catch (JsonProcessingException e) {
      throw new CortexException(what + " is not a valid JSON object: " + e.getOriginalMessage(), e);
    }
  }
}
