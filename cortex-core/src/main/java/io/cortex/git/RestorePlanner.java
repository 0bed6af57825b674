package io.cortex.git;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.dircache.DirCacheIterator;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.treewalk.FileTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.WorkingTreeIterator;

/**
 * Decides, without touching anything, what a restore of a snapshot writes, deletes, keeps and changes — and
 * every reason it cannot (a conflict). The dry run, the restore and the check after it all use this one plan.
 *
 * <p>Rules: a file is written only when its bytes, kind or permissions differ (unchanged files keep bytes and
 * mtime); a file the snapshot does not have is deleted unless it is ignored under the rules on disk now or under
 * the snapshot's rules (then kept); nested repositories and files over the size cap are left alone; nothing is
 * written through a symbolic link or a file standing where a folder has to be, and no folder that holds a kept
 * file is replaced by a file (conflicts). Where the snapshot recorded its state (format 2) the index, permissions,
 * raw bytes and sparse patterns are the recorded ones; a format-1 snapshot's index is its tree, as it always was.
 */
final class RestorePlanner {

  private final Repository repository;
  private final ObjectReader reader;
  private final long maxFileSizeBytes;
  private final Set<String> onlyPaths;
  private final Set<String> contentCheck;
  private final Path root;

  /**
   * @param onlyPaths restore only these paths (files or folders), or everything when null
   * @param contentCheck paths compared by content even when their stat data matches the index (the check after
   *     a restore, for the files it wrote)
   */
  RestorePlanner(Repository repository, ObjectReader reader, long maxFileSizeBytes, Set<String> onlyPaths,
                 Set<String> contentCheck) {
    this.repository = repository;
    this.reader = reader;
    this.maxFileSizeBytes = maxFileSizeBytes;
    this.onlyPaths = onlyPaths;
    this.contentCheck = contentCheck;
    this.root = repository.getWorkTree().toPath();
  }

