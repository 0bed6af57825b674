package io.cortex.daemon;

import io.cortex.base.CortexException;
import io.cortex.client.DaemonAddress;
import io.cortex.client.OwnerRecord;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The one process that may open a data directory's database: an OS file lock on {@code <data>/daemon/owner.lock},
 * held while the database is open and released by the operating system when the process ends in any way
 * ({@code kill -9} included). Whoever else wants the directory learns from {@link OwnerRecord} which process has it.
 *
 * <pre>{@code
 * try (DataDirectoryOwnership owner = DataDirectoryOwnership.acquire(dataDir, "daemon", Duration.ofSeconds(30))) {
 *   // open the H2 database in dataDir
 * }
 * }</pre>
 *
 * <p>Within one JVM the ownership is shared and counted (tests, and a server whose CLI calls run on its own
 * engine): the JVM holds one lock per directory until its last holder closes.
 */
public final class DataDirectoryOwnership implements AutoCloseable {

  private static final Map<Path, Held> HELD = new HashMap<>();

  private final Path dataDir;
  private boolean closed;

  private DataDirectoryOwnership(Path dataDir) {
    this.dataDir = dataDir;
  }

  /**
   * Takes the directory, waiting up to {@code wait} for another process to let go of it.
   *
   * @param kind what this process is, for the message others get: {@code daemon}, {@code serve} or {@code cli}
   * @throws DataDirectoryOwnedException when another process still has it after {@code wait}
   */
  public static DataDirectoryOwnership acquire(Path dataDir, String kind, Duration wait) {
    DaemonAddress address = DaemonAddress.of(dataDir);
    Path key = address.dataDir();
    synchronized (HELD) {
      Held held = HELD.get(key);
      if (held != null) {
        held.count++;
        return new DataDirectoryOwnership(key);
      }
    }
    long deadline = System.nanoTime() + wait.toNanos();
    try {
      address.createDirectories();
    } catch (IOException e) {
      throw new CortexException("Cannot create the data directory " + key + ": " + e.getMessage(), e);
    }
    while (true) {
      synchronized (HELD) {
        Held held = HELD.get(key);
        if (held != null) {
          held.count++;
          return new DataDirectoryOwnership(key);
        }
        FileLock lock = tryLock(address);
        if (lock != null) {
          try {
            new OwnerRecord(ProcessHandle.current().pid(), kind, Instant.now(),
                io.cortex.client.BuildId.current()).write(address.ownerFile());
          } catch (IOException e) {
            release(lock);
            throw new CortexException("Cannot write " + address.ownerFile() + ": " + e.getMessage(), e);
          }
          HELD.put(key, new Held(lock, kind));
          return new DataDirectoryOwnership(key);
        }
      }
      if (System.nanoTime() >= deadline) {
        throw new DataDirectoryOwnedException(key, OwnerRecord.read(address.ownerFile()).orElse(null));
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CortexException("Interrupted while waiting for the data directory " + key);
      }
    }
  }

  /** Whether this JVM has the data directory (a server or resident process that CLI calls can use). */
  public static boolean heldHere(Path dataDir) {
    synchronized (HELD) {
      return HELD.containsKey(DaemonAddress.of(dataDir).dataDir());
    }
  }

  /** Which process has the directory now, if any other does. */
  public static java.util.Optional<OwnerRecord> otherOwner(Path dataDir) {
    DaemonAddress address = DaemonAddress.of(dataDir);
    if (heldHere(dataDir) || !Files.exists(address.lockFile())) {
      return java.util.Optional.empty();
    }
    synchronized (HELD) {
      FileLock probe = tryLock(address);
      if (probe != null) {
        release(probe);
        return java.util.Optional.empty();
      }
    }
    return OwnerRecord.read(address.ownerFile());
  }

  public Path dataDir() {
    return dataDir;
  }

  @Override
  public void close() {
    synchronized (HELD) {
      if (closed) {
        return;
      }
      closed = true;
      Held held = HELD.get(dataDir);
      if (held == null || --held.count > 0) {
        return;
      }
      HELD.remove(dataDir);
      try {
        Files.deleteIfExists(DaemonAddress.of(dataDir).ownerFile());
      } catch (IOException ignored) {
        // a stale owner file is harmless: it is believed only while the lock is held
      }
      release(held.lock);
    }
  }

  private static FileLock tryLock(DaemonAddress address) {
    FileChannel channel = null;
    try {
      channel = FileChannel.open(address.lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
      }
      return lock;
    } catch (IOException | OverlappingFileLockException e) {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // nothing held
        }
      }
      return null;
    }
  }

  private static void release(FileLock lock) {
    try {
      lock.release();
      lock.channel().close();
    } catch (IOException ignored) {
      // closing the channel releases the lock in any case
    }
  }

  private static final class Held {
    final FileLock lock;
    final String kind;
    int count = 1;

    Held(FileLock lock, String kind) {
      this.lock = lock;
      this.kind = kind;
    }
  }
}
