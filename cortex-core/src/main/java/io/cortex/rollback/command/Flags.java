package io.cortex.rollback.command;

/**
 * Options of a rollback command, from its text ({@code dry run}, {@code force}) or from CLI options.
 *
 * @param dryRun show what the rollback would do without changing the working tree
 * @param force roll back even when the working tree has changes that no checkpoint holds
 */
public record Flags(boolean dryRun, boolean force) {

  private static final Flags NONE = new Flags(false, false);

  /** No flags set. */
  public static Flags none() {
    return NONE;
  }

  /** The flags set here or in {@code other}; {@code null} counts as no flags. */
  public Flags or(Flags other) {
    return other == null ? this : new Flags(dryRun || other.dryRun, force || other.force);
  }
}
