package io.cortex.base;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.Map;

/** The one Jackson mapper of Cortex: map keys sorted, so equal content always gives equal text. */
public final class Json {

  public static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

  private Json() {
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
