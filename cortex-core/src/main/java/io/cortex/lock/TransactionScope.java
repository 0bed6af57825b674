package io.cortex.lock;

/**
 * The caller's database transaction, as far as a lock cares: a lock taken for work whose rows commit with
 * that transaction must be held until it ends, or the next holder would not see those rows yet.
 */
@FunctionalInterface
public interface TransactionScope {

  /** No transaction to wait for: locks are released as soon as the work returns. */
  TransactionScope NONE = release -> false;

  /**
   * Arranges for {@code release} to run once, on this thread, when the current transaction has committed
   * or rolled back.
   *
   * @return false when there is no current transaction (the caller then releases itself)
   */
  boolean releaseAtEnd(Runnable release);
}