  RestorePlan plan(RevCommit snapshot, Optional<SnapshotState> state, DirCache index, String baseCommit,
                   HeadTarget head) throws IOException {
    RestorePlan plan = new RestorePlan();
    ObjectId tree = snapshot.getTree();
    CheckoutConversions conversions = CheckoutConversions.of(repository, reader, tree);
    plan.conversions = conversions;
    TreeIgnoreRules targetRules = new TreeIgnoreRules(repository, reader, tree);
    Map<String, ObjectId> raw = state.map(SnapshotState::raw).orElse(Map.of());
    Map<String, Integer> permissions = state.map(SnapshotState::permissions).orElse(null);
    List<SnapshotState.IndexRecord> treeEntries = new ArrayList<>();
    Set<String> leftAloneIndexed = new HashSet<>();

    try (TreeWalk walk = new TreeWalk(repository, reader)) {
      CanonicalTreeParser target = new CanonicalTreeParser();
      target.reset(reader, tree);
      int targetTree = walk.addTree(target);
      int indexTree = walk.addTree(new DirCacheIterator(index));
      FileTreeIterator disk = new FileTreeIterator(repository);
      int diskTree = walk.addTree(disk);
      disk.setDirCacheIterator(walk, indexTree);
      walk.setRecursive(false);
      if (onlyPaths != null) {
        walk.setFilter(org.eclipse.jgit.treewalk.filter.PathFilterGroup.createFromStrings(onlyPaths));
      }
      String lastPath = null;
      while (walk.next()) {
        CanonicalTreeParser inTarget = walk.getTree(targetTree, CanonicalTreeParser.class);
        DirCacheIterator inIndex = walk.getTree(indexTree, DirCacheIterator.class);
        WorkingTreeIterator onDisk = walk.getTree(diskTree, WorkingTreeIterator.class);
        String path = walk.getPathString();
        FileMode diskMode = onDisk == null ? null : onDisk.getEntryFileMode();
        FileMode targetMode = inTarget == null ? null : inTarget.getEntryFileMode();

        if (FileMode.GITLINK.equals(diskMode)) {
          plan.leftAlone.add(path);
          leftAloneIndexed.add(path);
          if (FileMode.GITLINK.equals(targetMode)) {
            treeEntries.add(record(path, targetMode, inTarget.getEntryObjectId()));
          }
          continue;
        }
        if (walk.isSubtree()) {
          boolean ignoredOnly = onDisk != null && inIndex == null && inTarget == null && onDisk.isEntryIgnored();
          if (!ignoredOnly) {
            walk.enterSubtree();
          }
          continue;
        }
        if (path.equals(lastPath)) {
          continue; // further conflict stages of one path
        }
        lastPath = path;
        DirCacheEntry indexed = inIndex == null ? null : inIndex.getDirCacheEntry();
        if (FileMode.GITLINK.equals(targetMode)) {
          treeEntries.add(record(path, targetMode, inTarget.getEntryObjectId()));
          continue; // a submodule in an imported commit: its folder is not ours to fill
        }
        boolean diskFile = onDisk != null && !FileMode.TREE.equals(diskMode);
        if (diskFile && onDisk.getEntryLength() > maxFileSizeBytes) {
          plan.leftAlone.add(path);
          leftAloneIndexed.add(path);
          continue;
        }
        if (inTarget != null) {
          ObjectId id = inTarget.getEntryObjectId();
          treeEntries.add(record(path, targetMode, id));
          if (!diskFile) {
            plan.writes.add(new RestorePlan.Write(path, targetMode, id, raw.get(path),
                permissions == null ? null : permissions.getOrDefault(path, PosixModes.defaultFor(targetMode)), false));
            continue;
          }
          planExisting(plan, path, targetMode, id, indexed, onDisk, diskMode, raw.get(path), permissions, conversions);
        } else if (diskFile) {
          boolean tracked = indexed != null;
          if (!tracked && (onDisk.isEntryIgnored() || targetRules.isIgnored(path, false))) {
            plan.keptIgnored.add(path);
          } else {
            plan.deletes.add(path);
            if (!tracked) {
              plan.untrackedDeletes.add(path);
            }
          }
        }
      }
    }
    findConflicts(plan);
    for (SnapshotState.IndexRecord r : treeEntries) {
      plan.treeIds.put(r.path(), r.id());
      plan.treeModes.put(r.path(), r.mode());
    }
    planIndex(plan, state, index, treeEntries, leftAloneIndexed);
    if (state.isPresent() && onlyPaths == null && state.get().sparseCheckout() != null) {
      Path sparse = sparseCheckoutFile();
      String now = Files.isRegularFile(sparse) ? Files.readString(sparse) : null;
      plan.sparseCheckout = state.get().sparseCheckout();
      plan.sparseCheckoutChanges = !plan.sparseCheckout.equals(now);
    }
    if (onlyPaths == null) {
      plan.headChange = headChange(baseCommit, head);
      Ref current = repository.exactRef(Constants.HEAD);
      boolean detached = current == null || !current.isSymbolic();
      if (baseCommit == null && (head.kind() == HeadTarget.Kind.DETACHED
          || (head.kind() == HeadTarget.Kind.CURRENT && detached))) {
        plan.conflicts.add("HEAD is detached and the checkpoint was taken before the first commit, so there is no"
            + " commit to put HEAD on - check out the branch to roll back (git switch <branch>) and retry");
      }
    }
    return plan;
  }

  Path sparseCheckoutFile() {
    return repository.getDirectory().toPath().resolve("info/sparse-checkout");
  }

  /** A file the snapshot has and the disk has too: unchanged, permissions only, or rewritten. */
  private void planExisting(RestorePlan plan, String path, FileMode targetMode, ObjectId id, DirCacheEntry indexed,
                            WorkingTreeIterator onDisk, FileMode diskMode, ObjectId raw,
                            Map<String, Integer> permissions, CheckoutConversions conversions) throws IOException {
    Integer wanted = permissions == null ? null : permissions.getOrDefault(path, PosixModes.defaultFor(targetMode));
    boolean sameKind = (diskMode.getBits() & FileMode.TYPE_MASK) == (targetMode.getBits() & FileMode.TYPE_MASK);
    Path file = root.resolve(path);
    if (sameKind && sameContent(path, targetMode, id, indexed, onDisk, raw, conversions, file)) {
      if (FileMode.SYMLINK.equals(targetMode) || !PosixModes.supported(file)) {
        return;
      }
      int bits = PosixModes.of(file);
      if (wanted == null) {
        // format 1 knows git's executable bit only: toggle it as git does, keep the other bits
        boolean exec = FileMode.EXECUTABLE_FILE.equals(targetMode);
        if (exec != FileMode.EXECUTABLE_FILE.equals(diskMode)) {
          plan.chmods.put(path, exec ? bits | ((bits & 0444) >> 2) : bits & ~0111);
        }
      } else if (bits != wanted) {
        plan.chmods.put(path, wanted);
      }
      return;
    }
    if (indexed == null && onDisk.isEntryIgnored()) {
      // git would overwrite an ignored file; no checkpoint keeps one, so its bytes would be gone
      plan.conflicts.add("Cannot restore " + path + ": an ignored file with other content is there, and no"
          + " checkpoint keeps ignored files - move it away and retry");
    }
    plan.writes.add(new RestorePlan.Write(path, targetMode, id, raw, wanted, true));
  }

