package io.cortex.git;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.util.FS;

/**
 * Index entries with every flag git has. JGit can read skip-worktree and intent-to-add but offers no way to set
 * them on a new entry, so the entries are written as an index file (git's documented format, version 3) and read
 * back: the entries then carry their flags into any index they are added to.
 */
final class IndexFile {

  /** One entry to create; {@code lastModified} null and {@code length} 0 mean "unknown, look at the file". */
  record Entry(SnapshotState.IndexRecord record, Instant lastModified, long length) {
  }

  private IndexFile() {
  }

  static List<DirCacheEntry> entries(List<Entry> entries, Path scratchDir) throws IOException {
    if (entries.isEmpty()) {
      return List.of();
    }
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.<Entry, byte[]>comparing(e -> e.record().path().getBytes(StandardCharsets.UTF_8),
        java.util.Arrays::compareUnsigned).thenComparingInt(e -> e.record().stage()));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.write("DIRC".getBytes(StandardCharsets.US_ASCII));
    out.writeInt(3);
    out.writeInt(sorted.size());
    for (Entry e : sorted) {
      SnapshotState.IndexRecord r = e.record();
      byte[] path = r.path().getBytes(StandardCharsets.UTF_8);
      boolean extended = r.skipWorktree() || r.intentToAdd();
      long seconds = e.lastModified() == null ? 0 : e.lastModified().getEpochSecond();
      int nanos = e.lastModified() == null ? 0 : e.lastModified().getNano();
      out.writeInt((int) seconds); // ctime: JGit keeps none; git then re-checks the file once (core.trustctime)
      out.writeInt(nanos);
      out.writeInt((int) seconds);
      out.writeInt(nanos);
      out.writeInt(0); // dev
      out.writeInt(0); // ino
      out.writeInt(r.mode());
      out.writeInt(0); // uid
      out.writeInt(0); // gid
      out.writeInt((int) e.length());
      byte[] id = new byte[20];
      r.id().copyRawTo(id, 0);
      out.write(id);
      int flags = Math.min(path.length, 0xfff) | (r.stage() << 12) | (extended ? 0x4000 : 0)
          | (r.assumeValid() ? 0x8000 : 0);
      out.writeShort(flags);
      int length = 62;
      if (extended) {
        out.writeShort((r.skipWorktree() ? 0x4000 : 0) | (r.intentToAdd() ? 0x2000 : 0));
        length += 2;
      }
      out.write(path);
      length += path.length;
      int padding = 8 - (length % 8);
      out.write(new byte[padding]);
    }
    out.flush();
    byte[] body = bytes.toByteArray();
    Path file = Files.createTempFile(scratchDir, "index", ".tmp");
    try {
      Files.write(file, body);
      try {
        Files.write(file, MessageDigest.getInstance("SHA-1").digest(body), java.nio.file.StandardOpenOption.APPEND);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
      DirCache read = DirCache.read(file.toFile(), FS.DETECTED);
      List<DirCacheEntry> result = new ArrayList<>(read.getEntryCount());
      for (int i = 0; i < read.getEntryCount(); i++) {
        result.add(read.getEntry(i));
      }
      return result;
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
