package io.cortex.git;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * The bytes a snapshot holds beyond its base commit: the summed (uncompressed) sizes of the blobs
 * in the snapshot's tree that the base commit's tree does not have at the same path. A blob
 * found at several paths counts once. Subtrees both commits share are skipped without being
 * read, so sizing a snapshot costs about as much as the change it carries.
 *
 * <p>It is an estimate of what deleting the snapshot's ref can free: blobs two snapshots share
 * are counted for each of them, and git compresses what it stores.
 */
final class SnapshotSize {

  private SnapshotSize() {
  }

  /**
   * @param snapshotCommit the snapshot commit
   * @param baseCommit the commit it was taken on, or {@code null} to count every blob of the snapshot
   */
  static long bytesBeyondBase(Repository repository, String snapshotCommit, String baseCommit) throws IOException {
    try (ObjectReader reader = repository.newObjectReader();
         RevWalk commits = new RevWalk(reader);
         TreeWalk walk = new TreeWalk(repository, reader)) {
      RevCommit snapshot = commits.parseCommit(ObjectId.fromString(snapshotCommit));
      walk.addTree(snapshot.getTree());
      if (baseCommit != null) {
        walk.addTree(commits.parseCommit(ObjectId.fromString(baseCommit)).getTree());
      } else {
        walk.addTree(new EmptyTreeIterator());
      }
      walk.setRecursive(true);
      // ANY_DIFF also skips subtrees whose ids are equal on both sides, without entering them.
      walk.setFilter(TreeFilter.ANY_DIFF);
      Set<ObjectId> counted = new HashSet<>();
      long bytes = 0;
      while (walk.next()) {
        if (walk.getFileMode(0).getObjectType() != Constants.OBJ_BLOB) {
          continue; // deleted in the snapshot, or a gitlink
        }
        ObjectId blob = walk.getObjectId(0);
        if (walk.idEqual(0, 1) || !counted.add(blob)) {
          continue;
        }
        bytes += reader.getObjectSize(blob, Constants.OBJ_BLOB);
      }
      return bytes + rawBytes(reader, snapshot, counted);
    }
  }

  /** The raw bytes a format-2 snapshot keeps beside its tree (files whose clean form does not round-trip). */
  private static long rawBytes(ObjectReader reader, RevCommit snapshot, Set<ObjectId> counted) throws IOException {
    RevCommit state = SnapshotStateCodec.stateCommitOf(reader, snapshot);
    if (state == null) {
      return 0;
    }
    long bytes = 0;
    try (TreeWalk walk = new TreeWalk(reader)) {
      walk.addTree(state.getTree());
      walk.setRecursive(true);
      walk.setFilter(org.eclipse.jgit.treewalk.filter.PathFilter.create("raw"));
      while (walk.next()) {
        if (counted.add(walk.getObjectId(0))) {
          bytes += reader.getObjectSize(walk.getObjectId(0), Constants.OBJ_BLOB);
        }
      }
    }
    return bytes;
  }
}
