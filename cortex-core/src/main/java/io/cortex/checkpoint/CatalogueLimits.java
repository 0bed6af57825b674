package io.cortex.checkpoint;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The column sizes of {@code CORTEX_CHECKPOINT} (migration {@code V1}) that metadata read from a ref may exceed: it
 * can have been written by hand or by another tool. Checked before a row is written, so such a ref is reported
 * instead of failing the transaction.
 */
final class CatalogueLimits {

  private CatalogueLimits() {
  }

  /** The first field too long for its column, as {@code "phase: 140 characters, at most 100"}, or {@code null}. */
  static String firstTooLong(Checkpoint c) {
    Map<String, Object[]> fields = new LinkedHashMap<>();
    fields.put("phase", new Object[] {c.phase(), 100});
    fields.put("processInstanceId", new Object[] {c.processInstanceId(), 64});
    fields.put("activityInstanceId", new Object[] {c.activityInstanceId(), 64});
    fields.put("baseCommit", new Object[] {c.baseCommit(), 64});
    fields.put("branch", new Object[] {c.branch(), 255});
    for (Map.Entry<String, Object[]> field : fields.entrySet()) {
      String value = (String) field.getValue()[0];
      int max = (Integer) field.getValue()[1];
      if (value != null && value.length() > max) {
        return field.getKey() + ": " + value.length() + " characters, at most " + max;
      }
    }
    return null;
  }
}
