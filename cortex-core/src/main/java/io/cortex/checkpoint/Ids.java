package io.cortex.checkpoint;

import io.cortex.text.Echo;

import java.util.regex.Pattern;

/**
 * Validation of session and checkpoint ids. Both become components of git ref names
 * ({@code refs/cortex/checkpoints/<session>/<checkpoint>}), so they follow a rule stricter
 * than git's: {@value #RULE}.
 */
public final class Ids {

  public static final String RULE = "1-100 characters from A-Z a-z 0-9 . _ -, starting with a letter or digit,"
      + " without '..', not ending in '.' or '.lock'";

  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  private Ids() {
  }

  public static String requireValidSessionId(String id) {
    return requireValid("session id", id);
  }

  public static String requireValidCheckpointId(String id) {
    return requireValid("checkpoint id", id);
  }

  public static boolean isValid(String id) {
    return id != null && VALID.matcher(id).matches() && !id.contains("..")
        && !id.endsWith(".") && !id.endsWith(".lock");
  }

  private static String requireValid(String kind, String id) {
    if (id == null || id.isEmpty()) {
      throw new InvalidIdException("Invalid " + kind + ": it is empty. Use " + RULE + ".");
    }
    if (!isValid(id)) {
      throw new InvalidIdException("Invalid " + kind + " " + Echo.quoted(id) + ": use " + RULE + ".");
    }
    return id;
  }

}
