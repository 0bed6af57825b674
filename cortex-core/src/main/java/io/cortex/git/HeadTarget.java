package io.cortex.git;

/**
 * Where a restore leaves HEAD: the branch checked out now moved to the snapshot's base commit (a rollback), a
 * named branch checked out and moved (an undo returning the branch a rollback moved), or a detached HEAD.
 *
 * @param branch the short branch name for {@link Kind#BRANCH}, null otherwise
 */
public record HeadTarget(Kind kind, String branch) {

  public enum Kind { CURRENT, BRANCH, DETACHED }

  public static HeadTarget current() {
    return new HeadTarget(Kind.CURRENT, null);
  }

  public static HeadTarget branch(String branch) {
    return new HeadTarget(Kind.BRANCH, branch);
  }

  public static HeadTarget detached() {
    return new HeadTarget(Kind.DETACHED, null);
  }

  /** The branch a checkpoint recorded (null: HEAD was detached). */
  public static HeadTarget asRecorded(String branch) {
    return branch == null ? detached() : branch(branch);
  }
}
