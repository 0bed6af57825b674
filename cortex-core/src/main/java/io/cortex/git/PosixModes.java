package io.cortex.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.eclipse.jgit.lib.FileMode;

/** Permission bits of files as octal numbers (0644), read and set without following symbolic links. */
final class PosixModes {

  private static final PosixFilePermission[] ORDER = {
      PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};

  private PosixModes() {
  }

  /** @throws UnsupportedOperationException on a file system without POSIX permissions */
  static int of(Path file) throws IOException {
    Set<PosixFilePermission> set = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
    int bits = 0;
    for (int i = 0; i < ORDER.length; i++) {
      if (set.contains(ORDER[i])) {
        bits |= 1 << i;
      }
    }
    return bits;
  }

  static void set(Path file, int bits) throws IOException {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    for (int i = 0; i < ORDER.length; i++) {
      if ((bits & (1 << i)) != 0) {
        set.add(ORDER[i]);
      }
    }
    Files.setPosixFilePermissions(file, set);
  }

  /** What git's mode stands for: 0755 for an executable file, 0644 for any other. */
  static int defaultFor(FileMode mode) {
    return FileMode.EXECUTABLE_FILE.equals(mode) ? 0755 : 0644;
  }

  static boolean supported(Path file) {
    return Files.getFileAttributeView(file, java.nio.file.attribute.PosixFileAttributeView.class,
        LinkOption.NOFOLLOW_LINKS) != null;
  }
}
