package io.cortex.git;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.dircache.DirCacheIterator;
import org.eclipse.jgit.dircache.DirCacheTree;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.treewalk.FileTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.WorkingTreeIterator;

/**
 * Writes the whole working tree (tracked files as they are on disk, staged or not, plus
 * untracked non-ignored files) as a git tree, without touching the user's index.
 *
 * <p>The tree is built in an in-core {@link DirCache}. Files whose stat data matches the
 * user's index entry are taken from the index as they are, so only new or changed files are
 * read and hashed — the same shortcut {@code git add -A} takes. When nothing differs from the index,
 * the tree is the one git already recorded for the index (its cache tree). Ignored directories without
 * tracked content are never entered.
 */
final class WorkingTreeCapture {

  private final Repository repository;
  private final ObjectInserter inserter;
  private final ObjectReader reader;
  private final long maxFileSizeBytes;

  private final boolean withState;
  private final List<SkippedPath> skipped = new ArrayList<>();
  private final java.util.Map<String, Integer> permissions = new java.util.HashMap<>();
  private DirCache index;
  private int fileCount;
  private int hashedCount;
  private int takenFromIndex;
  private io.cortex.progress.ProgressListener progress = io.cortex.progress.ProgressListener.NONE;

  WorkingTreeCapture(Repository repository, ObjectInserter inserter, ObjectReader reader,
                     long maxFileSizeBytes, boolean withState) {
    this.withState = withState;
    this.repository = repository;
    this.inserter = inserter;
    this.reader = reader;
    this.maxFileSizeBytes = maxFileSizeBytes;
  }

  /** Files scanned are reported to {@code listener} ("Scanning files"). */
  WorkingTreeCapture reportingTo(io.cortex.progress.ProgressListener listener) {
    this.progress = listener;
    return this;
  }

  /** Writes the tree and returns its id; {@link #skipped()} and counters are filled as a side effect. */
  ObjectId writeTree() throws IOException {
    // readDirCache() only reads .git/index; it takes no lock and never writes it back.
    index = repository.readDirCache();
    DirCache snapshot = DirCache.newInCore();
    ProgressReporter reporter = new ProgressReporter(progress, repository.getWorkTree().toPath(), "Scanning files",
        index.getEntryCount());
    DirCacheBuilder builder = snapshot.builder();

    try (TreeWalk walk = new TreeWalk(repository, reader)) {
      int indexTree = walk.addTree(new DirCacheIterator(index));
      FileTreeIterator workTree = new FileTreeIterator(repository);
      int workTreeIndex = walk.addTree(workTree);
      workTree.setDirCacheIterator(walk, indexTree);
      walk.setRecursive(false);

      String lastPath = null;
      while (walk.next()) {
        DirCacheIterator inIndex = walk.getTree(indexTree, DirCacheIterator.class);
        WorkingTreeIterator onDisk = walk.getTree(workTreeIndex, WorkingTreeIterator.class);
        if (onDisk == null) {
          continue; // deleted on disk: not part of the snapshot
        }
        FileMode diskMode = onDisk.getEntryFileMode();
        if (FileMode.TREE.equals(diskMode)) {
          if (inIndex != null || !onDisk.isEntryIgnored()) {
            walk.enterSubtree();
          }
          continue;
        }
        String path = walk.getPathString();
        if (path.equals(lastPath)) {
          continue; // further conflict stages of a path already taken from disk
        }
        lastPath = path;
        if (FileMode.GITLINK.equals(diskMode)) {
          skipped.add(new SkippedPath(path, SkippedPath.Reason.NESTED_REPOSITORY, 0));
          continue;
        }
        if (inIndex == null && onDisk.isEntryIgnored()) {
          continue;
        }
        long length = onDisk.getEntryLength();
        if (length > maxFileSizeBytes) {
          skipped.add(new SkippedPath(path, SkippedPath.Reason.TOO_LARGE, length));
          continue;
        }
        DirCacheEntry entry = entryFor(path, inIndex, onDisk);
        builder.add(entry);
        if (withState) {
          recordPermissions(path, entry.getFileMode());
        }
        fileCount++;
        reporter.advance(length);
      }
    }
    reporter.finish();
    if (fileCount == index.getEntryCount() && takenFromIndex == fileCount) {
      Optional<ObjectId> cached = validCachedTree(index);
      if (cached.isPresent()) {
        return cached.get();
      }
    }
    builder.finish();
    return snapshot.writeTree(inserter);
  }

