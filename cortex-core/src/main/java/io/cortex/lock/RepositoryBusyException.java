package io.cortex.lock;

import io.cortex.base.CortexException;

/**
 * Another operation held a repository's lock for longer than the lock timeout. The message names the
 * repository and, as far as it is known, who holds it and for what.
 */
public class RepositoryBusyException extends CortexException {

  private final String repository;
  private final String holder;

  public RepositoryBusyException(String repository, String holder, long waitedMs) {
    super("Repository " + repository + " is busy: " + holder + ". Waited " + waitedMs + " ms for it and gave up;"
        + " retry once that operation has finished (Cortex runs one checkpoint, rollback, undo, recovery or"
        + " retention per repository at a time, across threads, processes and engine nodes).");
    this.repository = repository;
    this.holder = holder;
  }

  /** The repository, as the lock knows it (absolute, normalised). */
  public String repository() {
    return repository;
  }

  /** Who holds the lock: owner and operation, when known. */
  public String holder() {
    return holder;
  }
}
