package io.cortex.lock;

/**
 * Counters of this JVM's repository locks since it started (all {@link RepositoryLocks} instances together):
 * the reliability tests and the soak report them.
 *
 * @param acquired outermost acquisitions (each one also took the database row lock when a database is used)
 * @param reentered nested acquisitions by a thread that already held the lock (e.g. a rollback's PRE_ROLLBACK checkpoint)
 * @param waitedInJvm acquisitions that found another thread of this JVM holding the repository and waited
 * @param waitedInDatabase acquisitions that found another process or node holding the row lock and waited
 * @param timedOut waits that gave up with {@link RepositoryBusyException}
 */
public record LockStatistics(long acquired, long reentered, long waitedInJvm, long waitedInDatabase, long timedOut) {

  /** What happened between {@code earlier} and this. */
  public LockStatistics since(LockStatistics earlier) {
    return new LockStatistics(acquired - earlier.acquired, reentered - earlier.reentered,
        waitedInJvm - earlier.waitedInJvm, waitedInDatabase - earlier.waitedInDatabase, timedOut - earlier.timedOut);
  }

  /** Waits of either kind: how often an operation found the repository busy and queued behind another. */
  public long conflictsWaited() {
    return waitedInJvm + waitedInDatabase;
  }
}
