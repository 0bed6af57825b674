package io.cortex.git;

import java.util.List;
import java.util.Objects;

/**
 * The difference between two trees, as computed by {@link TreeDiff}: one entry per changed
 * path, the unified patch text, and (for a diff of the working tree) the untracked files the
 * change would remove.
 *
 * <p>Rename detection is off: a moved file is a {@link ChangeKind#DELETED} old path plus an
 * {@link ChangeKind#ADDED} new path. A change of mode only (e.g. the executable bit), or of
 * type (file to symlink), is {@link ChangeKind#MODIFIED}.
 *
 * @param changes changed paths in git's path order, each path at most once
 * @param patch the unified diff as {@code git diff} prints it ({@code a/} and {@code b/}
 *     prefixes, three lines of context; binary files shown as "Binary files differ");
 *     file content is decoded as UTF-8
 * @param untrackedToRemove for {@link TreeDiff#workingTreeAgainst}: the {@link ChangeKind#DELETED}
 *     paths that are not in the user's index, i.e. untracked files that would be removed;
 *     always empty for a diff between two commits
 */
public record DiffResult(List<FileChange> changes, String patch, List<String> untrackedToRemove) {

  /** What happened to a path, going from the old side to the new side. */
  public enum ChangeKind { ADDED, MODIFIED, DELETED }

  /**
   * One changed path.
   *
   * @param path the path relative to the work tree, with {@code /} separators
   * @param kind added, modified or deleted
   * @param linesAdded lines only on the new side ({@code git diff --numstat}'s first column); 0 when binary
   * @param linesDeleted lines only on the old side (numstat's second column); 0 when binary
   * @param binary whether either side is binary (numstat prints {@code -} for both counts)
   */
  public record FileChange(String path, ChangeKind kind, int linesAdded, int linesDeleted, boolean binary) {

    public FileChange {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(kind, "kind");
    }
  }

  private static final int STAT_WIDTH = 80;

  public DiffResult {
    changes = List.copyOf(changes);
    Objects.requireNonNull(patch, "patch");
    untrackedToRemove = List.copyOf(untrackedToRemove);
  }

  /** Whether the two sides are identical. */
  public boolean isEmpty() {
    return changes.isEmpty();
  }

  /** Lines added over all text files. */
  public long insertions() {
    return changes.stream().filter(c -> !c.binary()).mapToLong(FileChange::linesAdded).sum();
  }

  /** Lines deleted over all text files. */
  public long deletions() {
    return changes.stream().filter(c -> !c.binary()).mapToLong(FileChange::linesDeleted).sum();
  }

  /**
   * A summary in the layout of {@code git diff --stat} at 80 columns: one
   * {@code " path | 3 ++-"} line per file (long paths shortened to {@code .../tail}, graphs
   * scaled to fit, binary files shown as {@code Bin} without byte counts) and a final
   * {@code " N files changed, X insertions(+), Y deletions(-)"} line.
   */
  public String stat() {
    StringBuilder out = new StringBuilder();
    if (changes.isEmpty()) {
      return " 0 files changed\n";
    }
    int maxLen = 0;
    long maxChange = 0;
    int numberWidth = 0;
    for (FileChange change : changes) {
      maxLen = Math.max(maxLen, change.path().length());
      if (change.binary()) {
        numberWidth = 3; // "Bin"
        continue;
      }
      maxChange = Math.max(maxChange, (long) change.linesAdded() + change.linesDeleted());
    }
    int width = STAT_WIDTH;
    numberWidth = Math.max(numberWidth, decimalWidth(maxChange));
    if (width < 16 + 6 + numberWidth) {
      width = 16 + 6 + numberWidth;
    }
    long graphWidth = maxChange;
    long nameWidth = maxLen;
    if (nameWidth + numberWidth + 6 + graphWidth > width) {
      if (graphWidth > width * 3 / 8 - numberWidth - 6) {
        graphWidth = Math.max(6, width * 3 / 8 - numberWidth - 6);
      }
      if (nameWidth > width - numberWidth - 6 - graphWidth) {
        nameWidth = width - numberWidth - 6 - graphWidth;
      } else {
        graphWidth = width - numberWidth - 6 - nameWidth;
      }
    }

    for (FileChange change : changes) {
      String name = change.path();
      String prefix = "";
      int len = (int) nameWidth;
      if (nameWidth < name.length()) {
        prefix = "...";
        len -= 3;
        name = name.substring(name.length() - len);
        int slash = name.indexOf('/');
        if (slash >= 0) {
          name = name.substring(slash);
        }
      }
      out.append(' ').append(prefix).append(name).append(" ".repeat(Math.max(0, len - name.length()))).append(" |");
      if (change.binary()) {
        out.append(' ').append(padLeft("Bin", numberWidth)).append('\n');
        continue;
      }
      long added = change.linesAdded();
      long deleted = change.linesDeleted();
      long add = added;
      long del = deleted;
      if (graphWidth <= maxChange) {
        long total = scaleLinear(add + del, graphWidth, maxChange);
        if (total < 2 && add > 0 && del > 0) {
          total = 2;
        }
        if (add < del) {
          add = scaleLinear(add, graphWidth, maxChange);
          del = total - add;
        } else {
          del = scaleLinear(del, graphWidth, maxChange);
          add = total - del;
        }
      }
      out.append(' ').append(padLeft(Long.toString(added + deleted), numberWidth));
      if (added + deleted > 0) {
        out.append(' ');
      }
      out.append("+".repeat((int) add)).append("-".repeat((int) del)).append('\n');
    }

    long insertions = insertions();
    long deletions = deletions();
    int files = changes.size();
    out.append(' ').append(files).append(files == 1 ? " file changed" : " files changed");
    if (insertions > 0 || deletions == 0) {
      out.append(", ").append(insertions).append(insertions == 1 ? " insertion(+)" : " insertions(+)");
    }
    if (deletions > 0 || insertions == 0) {
      out.append(", ").append(deletions).append(deletions == 1 ? " deletion(-)" : " deletions(-)");
    }
    return out.append('\n').toString();
  }

  private static long scaleLinear(long it, long width, long maxChange) {
    return it == 0 ? 0 : 1 + it * (width - 1) / maxChange;
  }

  private static int decimalWidth(long n) {
    return Long.toString(n).length();
  }

  private static String padLeft(String s, int width) {
    return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
  }
}
