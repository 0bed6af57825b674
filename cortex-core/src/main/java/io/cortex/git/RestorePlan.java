package io.cortex.git;

import java.util.ArrayList;
import java.util.List;

/**
 * What restoring a snapshot does, decided before anything is touched — the one plan that both the dry run
 * shows and the restore applies, so they can never disagree. A plan with {@link #conflicts()} is never applied.
 */
public final class RestorePlan {

  /** A file to write: its bytes come from {@code blob} through the checkout conversions, or are {@code raw}. */
  record Write(String path, org.eclipse.jgit.lib.FileMode mode, org.eclipse.jgit.lib.ObjectId blob,
               org.eclipse.jgit.lib.ObjectId raw, Integer permissions, boolean existed) {
  }

  final List<Write> writes = new ArrayList<>();
  final List<String> deletes = new ArrayList<>();
  final java.util.Map<String, Integer> chmods = new java.util.TreeMap<>();
  final List<String> untrackedDeletes = new ArrayList<>();
  final List<String> leftAlone = new ArrayList<>();
  final List<String> keptIgnored = new ArrayList<>();
  final List<String> conflicts = new ArrayList<>();
  /** The index the restore writes (without stat data, filled in after the files are written). */
  final List<SnapshotState.IndexRecord> index = new ArrayList<>();
  /** The snapshot's tree entries (path to blob and raw mode) the planner walked. */
  final java.util.Map<String, org.eclipse.jgit.lib.ObjectId> treeIds = new java.util.HashMap<>();
  final java.util.Map<String, Integer> treeModes = new java.util.HashMap<>();
  /** The target's checkout conversions, computed once by the planner and used again to write the files. */
  CheckoutConversions conversions;
  boolean indexChanges;
  boolean sparseCheckoutChanges;
  String sparseCheckout;
  String headChange;

  /** The paths written or deleted, for look-ups per index entry. */
  java.util.Set<String> touchedPaths() {
    java.util.Set<String> touched = new java.util.HashSet<>(deletes);
    writes.forEach(w -> touched.add(w.path()));
    return touched;
  }

  /** Files whose content the checkpoint has and the disk has differently (or as another kind of file). */
  public List<String> modified() {
    return writes.stream().filter(Write::existed).map(Write::path).toList();
  }

  /** Files the checkpoint has and the disk does not. */
  public List<String> added() {
    return writes.stream().filter(w -> !w.existed()).map(Write::path).toList();
  }

  /** Files the checkpoint does not have that git tracks now: removed. */
  public List<String> deleted() {
    java.util.Set<String> untracked = new java.util.HashSet<>(untrackedDeletes);
    return deletes.stream().filter(p -> !untracked.contains(p)).toList();
  }

  /** Files the checkpoint does not have that git does not track (nor ignore): removed too. */
  public List<String> untrackedRemoved() {
    return List.copyOf(untrackedDeletes);
  }

  /** Files whose bytes stay and whose permission bits change. */
  public List<String> permissionsChanged() {
    return List.copyOf(chmods.keySet());
  }

  /** Nested repositories and files over the size cap: never touched (no snapshot can hold them). */
  public List<String> leftAlone() {
    return List.copyOf(leftAlone);
  }

  /** Files the checkpoint does not have that are ignored under the rules now or the checkpoint's: kept. */
  public List<String> keptIgnored() {
    return List.copyOf(keptIgnored);
  }

  /** Why the restore cannot be done as planned; empty when it can. Nothing is touched when not empty. */
  public List<String> conflicts() {
    return List.copyOf(conflicts);
  }

  /** Whether the index (staged content or its flags) changes. */
  public boolean indexChanges() {
    return indexChanges;
  }

  /** How HEAD changes ("main: 3f2a9c1 -> 8b01d4e"), or null when it stays. */
  public String headChange() {
    return headChange;
  }

  /** Whether the restore would change nothing at all. */
  public boolean isEmpty() {
    return writes.isEmpty() && deletes.isEmpty() && chmods.isEmpty() && !indexChanges && !sparseCheckoutChanges
        && headChange == null;
  }

  /** A short description of what differs, for messages ("2 written, 1 deleted, index"). */
  String describe() {
    List<String> parts = new ArrayList<>();
    if (!writes.isEmpty()) {
      parts.add("to write: " + names(writes.stream().map(Write::path).toList()));
    }
    if (!deletes.isEmpty()) {
      parts.add("to delete: " + names(deletes));
    }
    if (!chmods.isEmpty()) {
      parts.add("permissions: " + names(List.copyOf(chmods.keySet())));
    }
    if (indexChanges) {
      parts.add("the index");
    }
    if (sparseCheckoutChanges) {
      parts.add("info/sparse-checkout");
    }
    if (headChange != null) {
      parts.add("HEAD (" + headChange + ")");
    }
    return String.join("; ", parts);
  }

  private static String names(List<String> paths) {
    return String.join(", ", paths.subList(0, Math.min(5, paths.size()))) + (paths.size() > 5 ? ", …" : "");
  }
}
