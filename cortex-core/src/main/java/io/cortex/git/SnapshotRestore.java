package io.cortex.git;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheCheckout;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.dircache.DirCacheIterator;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.CoreConfig;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.AbstractTreeIterator;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.treewalk.FileTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.WorkingTreeIterator;
import org.eclipse.jgit.treewalk.WorkingTreeOptions;

/**
 * Makes the current branch point at a base commit and the index and working tree equal a
 * snapshot — the seed's "git reset", extended to untracked files. Ignored files, nested
 * repositories and files over the size cap are never touched (the PRE_ROLLBACK snapshot could
 * not have kept them). The user's index stays locked for the whole operation, so no other git
 * process can interleave. Each file is written in {@code .git/cortex-restore/} and renamed over its path, so a
 * process killed half-way leaves every file either as it was or as the snapshot has it.
 */
final class SnapshotRestore {

  private final Repository repository;
  private final long maxFileSizeBytes;
  /** Restore only these paths (files or folders), or everything when null. */
  private final java.util.Set<String> onlyPaths;
  private final List<String> written = new ArrayList<>();
  private final List<String> deleted = new ArrayList<>();
  private final List<String> leftAlone = new ArrayList<>();
  /** The folder in the git directory where files are written before they are renamed into the work tree. */
  static final String STAGING = "cortex-restore";
  private Path staging;
  private int stagedCount;
  /** Move the branch only while it points here (compare-and-set); unchecked unless {@link #expectingHead} was called. */
  private boolean checkHead;
  private String expectedHead;
  private io.cortex.progress.ProgressListener progress = io.cortex.progress.ProgressListener.NONE;

  SnapshotRestore(Repository repository, long maxFileSizeBytes) {
    this(repository, maxFileSizeBytes, null);
  }

  SnapshotRestore(Repository repository, long maxFileSizeBytes, java.util.Set<String> onlyPaths) {
    this.repository = repository;
    this.maxFileSizeBytes = maxFileSizeBytes;
    this.onlyPaths = onlyPaths;
  }

  /** Files written and deleted are reported to {@code listener} ("Writing files"). */
  SnapshotRestore reportingTo(io.cortex.progress.ProgressListener listener) {
    this.progress = listener;
    return this;
  }

  /** The branch (or detached HEAD) is moved only while it still points at {@code head} (null: unborn). */
  SnapshotRestore expectingHead(String head) {
    this.checkHead = true;
    this.expectedHead = head;
    return this;
  }

  /** Restores the snapshot; {@code baseCommit} is where the branch goes — ignored when only some paths are restored. */
  RestoreResult restore(String snapshotCommit, String baseCommit) throws IOException {
    DirCache index = repository.lockDirCache();
    try (ObjectReader reader = repository.newObjectReader(); RevWalk revWalk = new RevWalk(reader)) {
      RevCommit snapshot = revWalk.parseCommit(ObjectId.fromString(snapshotCommit));
      List<DirCacheEntry> keep = new ArrayList<>();
      List<DirCacheEntry> toWrite = new ArrayList<>();
      List<String> toDelete = new ArrayList<>();
      plan(index, snapshot, reader, keep, toWrite, toDelete);

      if (onlyPaths == null) {
        moveHead(baseCommit);
      } else {
        keepEntriesOutside(index, keep);
      }
      ProgressReporter reporter = new ProgressReporter(progress, repository.getWorkTree().toPath(), "Writing files",
          toWrite.size() + toDelete.size());
      for (String path : toDelete) {
        delete(path);
        reporter.advance(0);
      }
      WorkingTreeOptions options = repository.getConfig().get(WorkingTreeOptions.KEY);
      staging = toWrite.isEmpty() ? null : openStaging();
      try {
        for (DirCacheEntry entry : toWrite) {
          write(entry, reader, options);
          reporter.advance(entry.getLength() > 0 ? entry.getLength()
              : reader.getObjectSize(entry.getObjectId(), org.eclipse.jgit.lib.Constants.OBJ_BLOB));
        }
        reporter.finish();
      } finally {
        if (staging != null) {
          emptyStaging(staging);
          Files.deleteIfExists(staging);
        }
      }
      DirCacheBuilder builder = index.builder();
      keep.forEach(builder::add);
      toWrite.forEach(builder::add);
      builder.finish();
      if (!builder.commit()) {
        throw new GitException("Could not write the index of " + repository.getWorkTree());
      }
      return new RestoreResult(written, deleted, leftAlone);
    } finally {
      index.unlock();
    }
  }