  /** Whether the file on disk holds exactly what restoring the snapshot's entry would write. */
  private boolean sameContent(String path, FileMode targetMode, ObjectId id, DirCacheEntry indexed,
                              WorkingTreeIterator onDisk, ObjectId raw, CheckoutConversions conversions, Path file)
      throws IOException {
    if (raw != null) {
      return CheckoutConversions.sameBytes(reader, raw, file);
    }
    CheckoutConversions.Conversion conversion = FileMode.SYMLINK.equals(targetMode) ? null : conversions.of(path);
    if (conversion != null && !conversion.contentAddressed()) {
      return conversions.smudgesTo(path, reader, id, file);
    }
    // no conversion (the blob is the bytes) or git-lfs (the pointer names the bytes): compare clean forms
    if (indexed != null && indexed.getStage() == DirCacheEntry.STAGE_0 && id.equals(indexed.getObjectId())
        && !indexed.isAssumeValid() && !indexed.isSkipWorkTree() && !contentCheck.contains(path)
        && !onDisk.isModified(indexed, false, reader)) {
      return true;
    }
    return id.equals(cleanId(onDisk));
  }

  /** The blob id of the file on disk as git would store it, computed without writing anything. */
  private static ObjectId cleanId(WorkingTreeIterator onDisk) throws IOException {
    try (ObjectInserter.Formatter formatter = new ObjectInserter.Formatter();
         InputStream in = onDisk.openEntryStream()) {
      return formatter.idFor(Constants.OBJ_BLOB, onDisk.getEntryContentLength(), in);
    }
  }

