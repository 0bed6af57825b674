package io.cortex.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A deterministic test repository: {@code files} text files (200 B - 4 KB, ~2 KB on average) in
 * directories of 25 files, two levels deep, generated from a seeded {@link Random}, committed
 * at a fixed date into one pack (like a fresh clone; automatic gc off). Every file's mtime is a
 * fixed past instant, so the index is never "racily clean" and both git and JGit trust its stat data.
 */
final class BenchRepo {

  static final FileTime BASE_TIME = FileTime.from(Instant.parse("2024-01-01T00:00:00Z"));
  static final int FILES_PER_DIR = 25;
  static final int DIRS_PER_MODULE = 40;

  final Path dir;
  final int files;
  final long seed;
  /** Untracked paths created by {@link #addUntracked} since the last {@link #clean}. */
  private final Set<String> untracked = new LinkedHashSet<>();
  /** Tracked files currently differing from the commit. */
  private final Set<Integer> dirty = new LinkedHashSet<>();

  private BenchRepo(Path dir, int files, long seed) {
    this.dir = dir;
    this.files = files;
    this.seed = seed;
  }

  static String path(int i) {
    int d = i / FILES_PER_DIR;
    return String.format("src/m%02d/d%02d/f%05d.txt", d / DIRS_PER_MODULE, d % DIRS_PER_MODULE, i);
  }

  /** Deterministic content of file {@code i} in {@code version} (0 = committed). */
  byte[] content(int i, int version) {
    Random r = new Random(seed * 1_000_003L + i * 7919L + version * 104_729L);
    int length = 200 + r.nextInt(3800);
    byte[] b = new byte[length];
    for (int k = 0; k < length; k++) {
      int x = r.nextInt(32);
      b[k] = (byte) (x < 26 ? 'a' + x : (x < 30 ? ' ' : '\n'));
    }
    b[0] = (byte) ('A' + version % 26); // versions always differ in content
    return b;
  }