  /** Decides per path: keep the index entry, write from the snapshot, or delete from disk. */
  private void plan(DirCache index, RevCommit snapshot, ObjectReader reader, List<DirCacheEntry> keep,
                    List<DirCacheEntry> toWrite, List<String> toDelete) throws IOException {
    try (TreeWalk walk = new TreeWalk(repository, reader)) {
      CanonicalTreeParser target = new CanonicalTreeParser();
      target.reset(reader, snapshot.getTree());
      int targetTree = walk.addTree(target);
      int indexTree = walk.addTree(new DirCacheIterator(index));
      FileTreeIterator disk = new FileTreeIterator(repository);
      int diskTree = walk.addTree(disk);
      disk.setDirCacheIterator(walk, indexTree);
      walk.setRecursive(false);
      if (onlyPaths != null) {
        walk.setFilter(org.eclipse.jgit.treewalk.filter.PathFilterGroup.createFromStrings(onlyPaths));
      }

      while (walk.next()) {
        AbstractTreeIterator inTarget = walk.getTree(targetTree, CanonicalTreeParser.class);
        DirCacheIterator inIndex = walk.getTree(indexTree, DirCacheIterator.class);
        WorkingTreeIterator onDisk = walk.getTree(diskTree, WorkingTreeIterator.class);
        String path = walk.getPathString();
        FileMode diskMode = onDisk == null ? null : onDisk.getEntryFileMode();

        if (FileMode.GITLINK.equals(diskMode)) {
          leftAlone.add(path);
          if (inIndex != null && inIndex.getDirCacheEntry() != null) {
            keep.add(inIndex.getDirCacheEntry());
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
        DirCacheEntry indexed = inIndex == null ? null : inIndex.getDirCacheEntry();
        if (onDisk != null && indexed == null && inTarget == null && onDisk.isEntryIgnored()) {
          continue;
        }
        if (onDisk != null && !FileMode.TREE.equals(diskMode) && onDisk.getEntryLength() > maxFileSizeBytes) {
          leftAlone.add(path);
          if (indexed != null && indexed.getStage() == DirCacheEntry.STAGE_0) {
            keep.add(indexed);
          }
          continue;
        }
        if (inTarget != null) {
          FileMode mode = inTarget.getEntryFileMode();
          ObjectId id = inTarget.getEntryObjectId();
          if (indexed != null && onDisk != null && indexed.getStage() == DirCacheEntry.STAGE_0
              && id.equals(indexed.getObjectId()) && mode.equals(indexed.getFileMode())
              && !onDisk.isModified(indexed, false, reader)) {
            keep.add(indexed); // already right on disk and in the index
            continue;
          }
          DirCacheEntry entry = new DirCacheEntry(path);
          entry.setFileMode(mode);
          entry.setObjectId(id);
          toWrite.add(entry);
        } else if (onDisk != null && !FileMode.TREE.equals(diskMode)) {
          toDelete.add(path);
        }
      }
    }
  }

  /** With a path filter, index entries outside the filter stay as they are. */
  private void keepEntriesOutside(DirCache index, List<DirCacheEntry> keep) {
    for (int i = 0; i < index.getEntryCount(); i++) {
      DirCacheEntry entry = index.getEntry(i);
      String path = entry.getPathString();
      boolean selected = onlyPaths.stream().anyMatch(p -> path.equals(p) || path.startsWith(p + "/"));
      if (!selected) {
        keep.add(entry);
      }
    }
  }

  private void moveHead(String baseCommit) throws IOException {
    Ref head = repository.exactRef(Constants.HEAD);
    if (head != null && head.isSymbolic()) {
      String branch = head.getTarget().getName();
      if (baseCommit == null) {
        if (repository.exactRef(branch) != null) {
          RefUpdate delete = repository.updateRef(branch);
          delete.setForceUpdate(true);
          guard(delete);
          check(delete.delete(), branch);
        }
        return;
      }
      RefUpdate update = repository.updateRef(branch);
      update.setNewObjectId(ObjectId.fromString(baseCommit));
      update.setForceUpdate(true);
      update.setRefLogMessage("cortex: rollback", false);
      guard(update);
      check(update.update(), branch);
    } else if (baseCommit != null) {
      RefUpdate update = repository.updateRef(Constants.HEAD, true);
      update.setNewObjectId(ObjectId.fromString(baseCommit));
      update.setForceUpdate(true);
      update.setRefLogMessage("cortex: rollback", false);
      guard(update);
      check(update.update(), Constants.HEAD);
    }
  }

  /** Compare-and-set against the HEAD the caller saw, when it gave one. */
  private void guard(RefUpdate update) {
    if (checkHead) {
      update.setExpectedOldObjectId(expectedHead == null ? ObjectId.zeroId() : ObjectId.fromString(expectedHead));
    }
  }

  private void check(RefUpdate.Result result, String ref) {
    switch (result) {
      case NEW, FORCED, NO_CHANGE, FAST_FORWARD -> { }
      case LOCK_FAILURE -> {
        java.io.File lock = GitLockFiles.lockFileOf(repository, ref);
        // only this ref's own lock file counts: the index.lock found elsewhere is the one this restore holds
        throw (lock.exists() ? GitLockFiles.explain(repository, repository.getWorkTree().toPath(), lock, "move " + ref)
            : java.util.Optional.<StaleGitLockException>empty())
            .map(GitException.class::cast)
            .orElseGet(() -> new GitException("Could not move " + ref + " in " + repository.getWorkTree() + ": "
                + (checkHead ? "it no longer points at " + (expectedHead == null ? "nothing" : expectedHead)
                + " - a commit or checkout happened meanwhile; no file was touched, look at the repository and retry"
                : result.toString())));
      }
      default -> throw new GitException("Could not move " + ref + " in " + repository.getWorkTree() + ": " + result);
    }
  }

  private void writeContent(DirCacheEntry entry, ObjectLoader loader, WorkingTreeOptions options, Path target)
      throws IOException {
    if (FileMode.SYMLINK.equals(entry.getFileMode())) {
      repository.getFS().createSymLink(target.toFile(), new String(loader.getCachedBytes(), StandardCharsets.UTF_8));
      return;
    }
    DirCacheCheckout.CheckoutMetadata metadata =
        new DirCacheCheckout.CheckoutMetadata(CoreConfig.EolStreamType.DIRECT, null);
    try (OutputStream out = Files.newOutputStream(target)) {
      DirCacheCheckout.getContent(repository, entry.getPathString(), metadata, loader, options, out);
    }
    if (FileMode.EXECUTABLE_FILE.equals(entry.getFileMode())) {
      repository.getFS().setExecute(target.toFile(), true);
    }
  }

  /** The staging folder, emptied of what an earlier, interrupted restore left there. */
  private Path openStaging() throws IOException {
    Path dir = repository.getDirectory().toPath().resolve(STAGING);
    Files.createDirectories(dir);
    emptyStaging(dir);
    return dir;
  }

  private static void emptyStaging(Path dir) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(f);
      }
    }
  }

  private void delete(String path) throws IOException {
    Path file = repository.getWorkTree().toPath().resolve(path);
    Files.deleteIfExists(file);
    deleted.add(path);
    Path root = repository.getWorkTree().toPath();
    for (Path dir = file.getParent(); dir != null && !dir.equals(root); dir = dir.getParent()) {
      try {
        Files.delete(dir);
      } catch (DirectoryNotEmptyException | java.nio.file.NoSuchFileException e) {
        break;
      }
    }
  }

  private void write(DirCacheEntry entry, ObjectReader reader, WorkingTreeOptions options) throws IOException {
    Path file = repository.getWorkTree().toPath().resolve(entry.getPathString());
    Files.createDirectories(file.getParent());
    if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new GitException("Cannot restore " + entry.getPathString() + " in " + repository.getWorkTree()
          + ": it is a directory on disk (holding ignored files) but a file in the checkpoint");
    }
    ObjectLoader loader = reader.open(entry.getObjectId(), Constants.OBJ_BLOB);
    boolean replaced = false;
    if (staging != null) {
      // written next door, then renamed over the file: a process killed here leaves the old file or the new one
      Path staged = staging.resolve(Integer.toString(stagedCount++));
      Files.deleteIfExists(staged);
      writeContent(entry, loader, options, staged);
      try {
        Files.move(staged, file, StandardCopyOption.ATOMIC_MOVE);
        replaced = true;
      } catch (AtomicMoveNotSupportedException e) {
        Files.deleteIfExists(staged);
        staging = null; // the work tree is on another file system than .git: write in place from now on
      }
    }
    if (!replaced) {
      Files.deleteIfExists(file);
      writeContent(entry, loader, options, file);
    }
    entry.setLength(repository.getFS().length(file.toFile()));
    entry.setLastModified(repository.getFS().lastModifiedInstant(file.toFile()));
    written.add(entry.getPathString());
  }
}
