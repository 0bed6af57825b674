package io.cortex.git;

/**
 * A working-tree path a snapshot left out on purpose, and why. Skipped paths are reported in
 * the checkpoint's metadata, never dropped silently.
 */
public record SkippedPath(String path, Reason reason, long sizeBytes) {

  public enum Reason {
    /** A nested git repository (a gitlink); its content belongs to that repository. */
    NESTED_REPOSITORY,
    /** Larger than {@code checkpoint.maxFileSizeBytes}. */
    TOO_LARGE
  }
}
