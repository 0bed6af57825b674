package io.cortex.daemon;

import io.cortex.Cortex;
import io.cortex.base.CortexException;
import io.cortex.config.CortexConfig;
import io.cortex.db.DatabaseWentBackException;
import io.cortex.db.HighWaterMark;
import io.cortex.db.LastGoodCopy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine the commands of one data directory run on, kept open between them: the resident process's (started
 * on the first call's configuration and restarted in place when a call brings another), or the running server's.
 * Each command takes a {@link Lease}; commands run side by side, a configuration change waits for them.
 *
 * <p>It guards the embedded database: the {@link HighWaterMark} is checked when the engine opens (a database that
 * went back refuses writes) and advanced after each command that may have written, and a {@link LastGoodCopy} is
 * taken now and then while commands write and when the engine closes.
 */
public final class ResidentEngine implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ResidentEngine.class);

  private final Path dataDir;
  private final boolean ownsEngine;
  private final boolean keepsCopies;
  private final ReentrantReadWriteLock switching = new ReentrantReadWriteLock(true);
  private final HighWaterMark mark;
  private final LastGoodCopy copy;
  private volatile Cortex cortex;
  private volatile CortexConfig config;
  private volatile Optional<String> wentBack = Optional.empty();
  private volatile boolean written;
  private volatile Instant lastCopy = Instant.now();

  private ResidentEngine(Path dataDir, boolean ownsEngine, boolean keepsCopies) {
    this.dataDir = dataDir.toAbsolutePath().normalize();
    this.ownsEngine = ownsEngine;
    this.keepsCopies = keepsCopies;
    this.mark = HighWaterMark.in(this.dataDir);
    this.copy = LastGoodCopy.in(this.dataDir);
  }

  /** Starts its own engine on {@code config}; {@code keepsCopies}: a resident process, not a single call. */
  public static ResidentEngine start(Path dataDir, CortexConfig config, boolean keepsCopies) {
    ResidentEngine engine = new ResidentEngine(dataDir, true, keepsCopies);
    engine.open(config);
    return engine;
  }

  /** On an engine someone else runs and closes (the server's). */
  public static ResidentEngine on(Cortex cortex, Path dataDir) {
    ResidentEngine engine = new ResidentEngine(dataDir, false, true);
    engine.cortex = cortex;
    engine.config = cortex.config();
    engine.checkMark();
    return engine;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The configuration the engine runs on now. */
  public CortexConfig config() {
    return config;
  }

  /** What is wrong with the database when it went back, else empty. */
  public Optional<String> wentBack() {
    return wentBack;
  }

  /**
   * The engine for one command on {@code config}.
   *
   * @param writes whether the command may write: refused when the database went back
   */
  public Lease lease(CortexConfig config, boolean writes) {
    ReentrantReadWriteLock.ReadLock read = switching.readLock();
    read.lock();
    if (!config.equals(this.config)) {
      read.unlock();
      reopen(config);
      read.lock();
    }
    if (writes && wentBack.isPresent()) {
      read.unlock();
      throw new DatabaseWentBackException(wentBack.get(), dataDir);
    }
    return new Lease(cortex, writes, read);
  }

  /** A copy of the database if one is due (commands wrote since the last, {@link LastGoodCopy#INTERVAL} ago). */
  public void copyIfDue() {
    if (keepsCopies && written && wentBack.isEmpty() && Instant.now().isAfter(lastCopy.plus(LastGoodCopy.INTERVAL))) {
      takeCopy();
    }
  }

  /** Closes the engine when it is its own, after a last good copy when commands wrote. */
  @Override
  public void close() {
    switching.writeLock().lock();
    try {
      if (cortex == null) {
        return;
      }
      if (keepsCopies && written && wentBack.isEmpty()) {
        takeCopy();
      }
      if (ownsEngine) {
        cortex.close();
      }
      cortex = null;
    } finally {
      switching.writeLock().unlock();
    }
  }

  private void takeCopy() {
    if (embedded() && copy.take(cortex.transactions())) {
      written = false;
      lastCopy = Instant.now();
    }
  }

  private void reopen(CortexConfig config) {
    switching.writeLock().lock();
    try {
      if (config.equals(this.config)) {
        return;
      }
      if (!ownsEngine) {
        throw new CortexException("This call's configuration differs from the one the server running on " + dataDir
            + " uses (pid " + ProcessHandle.current().pid() + "): run it with the server's --config, or stop the"
            + " server (Ctrl-C) to use another configuration.");
      }
      LOG.info("CORTEX-DAEMON-005 The configuration changed: restarting the engine of {}", dataDir);
      Cortex old = cortex;
      cortex = null;
      if (old != null) {
        old.close();
      }
      open(config);
    } finally {
      switching.writeLock().unlock();
    }
  }

  private void open(CortexConfig config) {
    this.cortex = Cortex.start(config, dataDir);
    this.config = config;
    checkMark();
  }

  private void checkMark() {
    if (!embedded()) {
      return;
    }
    wentBack = mark.check(cortex.transactions());
    wentBack.ifPresent(problem -> LOG.error("CORTEX-DAEMON-006 {} Writes are refused until it is recovered;"
        + " see docs/reliability.md, \"When the database went back\".", problem));
  }

  private boolean embedded() {
    return config.database().embedded();
  }

  /** One command's use of the engine; closing it records the high-water mark after a writing command. */
  public final class Lease implements AutoCloseable {
    private final Cortex leased;
    private final boolean writes;
    private final ReentrantReadWriteLock.ReadLock read;
    private boolean closed;

    private Lease(Cortex leased, boolean writes, ReentrantReadWriteLock.ReadLock read) {
      this.leased = leased;
      this.writes = writes;
      this.read = read;
    }

    public Cortex cortex() {
      return leased;
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      try {
        if (writes && embedded() && wentBack.isEmpty()) {
          mark.advance(leased.transactions());
          written = true;
        }
      } finally {
        read.unlock();
      }
    }
  }
}
