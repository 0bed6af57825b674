package io.cortex.git;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jgit.attributes.Attributes;
import org.eclipse.jgit.dircache.DirCacheCheckout;
import org.eclipse.jgit.dircache.DirCacheCheckout.CheckoutMetadata;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.CoreConfig.EolStreamType;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.WorkingTreeOptions;

/**
 * The conversions git applies between a blob and the file on disk, per path of a tree: end-of-line conversion
 * ({@code core.autocrlf}, {@code eol}/{@code text} attributes) and clean/smudge filter drivers, resolved as a
 * checkout of that tree resolves them (its {@code .gitattributes}, then {@code info/attributes} and the global
 * attributes file; the repository's configuration). Only paths with a conversion are listed: for every other
 * file the blob <em>is</em> the bytes on disk.
 */
final class CheckoutConversions {

  /** The filter driver whose clean form names its content by hash (git-lfs): it always round-trips. */
  static final String LFS = "lfs";

  /**
   * @param metadata what a checkout writes the blob through (eol conversion, smudge command)
   * @param driver the filter driver's name, or null
   */
  record Conversion(CheckoutMetadata metadata, String driver) {

    /**
     * Whether the clean form determines the bytes on disk: true for git-lfs, whose pointer holds the SHA-256 of
     * the content, so the same pointer means the same bytes and the content is never read or copied.
     */
    boolean contentAddressed() {
      return LFS.equals(driver);
    }
  }

  private final Repository repository;
  private final Map<String, Conversion> byPath;

  private CheckoutConversions(Repository repository, Map<String, Conversion> byPath) {
    this.repository = repository;
    this.byPath = byPath;
  }

  /** The conversions of every file of {@code tree} (a main snapshot tree, or a commit's tree). */
  static CheckoutConversions of(Repository repository, ObjectReader reader, ObjectId tree) throws IOException {
    Map<String, Conversion> byPath = new HashMap<>();
    try (TreeWalk walk = new TreeWalk(repository, reader)) {
      walk.setOperationType(TreeWalk.OperationType.CHECKOUT_OP);
      walk.addTree(tree);
      walk.setRecursive(true);
      while (walk.next()) {
        int mode = walk.getRawMode(0);
        if ((mode & FileMode.TYPE_MASK) != FileMode.TYPE_FILE) {
          continue; // symlinks and gitlinks are never converted
        }
        EolStreamType checkout = walk.getEolStreamType(TreeWalk.OperationType.CHECKOUT_OP);
        EolStreamType checkin = walk.getEolStreamType(TreeWalk.OperationType.CHECKIN_OP);
        Attributes attributes = walk.getAttributes();
        String driver = attributes.getValue(Constants.ATTR_FILTER);
        String smudge = driver == null ? null : repository.getConfig().getString(Constants.ATTR_FILTER, driver,
            Constants.ATTR_FILTER_TYPE_SMUDGE);
        String clean = driver == null ? null : repository.getConfig().getString(Constants.ATTR_FILTER, driver,
            Constants.ATTR_FILTER_TYPE_CLEAN);
        boolean eol = (checkout != null && checkout != EolStreamType.DIRECT)
            || (checkin != null && checkin != EolStreamType.DIRECT);
        if (eol || smudge != null || clean != null) {
          byPath.put(walk.getPathString(), new Conversion(new CheckoutMetadata(
              checkout == null ? EolStreamType.DIRECT : checkout, smudge == null ? null : walk.getFilterCommand(
                  Constants.ATTR_FILTER_TYPE_SMUDGE)), smudge == null && clean == null ? null : driver));
        }
      }
    }
    return new CheckoutConversions(repository, byPath);
  }

  /** The conversion of {@code path}, or null when the blob is the bytes on disk. */
  Conversion of(String path) {
    return byPath.get(path);
  }

  /** Writes what a checkout of {@code blob} at {@code path} puts on disk (smudge filter and eol applied). */
  void smudge(String path, ObjectLoader blob, OutputStream out) throws IOException {
    Conversion conversion = byPath.get(path);
    CheckoutMetadata metadata = conversion == null
        ? new CheckoutMetadata(EolStreamType.DIRECT, null) : conversion.metadata();
    DirCacheCheckout.getContent(repository, path, metadata, blob, repository.getConfig().get(WorkingTreeOptions.KEY),
        out);
  }

  /** Whether a checkout of {@code blob} at {@code path} would write exactly the bytes of {@code file}. */
  boolean smudgesTo(String path, ObjectReader reader, ObjectId blob, Path file) throws IOException {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try (InputStream disk = new BufferedInputStream(Files.newInputStream(file));
         ComparingStream compare = new ComparingStream(disk)) {
      smudge(path, reader.open(blob, Constants.OBJ_BLOB), compare);
      return compare.sameSoFar() && disk.read() < 0;
    }
  }

  /** Whether {@code blob} holds exactly the bytes of {@code file}. */
  static boolean sameBytes(ObjectReader reader, ObjectId blob, Path file) throws IOException {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    ObjectLoader loader = reader.open(blob, Constants.OBJ_BLOB);
    if (loader.getSize() != Files.size(file)) {
      return false;
    }
    try (InputStream disk = new BufferedInputStream(Files.newInputStream(file));
         ComparingStream compare = new ComparingStream(disk)) {
      loader.copyTo(compare);
      return compare.sameSoFar() && disk.read() < 0;
    }
  }

  /** An output stream that compares what is written with another stream, byte by byte. */
  private static final class ComparingStream extends OutputStream {
    private final InputStream expected;
    private boolean same = true;

    ComparingStream(InputStream expected) {
      this.expected = expected;
    }

    @Override
    public void write(int b) throws IOException {
      if (same && expected.read() != (b & 0xff)) {
        same = false;
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      for (int i = 0; i < len && same; i++) {
        write(b[off + i]);
      }
    }

    boolean sameSoFar() {
      return same;
    }
  }
}