  static BenchRepo generate(Path dir, int files, long seed) throws IOException {
    BenchRepo repo = new BenchRepo(dir, files, seed);
    deleteTree(dir);
    Files.createDirectories(dir);
    // The same bytes go to disk and, as one fast-import stream, straight into a pack: much faster
    // than "git add" writing a loose object per file and repacking them.
    java.io.ByteArrayOutputStream stream = new java.io.ByteArrayOutputStream(files * 2200 + 1024);
    String header = "commit refs/heads/main\nauthor Bench <bench@localhost> 1704067200 +0000\n"
        + "committer Bench <bench@localhost> 1704067200 +0000\n";
    String message = "initial " + files + " files\n";
    stream.writeBytes((header + "data " + message.length() + "\n" + message).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    String ignoreText = "node_modules/\nbuild/\n*.log\n";
    addToStream(stream, ".gitignore", ignoreText.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Path ignore = dir.resolve(".gitignore");
    Files.writeString(ignore, ignoreText);
    Files.setLastModifiedTime(ignore, BASE_TIME);
    for (int i = 0; i < files; i++) {
      Path file = dir.resolve(path(i));
      if (i % FILES_PER_DIR == 0) {
        Files.createDirectories(file.getParent());
      }
      byte[] content = repo.content(i, 0);
      Files.write(file, content);
      Files.setLastModifiedTime(file, BASE_TIME);
      addToStream(stream, path(i), content);
    }
    NativeGit.git(dir, "init", "-q", "-b", "main");
    // No automatic gc: a background "git gc --auto" would repack while we measure.
    NativeGit.git(dir, "config", "gc.auto", "0");
    // Like a fresh clone: the whole history in one pack, no loose objects.
    NativeGit.git(dir, java.util.Map.of(), stream.toByteArray(), "fast-import", "--quiet");
    // The index from HEAD, then its stat data from the disk (every file is hashed once, nothing is written).
    NativeGit.git(dir, "reset", "-q");
    NativeGit.git(dir, "update-index", "-q", "--refresh");
    return repo;
  }

  private static void addToStream(java.io.ByteArrayOutputStream stream, String path, byte[] content) {
    stream.writeBytes(("M 100644 inline " + path + "\ndata " + content.length + "\n").getBytes(
        java.nio.charset.StandardCharsets.UTF_8));
    stream.writeBytes(content);
    stream.write('\n');
  }

  /** {@code count} distinct file indices chosen by a seeded random (the same each call). */
  List<Integer> pick(int count, long salt) {
    Random r = new Random(seed ^ salt);
    Set<Integer> chosen = new LinkedHashSet<>();
    while (chosen.size() < Math.min(count, files)) {
      chosen.add(r.nextInt(files));
    }
    return new ArrayList<>(chosen);
  }

  /** Rewrites tracked files with content {@code version} (> 0); mtime is "now". */
  void modify(List<Integer> indices, int version) throws IOException {
    for (int i : indices) {
      Files.write(dir.resolve(path(i)), content(i, version));
      dirty.add(i);
    }
  }

  /** {@code count} untracked files spread over the existing directories, content {@code version}. */
  void addUntracked(int count, int version) throws IOException {
    for (int j = 0; j < count; j++) {
      int near = (int) ((long) j * files / count);
      String path = path(near).replaceAll("f\\d+\\.txt$", "untracked-" + j + ".txt");
      Path file = dir.resolve(path);
      Files.write(file, content(files + j, version + 1));
      untracked.add(path);
    }
  }

  /**
   * Back to the committed state: dirty files rewritten with their committed content and mtime,
   * untracked files removed, then {@code git update-index --refresh} so that the index's stat
   * data (ctime, inode) matches the disk again and neither git nor JGit has to re-hash anything.
   */
  void clean() throws IOException {
    for (int i : dirty) {
      Path file = dir.resolve(path(i));
      Files.write(file, content(i, 0));
      Files.setLastModifiedTime(file, BASE_TIME);
    }
    dirty.clear();
    for (String path : untracked) {
      Files.deleteIfExists(dir.resolve(path));
    }
    untracked.clear();
    NativeGit.git(dir, "update-index", "-q", "--refresh");
  }

  /** Forgets the dirty bookkeeping after something else (a restore) made the tree equal to the commit. */
  void markClean() {
    dirty.clear();
    untracked.clear();
  }

  /** Variant: an ignored node_modules folder of {@code count} small files (1000 packages). */
  void addIgnoredDependencies(int count) throws IOException {
    int perPackage = Math.max(1, count / 1000);
    Random r = new Random(seed + 17);
    byte[] buf = new byte[160];
    for (int i = 0; i < count; i++) {
      Path file = dir.resolve(String.format("node_modules/pkg%04d/lib/file%03d.js", i / perPackage, i % perPackage));
      if (i % perPackage == 0) {
        Files.createDirectories(file.getParent());
      }
      r.nextBytes(buf);
      for (int k = 0; k < buf.length; k++) {
        buf[k] = (byte) ('a' + (buf[k] & 15));
      }
      Files.write(file, buf);
    }
  }

  /** Variant: one untracked binary of {@code bytes} random bytes at assets/big.bin. */
  void addBigBinary(long bytes) throws IOException {
    Path file = dir.resolve("assets/big.bin");
    Files.createDirectories(file.getParent());
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed + 23);
    byte[] chunk = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long written = 0; written < bytes; written += chunk.length) {
        for (int k = 0; k < chunk.length; k += 8) {
          long v = r.nextLong();
          for (int s = 0; s < 8; s++) {
            chunk[k + s] = (byte) (v >>> (8 * s));
          }
        }
        out.write(chunk, 0, (int) Math.min(chunk.length, bytes - written));
      }
    }
  }

  /** Variant: a nested repository (its own .git, {@code count} committed files) at vendor/nested-lib, untracked. */
  void addNestedRepository(int count) throws IOException {
    Path nested = dir.resolve("vendor/nested-lib");
    Files.createDirectories(nested);
    for (int i = 0; i < count; i++) {
      Path file = nested.resolve(String.format("lib/f%04d.c", i));
      Files.createDirectories(file.getParent());
      Files.write(file, content(files + 10_000 + i, 0));
    }
    NativeGit.git(nested, "init", "-q", "-b", "main");
    NativeGit.git(nested, "config", "gc.auto", "0");
    NativeGit.git(nested, "add", "-A");
    NativeGit.git(nested, "commit", "-q", "-m", "nested");
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }

  /** Bytes under {@code dir} (files only), like {@code du -sb}. */
  static long sizeOf(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          return 0;
        }
      }).sum();
    }
  }
}
