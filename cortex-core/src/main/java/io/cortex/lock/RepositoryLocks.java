package io.cortex.lock;

import io.cortex.base.CortexException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Serialises the operations that write a repository — checkpoint, rollback, undo, recovery, retention —
 * across threads, processes and engine nodes.
 *
 * <pre>{@code
 * RepositoryLocks locks = plugin.locks();
 * RollbackResult r = locks.withLock(repo, "rollback", () -> ...);
 * }</pre>
 *
 * <p>Two levels, taken in this order:
 * <ol>
 *   <li>a reentrant lock per repository in this JVM (one per normalised real path, shared by every engine of
 *   the JVM), so threads queue in memory and a thread that holds the lock may take it again — a rollback
 *   takes its PRE_ROLLBACK checkpoint inside its own lock;</li>
 *   <li>for the outermost holder only, the repository's row in {@code CORTEX_REPO_LOCK}, locked with
 *   {@code SELECT … FOR UPDATE} on a connection of its own (see {@link DatabaseLock}), so CLI processes,
 *   a server and further engine nodes on the same database queue too.</li>
 * </ol>
 * A wait longer than the timeout (30 s by default) ends in {@link RepositoryBusyException} naming the holder.
 * Without a database ({@link #useDatabase} not called) only the first level applies.
 */
public final class RepositoryLocks {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /** Per repository, for the whole JVM: every engine (and test) in this JVM shares these. */
  private static final ConcurrentMap<String, Slot> SLOTS = new ConcurrentHashMap<>();
  private static final AtomicLong ACQUIRED = new AtomicLong();
  private static final AtomicLong REENTERED = new AtomicLong();
  private static final AtomicLong WAITED_IN_JVM = new AtomicLong();
  private static final AtomicLong WAITED_IN_DATABASE = new AtomicLong();
  private static final AtomicLong TIMED_OUT = new AtomicLong();
  private static final String PROCESS = ProcessHandle.current().pid() + "@" + hostName();

  private final Duration timeout;
  private volatile DataSource dataSource;
  private volatile AcquireHook afterAcquire;

  /** Locks in this JVM only, until {@link #useDatabase} adds the database; {@link #DEFAULT_TIMEOUT}. */
  public RepositoryLocks() {
    this(DEFAULT_TIMEOUT);
  }

  public RepositoryLocks(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("lock timeout must be positive: " + timeout);
    }
    this.timeout = timeout;
  }

  /**
   * From now on the outermost holder also locks the repository's row in this database (the engine's; the
   * table {@code CORTEX_REPO_LOCK} must exist). Give a plain DataSource, not one that hands out the connection
   * of the current transaction: the lock commits its own connection.
   */
  public RepositoryLocks useDatabase(DataSource dataSource) {
    this.dataSource = dataSource;
    return this;
  }

  /** Work done each time a repository's lock is taken, before the holder's own work. */
  @FunctionalInterface
  public interface AcquireHook {
    /**
     * @param lockConnection the connection whose transaction holds the repository's row (null without a
     *     database): reads on it cost no further connection; do not commit it
     */
    void acquired(Path repository, java.sql.Connection lockConnection);
  }

  /**
   * Runs {@code hook} each time a thread takes a repository's lock (outermost holder only), before its work:
   * the engine finishes there what a holder that died left half-done ({@link io.cortex.intent.InterruptedOperations}).
   * The hook runs with the lock held; if it throws, the lock is released and the acquisition fails with it.
   */
  public RepositoryLocks afterAcquire(AcquireHook hook) {
    this.afterAcquire = hook;
    return this;
  }

  /** The same locks (database and hook) with another wait timeout. */
  public RepositoryLocks withTimeout(Duration timeout) {
    RepositoryLocks copy = new RepositoryLocks(timeout);
    copy.dataSource = dataSource;
    copy.afterAcquire = afterAcquire;
    return copy;
  }

  public Duration timeout() {
    return timeout;
  }

  /** Runs {@code work} while holding the repository's lock; {@code operation} (e.g. "rollback") names it for waiters. */
  public <T> T withLock(Path repository, String operation, Supplier<T> work) {
    Lease lease = acquire(repository, operation);
    try {
      return work.get();
    } finally {
      lease.release();
    }
  }

  /**
   * Like {@link #withLock}, but when {@code transaction} is open the lock is kept until it commits or rolls
   * back: for work whose rows commit with the caller's transaction (a checkpoint's catalogue row), so the
   * next holder sees them.
   */
  public <T> T withLockUntilTransactionEnds(Path repository, String operation, TransactionScope transaction,
                                            Supplier<T> work) {
    Lease lease = acquire(repository, operation);
    boolean deferred;
    try {
      deferred = transaction.releaseAtEnd(lease::release);
    } catch (RuntimeException e) {
      lease.release();
      throw e;
    }
    if (deferred) {
      return work.get();
    }
    try {
      return work.get();
    } finally {
      lease.release();
    }
  }

  /** Takes the lock; the caller must {@link Lease#release() release} it on the same thread. */
  public Lease acquire(Path repository, String operation) {
    String key = key(repository);
    Slot slot = SLOTS.computeIfAbsent(key, k -> new Slot());
    if (slot.lock.isLocked() && !slot.lock.isHeldByCurrentThread()) {
      WAITED_IN_JVM.incrementAndGet();
    }
    long start = System.nanoTime();
    boolean locked;
    try {
      // the timed tryLock honours the queue (a fair lock): waiting operations run in arrival order
      locked = slot.lock.tryLock(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CortexException("Interrupted while waiting for the lock of repository " + key, e);
    }
    if (!locked) {
      TIMED_OUT.incrementAndGet();
      Holder holder = slot.holder;
      throw new RepositoryBusyException(key, holder == null ? "held by another thread of this process"
          : "held by " + holder.describe(), Duration.ofNanos(System.nanoTime() - start).toMillis());
    }
    if (slot.lock.getHoldCount() > 1) {
      REENTERED.incrementAndGet();
      return new Lease(slot);
    }
    try {
      String owner = PROCESS + " " + Thread.currentThread().getName();
      slot.holder = new Holder(owner, operation, Instant.now()); // threads queued behind us see who is first
      DataSource db = dataSource;
      slot.database = db == null ? null : DatabaseLock.acquire(db, key, owner, operation, timeout,
          WAITED_IN_DATABASE::incrementAndGet);
    } catch (RuntimeException e) {
      if (e instanceof RepositoryBusyException) {
        TIMED_OUT.incrementAndGet();
      }
      slot.database = null;
      slot.holder = null;
      slot.lock.unlock();
      throw e;
    }
    ACQUIRED.incrementAndGet();
    Lease lease = new Lease(slot);
    AcquireHook hook = afterAcquire;
    if (hook != null) {
      try {
        hook.acquired(repository, slot.database == null ? null : slot.database.connection());
      } catch (RuntimeException | Error e) {
        lease.release();
        throw e;
      }
    }
    return lease;
  }

  /** This process as lock holders and intent records name it: {@code pid@host}. */
  public static String processName() {
    return PROCESS;
  }

  /** Whether the current thread holds the repository's lock. */
  public static boolean isHeldByCurrentThread(Path repository) {
    Slot slot = SLOTS.get(key(repository));
    return slot != null && slot.lock.isHeldByCurrentThread();
  }

  /** Counters of every repository lock of this JVM since it started. */
  public static LockStatistics statistics() {
    return new LockStatistics(ACQUIRED.get(), REENTERED.get(), WAITED_IN_JVM.get(), WAITED_IN_DATABASE.get(),
        TIMED_OUT.get());
  }

  /** The name a repository is locked by: its absolute, normalised real path (symbolic links resolved). */
  public static String key(Path repository) {
    Path path = repository.toAbsolutePath().normalize();
    try {
      if (Files.exists(path)) {
        path = path.toRealPath();
      }
    } catch (IOException e) {
      // the normalised path is good enough for a repository that cannot be resolved
    }
    return path.toString();
  }

  private static String hostName() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  /** One taken lock; released once, on the thread that took it. */
  public static final class Lease implements AutoCloseable {

    private final Slot slot;
    private boolean released;

    private Lease(Slot slot) {
      this.slot = slot;
    }

    public void release() {
      if (released) {
        return;
      }
      if (!slot.lock.isHeldByCurrentThread()) {
        throw new IllegalStateException("A repository lock is released by a thread that does not hold it");
      }
      released = true;
      try {
        if (slot.lock.getHoldCount() == 1) {
          DatabaseLock database = slot.database;
          slot.database = null;
          slot.holder = null;
          if (database != null) {
            database.release();
          }
        }
      } finally {
        slot.lock.unlock();
      }
    }

    @Override
    public void close() {
      release();
    }
  }

  private static final class Slot {
    final ReentrantLock lock = new ReentrantLock(true);
    volatile Holder holder;
    DatabaseLock database;
  }

  private record Holder(String owner, String operation, Instant since) {
    String describe() {
      return owner + " (" + operation + ", since " + since + ", "
          + Duration.between(since, Instant.now()).toSeconds() + " s ago)";
    }
  }
}
