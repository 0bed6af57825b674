package io.cortex.lock;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fencing for "finish an interrupted operation": whether the process that began an operation ({@code pid@host
 * thread}, as {@link RepositoryLocks#processName()} and intent records name it) has provably ended. Only then may
 * another holder of the repository's lock act on what it left — a lock that vanished under a live operation (a
 * database connection lost, a shared file's server gone) must never let a second one delete the first one's
 * files or take a checkpoint of its half-written work.
 *
 * <pre>{@code
 * if (!liveness.ended(intent.owner(), intent.createdAt())) {
 *   throw new RepositoryBusyException(repository, intent.owner() + " still runs it", 0);
 * }
 * }</pre>
 *
 * <p>An owner has ended when:
 * <ul>
 *   <li>it is this process: the caller holds the repository's lock in this JVM, which the operation's thread held
 *   until it finished — so that thread is past it (it failed without recording the end);</li>
 *   <li>it ran on this host, and no process with its pid runs — or one does that started after the operation began
 *   (the pid was reused);</li>
 *   <li>it ran on another host (engine nodes on PostgreSQL), and its lease — a heartbeat every
 *   {@link #HEARTBEAT} in {@code CORTEX_REPO_LOCK}, row {@code lease:<pid@host>} — is older than {@link #EXPIRY},
 *   or there is none.</li>
 * </ul>
 */
public final class OwnerLiveness {

  public static final Duration HEARTBEAT = Duration.ofSeconds(5);
  public static final Duration EXPIRY = Duration.ofSeconds(45);
  static final String LEASE_PREFIX = "lease:";

  private static final Logger LOG = LoggerFactory.getLogger(OwnerLiveness.class);
  private static final Map<DataSource, ScheduledExecutorService> HEARTBEATS = new ConcurrentHashMap<>();

  private final Clock clock;
  private final String self;
  private final String host;

  public OwnerLiveness(Clock clock) {
    this(clock, RepositoryLocks.processName());
  }

  OwnerLiveness(Clock clock, String self) {
    this.clock = clock;
    this.self = self;
    this.host = host(self);
  }

  /**
   * Whether the owner of an operation begun at {@code since} has ended; {@code connection} (may be null) reads the
   * leases of other hosts.
   */
  public boolean ended(String owner, Instant since, Connection connection) {
    String process = process(owner);
    if (process.equals(self)) {
      return true;
    }
    if (host(process).equals(host)) {
      Optional<Long> pid = pid(process);
      if (pid.isEmpty()) {
        return true;
      }
      return ProcessHandle.of(pid.get()).filter(ProcessHandle::isAlive)
          .map(p -> p.info().startInstant().map(start -> start.isAfter(since)).orElse(false))
          .orElse(true);
    }
    return lease(process, connection).map(beat -> beat.plus(EXPIRY).isBefore(clock.instant())).orElse(true);
  }

  /**
   * Keeps this process's lease fresh in {@code dataSource}'s {@code CORTEX_REPO_LOCK} (once per data source), for
   * nodes on other hosts to tell that it lives. An embedded database has no other host: no heartbeat.
   */
  public static void heartbeat(DataSource dataSource) {
    HEARTBEATS.computeIfAbsent(dataSource, ds -> {
      ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cortex-lease");
        t.setDaemon(true);
        return t;
      });
      timer.scheduleWithFixedDelay(() -> beat(ds), 0, HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
      return timer;
    });
  }

  private static void beat(DataSource dataSource) {
    String key = LEASE_PREFIX + RepositoryLocks.processName();
    long now = System.currentTimeMillis();
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      try (PreparedStatement update = c.prepareStatement(
          "UPDATE " + DatabaseLock.TABLE + " SET ACQUIRED_AT_ = ? WHERE REPO_PATH_ = ?")) {
        update.setLong(1, now);
        update.setString(2, key);
        if (update.executeUpdate() == 1) {
          return;
        }
      }
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + DatabaseLock.TABLE
          + " (REPO_PATH_, OWNER_, OPERATION_, ACQUIRED_AT_) VALUES (?, ?, 'lease', ?)")) {
        insert.setString(1, key);
        insert.setString(2, RepositoryLocks.processName());
        insert.setLong(3, now);
        insert.executeUpdate();
      }
    } catch (SQLException | RuntimeException e) {
      LOG.debug("The lease of {} was not renewed: {}", key, e.getMessage());
    }
  }

  private static Optional<Instant> lease(String process, Connection connection) {
    if (connection == null) {
      return Optional.empty();
    }
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT ACQUIRED_AT_ FROM " + DatabaseLock.TABLE + " WHERE REPO_PATH_ = ?")) {
      select.setString(1, LEASE_PREFIX + process);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.of(Instant.ofEpochMilli(rs.getLong(1))) : Optional.empty();
      }
    } catch (SQLException e) {
      LOG.warn("CORTEX-LOCK-002 The lease of {} could not be read ({}); it counts as alive", process, e.getMessage());
      return Optional.of(Instant.now());
    }
  }

  /** {@code 1234@host thread-name} → {@code 1234@host} */
  static String process(String owner) {
    if (owner == null) {
      return "";
    }
    int space = owner.indexOf(' ');
    return space < 0 ? owner : owner.substring(0, space);
  }

  private static String host(String process) {
    int at = process.indexOf('@');
    return at < 0 ? "" : process.substring(at + 1);
  }

  private static Optional<Long> pid(String process) {
    int at = process.indexOf('@');
    try {
      return Optional.of(Long.parseLong(at < 0 ? process : process.substring(0, at)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
