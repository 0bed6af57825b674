package io.cortex.base;

import java.util.regex.Pattern;

/**
 * The BPMN extension property {@code cortex.phase} that marks an activity as a phase, and its
 * rule: the phase name becomes part of checkpoint ids ({@code green-1}).
 */
public final class PhaseProperty {

  public static final String NAME = "cortex.phase";
  public static final String PREFIX = "cortex.";
  public static final String RULE = "1-50 characters from A-Z a-z 0-9 _ -, starting with a letter or digit";

  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,49}");

  private PhaseProperty() {
  }

  public static boolean isValidPhaseName(String phase) {
    return phase != null && VALID.matcher(phase).matches();
  }
}