  /**
   * The tree id git recorded for the whole index (its cache-tree extension), if still valid and present: when every
   * entry of the snapshot is the index's own, unchanged on disk, the snapshot tree is exactly that tree, so it need
   * not be formatted, hashed and looked up directory by directory again (what {@code git write-tree} does too).
   */
  private Optional<ObjectId> validCachedTree(DirCache index) throws IOException {
    DirCacheTree root = index.getCacheTree(false);
    if (root == null || !root.isValid() || root.getEntrySpan() != index.getEntryCount()) {
      return Optional.empty();
    }
    ObjectId id = root.getObjectId();
    return reader.has(id, Constants.OBJ_TREE) ? Optional.of(id) : Optional.empty();
  }

  private DirCacheEntry entryFor(String path, DirCacheIterator inIndex, WorkingTreeIterator onDisk)
      throws IOException {
    if (inIndex != null) {
      DirCacheEntry indexed = inIndex.getDirCacheEntry();
      // assume-unchanged and skip-worktree tell git not to look at the file: the snapshot must, it keeps the disk
      if (indexed != null && indexed.getStage() == DirCacheEntry.STAGE_0
          && !FileMode.GITLINK.equals(indexed.getFileMode())
          && !indexed.isAssumeValid() && !indexed.isSkipWorkTree()
          && !onDisk.isModified(indexed, false, reader)) {
        takenFromIndex++;
        return indexed;
      }
    }
    hashedCount++;
    DirCacheEntry entry = new DirCacheEntry(path);
    entry.setFileMode(inIndex != null ? onDisk.getIndexFileMode(inIndex) : onDisk.getEntryFileMode());
    entry.setLength(onDisk.getEntryLength());
    entry.setLastModified(onDisk.getEntryLastModifiedInstant());
    long contentLength = onDisk.getEntryContentLength();
    try (InputStream content = onDisk.openEntryStream()) {
      entry.setObjectId(inserter.insert(Constants.OBJ_BLOB, contentLength, content));
    }
    return entry;
  }

  /** Permission bits beyond git's 644/755 are the one thing of a file git does not keep: recorded here. */
  private void recordPermissions(String path, FileMode mode) throws IOException {
    if ((mode.getBits() & FileMode.TYPE_MASK) != FileMode.TYPE_FILE) {
      return;
    }
    try {
      int bits = PosixModes.of(repository.getWorkTree().toPath().resolve(path));
      if (bits != PosixModes.defaultFor(mode)) {
        permissions.put(path, bits);
      }
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: git's executable bit is all there is
    }
  }

  /**
   * The state beside the main tree {@code mainTree} (written by {@link #writeTree}): the index with its flags,
   * HEAD, sparse-checkout patterns, permissions, and the bytes of every file whose clean form does not give them
   * back through the checkout conversions (checked by converting back, never assumed; git-lfs excepted, whose
   * pointer names its content by hash and whose content must stay in LFS's store).
   */
  SnapshotState state(ObjectId mainTree) throws IOException {
    java.util.List<SnapshotState.IndexRecord> records = new ArrayList<>();
    for (int i = 0; i < index.getEntryCount(); i++) {
      DirCacheEntry e = index.getEntry(i);
      records.add(new SnapshotState.IndexRecord(e.getPathString(), e.getRawMode(), e.getObjectId(), e.getStage(),
          e.isAssumeValid(), e.isSkipWorkTree(), e.isIntentToAdd()));
    }
    java.util.Map<String, ObjectId> raw = new java.util.HashMap<>();
    CheckoutConversions conversions = CheckoutConversions.of(repository, reader, mainTree);
    try (TreeWalk walk = new TreeWalk(repository, reader)) {
      walk.addTree(mainTree);
      walk.setRecursive(true);
      while (walk.next()) {
        String path = walk.getPathString();
        CheckoutConversions.Conversion conversion = conversions.of(path);
        if (conversion == null || conversion.contentAddressed()) {
          continue;
        }
        java.nio.file.Path file = repository.getWorkTree().toPath().resolve(path);
        if (!conversions.smudgesTo(path, reader, walk.getObjectId(0), file)) {
          try (InputStream in = java.nio.file.Files.newInputStream(file)) {
            raw.put(path, inserter.insert(Constants.OBJ_BLOB, java.nio.file.Files.size(file), in));
          }
        }
      }
    }
    java.nio.file.Path sparse = repository.getDirectory().toPath().resolve("info/sparse-checkout");
    String sparseCheckout = java.nio.file.Files.isRegularFile(sparse) ? java.nio.file.Files.readString(sparse) : null;
    org.eclipse.jgit.lib.Ref head = repository.exactRef(Constants.HEAD);
    String headState = head == null ? null : head.isSymbolic() ? "ref: " + head.getTarget().getName()
        : head.getObjectId() == null ? null : head.getObjectId().name();
    return new SnapshotState(records, raw, permissions, sparseCheckout, headState);
  }

  List<SkippedPath> skipped() {
    return skipped;
  }

  int fileCount() {
    return fileCount;
  }

  int hashedCount() {
    return hashedCount;
  }
}