  /**
   * Everything that makes the plan impossible, found before anything is touched: a leading folder of a file to
   * write that is a symbolic link or a file the restore keeps (git never writes through a symlink), a folder
   * where a file goes that holds something the restore keeps, a folder the restore cannot write in.
   */
  private void findConflicts(RestorePlan plan) throws IOException {
    Set<String> deleted = new HashSet<>(plan.deletes);
    Set<String> fine = new HashSet<>(); // leading folders already found to be real folders (or absent)
    for (RestorePlan.Write write : plan.writes) {
      String path = write.path();
      for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
        String prefix = path.substring(0, slash);
        if (fine.contains(prefix)) {
          continue;
        }
        Path p = root.resolve(prefix);
        if (Files.isSymbolicLink(p) && !deleted.contains(prefix)) {
          plan.conflicts.add("Cannot restore " + path + ": " + prefix + " is a symbolic link on disk ("
              + kept(prefix, plan) + "), and a restore never writes through one - move it away and retry");
          break;
        }
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
            && !deleted.contains(prefix)) {
          plan.conflicts.add("Cannot restore " + path + ": " + prefix + " is a file on disk (" + kept(prefix, plan)
              + ") where the checkpoint has a folder - move it away and retry");
          break;
        }
        fine.add(prefix);
      }
      Path target = root.resolve(path);
      if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        Optional<String> keptInside = keptInside(target, deleted);
        keptInside.ifPresent(k -> plan.conflicts.add("Cannot restore " + path + ": it is a folder on disk holding "
            + k + " (" + kept(k, plan) + ") but a file in the checkpoint - move it away and retry"));
      }
      Path parent = nearestExisting(target.getParent());
      if (parent != null && !Files.isWritable(parent)) {
        plan.conflicts.add("Cannot restore " + path + ": no permission to write in " + root.relativize(parent));
      }
    }
    for (String path : plan.deletes) {
      Path parent = root.resolve(path).getParent();
      if (!Files.isWritable(parent)) {
        plan.conflicts.add("Cannot remove " + path + ": no permission to write in "
            + (parent.equals(root) ? "the work tree" : root.relativize(parent)));
      }
    }
  }

  private static String kept(String path, RestorePlan plan) {
    if (plan.leftAlone.contains(path)) {
      return "a nested repository or a file over the size cap, left alone";
    }
    return "ignored, so no checkpoint keeps it";
  }

  /** A file or link under {@code dir} that the restore does not delete (ignored, nested repository), if any. */
  private Optional<String> keptInside(Path dir, Set<String> deleted) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) || Files.exists(p.resolve(".git")))
          .map(p -> root.relativize(p).toString())
          .filter(p -> !deleted.contains(p))
          .findFirst();
    }
  }

  private static Path nearestExisting(Path dir) {
    Path p = dir;
    while (p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      p = p.getParent();
    }
    return p;
  }

  /**
   * The index after the restore: the recorded one (format 2), or the snapshot's tree (format 1); with a path
   * filter, the entries outside it stay; entries of paths left alone keep what the index has now (format 1).
   */
  private void planIndex(RestorePlan plan, Optional<SnapshotState> state, DirCache index,
                         List<SnapshotState.IndexRecord> treeEntries, Set<String> leftAlone) {
    List<SnapshotState.IndexRecord> now = new ArrayList<>();
    for (int i = 0; i < index.getEntryCount(); i++) {
      DirCacheEntry e = index.getEntry(i);
      now.add(new SnapshotState.IndexRecord(e.getPathString(), e.getRawMode(), e.getObjectId(), e.getStage(),
          e.isAssumeValid(), e.isSkipWorkTree(), e.isIntentToAdd()));
    }
    List<SnapshotState.IndexRecord> wanted = new ArrayList<>();
    if (state.isPresent()) {
      for (SnapshotState.IndexRecord r : state.get().index()) {
        if (selected(r.path())) {
          wanted.add(r);
        }
      }
    } else {
      wanted.addAll(treeEntries);
      Set<String> inTree = new HashSet<>();
      treeEntries.forEach(t -> inTree.add(t.path()));
      for (SnapshotState.IndexRecord r : now) {
        if (leftAlone.contains(r.path()) && r.stage() == 0 && !inTree.contains(r.path())) {
          wanted.add(r);
        }
      }
    }
    if (onlyPaths != null) {
      for (SnapshotState.IndexRecord r : now) {
        if (!selected(r.path())) {
          wanted.add(r);
        }
      }
    }
    java.util.Comparator<SnapshotState.IndexRecord> order = java.util.Comparator
        .<SnapshotState.IndexRecord, String>comparing(SnapshotState.IndexRecord::path)
        .thenComparingInt(SnapshotState.IndexRecord::stage);
    wanted.sort(order);
    now.sort(order);
    plan.index.addAll(wanted);
    plan.indexChanges = !wanted.equals(now);
  }

  private boolean selected(String path) {
    return onlyPaths == null || onlyPaths.stream().anyMatch(p -> path.equals(p) || path.startsWith(p + "/"));
  }

  private static SnapshotState.IndexRecord record(String path, FileMode mode, ObjectId id) {
    return new SnapshotState.IndexRecord(path, mode.getBits(), id.copy(), 0, false, false, false);
  }

  /** How HEAD changes, or null when it stays as it is. */
  private String headChange(String baseCommit, HeadTarget head) throws IOException {
    Ref current = repository.exactRef(Constants.HEAD);
    String currentBranch = current != null && current.isSymbolic() ? current.getTarget().getName() : null;
    String headNow = current == null || current.getObjectId() == null ? null : current.getObjectId().name();
    return switch (head.kind()) {
      case CURRENT -> Objects.equals(headNow, baseCommit) ? null
          : (currentBranch == null ? "HEAD" : Repository.shortenRefName(currentBranch)) + ": " + abbreviate(headNow)
          + " -> " + abbreviate(baseCommit);
      case DETACHED -> currentBranch == null && Objects.equals(headNow, baseCommit) ? null
          : "HEAD detached at " + abbreviate(baseCommit);
      case BRANCH -> {
        String ref = Constants.R_HEADS + head.branch();
        Ref branch = repository.exactRef(ref);
        String branchNow = branch == null || branch.getObjectId() == null ? null : branch.getObjectId().name();
        yield ref.equals(currentBranch) && Objects.equals(branchNow, baseCommit) ? null
            : head.branch() + ": " + abbreviate(branchNow) + " -> " + abbreviate(baseCommit)
            + (ref.equals(currentBranch) ? "" : ", checked out");
      }
    };
  }

  private static String abbreviate(String commit) {
    return commit == null ? "no commit" : commit.substring(0, 7);
  }
}
