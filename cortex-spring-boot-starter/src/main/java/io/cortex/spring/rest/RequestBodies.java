package io.cortex.spring.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cortex.checkpoint.Ids;
import io.cortex.checkpoint.InvalidIdException;
import java.util.Iterator;
import java.util.List;

/**
 * The request bodies of rollback and undo, read strictly: a JSON object, known fields only, each of its type;
 * every problem is a 400 naming the field.
 */
final class RequestBodies {

  /** {@code {"checkpointId": "dor-1", "force": false, "dryRun": false}} or {@code {"command": "rollback to last green", …}}. */
  record Rollback(String checkpointId, String command, boolean force, boolean dryRun) {
  }

  /** {@code {"force": false}}, or nothing. */
  record Undo(boolean force) {
  }

  /** {@code {"checkpointId": "before-refactor", "metrics": {"tests_passing": 25}}}, both optional, or nothing. */
  record NewCheckpoint(String checkpointId, java.util.Map<String, Object> metrics) {
  }

  private static final List<String> CHECKPOINT_FIELDS = List.of("checkpointId", "metrics");
  private static final String CHECKPOINT_EXAMPLE = "{\"checkpointId\": \"before-refactor\", \"metrics\": {\"tests_passing\": 25}}";
  private static final List<String> ROLLBACK_FIELDS = List.of("checkpointId", "command", "force", "dryRun");
  private static final List<String> UNDO_FIELDS = List.of("force");
  private static final String ROLLBACK_EXAMPLE = "{\"checkpointId\": \"dor-1\", \"force\": false}"
      + " or {\"command\": \"rollback to last green\", \"force\": false, \"dryRun\": false}";

  private final ObjectMapper json;

  RequestBodies(ObjectMapper json) {
    this.json = json;
  }

  Rollback rollback(String body) {
    JsonNode node = object(body, ROLLBACK_FIELDS, ROLLBACK_EXAMPLE, false);
    String checkpointId = text(node, "checkpointId");
    String command = text(node, "command");
    if (checkpointId != null && command != null) {
      throw RestException.badRequest("Give either the field 'checkpointId' or the field 'command', not both: "
          + ROLLBACK_EXAMPLE);
    }
    if (checkpointId == null && command == null) {
      throw RestException.badRequest("Missing field 'checkpointId' (or 'command'): name the checkpoint to roll back to, "
          + ROLLBACK_EXAMPLE);
    }
    if (checkpointId != null) {
      try {
        Ids.requireValidCheckpointId(checkpointId);
      } catch (InvalidIdException e) {
        throw RestException.badRequest("Field 'checkpointId': " + e.getMessage());
      }
    }
    if (command != null && command.isBlank()) {
      throw RestException.badRequest("Field 'command' is empty: write a rollback command such as"
          + " \"rollback to last green\".");
    }
    return new Rollback(checkpointId, command, bool(node, "force"), bool(node, "dryRun"));
  }

  NewCheckpoint checkpoint(String body) {
    JsonNode node = object(body, CHECKPOINT_FIELDS, CHECKPOINT_EXAMPLE, true);
    String checkpointId = text(node, "checkpointId");
    if (checkpointId != null) {
      try {
        Ids.requireValidCheckpointId(checkpointId);
      } catch (InvalidIdException e) {
        throw RestException.badRequest("Field 'checkpointId': " + e.getMessage());
      }
    }
    java.util.Map<String, Object> metrics = new java.util.LinkedHashMap<>();
    JsonNode given = node.get("metrics");
    if (given != null && !given.isNull()) {
      if (!given.isObject()) {
        throw RestException.badRequest("Field 'metrics' must be a JSON object of names to numbers, booleans or"
            + " strings, got " + given + ": " + CHECKPOINT_EXAMPLE);
      }
      for (Iterator<java.util.Map.Entry<String, JsonNode>> it = given.fields(); it.hasNext(); ) {
        java.util.Map.Entry<String, JsonNode> e = it.next();
        JsonNode v = e.getValue();
        if (!v.isValueNode() || v.isNull()) {
          throw RestException.badRequest("Metric '" + e.getKey() + "' must be a number, boolean or string, got " + v + ".");
        }
        metrics.put(e.getKey(), v.isBoolean() ? (Object) v.asBoolean() : v.isIntegralNumber() ? (Object) v.asLong()
            : v.isNumber() ? (Object) v.asDouble() : v.asText());
      }
    }
    return new NewCheckpoint(checkpointId, metrics);
  }

  Undo undo(String body) {
    JsonNode node = object(body, UNDO_FIELDS, "{\"force\": false}", true);
    return new Undo(bool(node, "force"));
  }

  private JsonNode object(String body, List<String> allowed, String example, boolean emptyAllowed) {
    if (body == null || body.isBlank()) {
      if (emptyAllowed) {
        return json.createObjectNode();
      }
      throw RestException.badRequest("Missing request body: send a JSON object such as " + example + ".");
    }
    JsonNode node;
    try {
      node = json.readTree(body);
    } catch (JsonProcessingException e) {
      throw RestException.badRequest("The request body is not valid JSON (" + e.getOriginalMessage()
          + "): send a JSON object such as " + example + ".");
    }
    if (node == null || !node.isObject()) {
      throw RestException.badRequest("The request body must be a JSON object such as " + example + ".");
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw RestException.badRequest("Unknown field '" + name + "' in the request body; the fields are "
            + String.join(", ", allowed) + ".");
      }
    }
    return node;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw RestException.badRequest("Field '" + field + "' must be a string, got " + value + ".");
    }
    return value.asText();
  }

  private static boolean bool(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return false;
    }
    if (!value.isBoolean()) {
      throw RestException.badRequest("Field '" + field + "' must be true or false, got " + value + ".");
    }
    return value.asBoolean();
  }
}
