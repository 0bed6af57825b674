package io.cortex.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.cortex.db.CortexSchema;
import io.cortex.lock.RepositoryBusyException;
import io.cortex.lock.RepositoryLocks;
import io.cortex.lock.TransactionScope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock itself: reentrancy, waiting, the busy message, the key, release at transaction end, the row. */
class RepositoryLocksTest {

  @TempDir
  Path temp;

  @Test
  void theHolderMayTakeItAgainAndOthersSeeItHeldUntilTheOutermostRelease() throws Exception {
    RepositoryLocks locks = new RepositoryLocks();
    Path repo = Files.createDirectories(temp.resolve("r"));

    boolean heldInside = locks.withLock(repo, "outer", () -> locks.withLock(repo, "inner",
        () -> RepositoryLocks.isHeldByCurrentThread(repo)));
    boolean heldAfter = RepositoryLocks.isHeldByCurrentThread(repo);

    assertThat(heldInside).isTrue();
    assertThat(heldAfter).isFalse();
  }

  @Test
  void aWaiterGivesUpAfterTheTimeoutNamingTheRepositoryTheHolderAndItsOperation() throws Exception {
    Path repo = Files.createDirectories(temp.resolve("busy"));
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(1);
    Thread holder = new Thread(() -> new RepositoryLocks().withLock(repo, "rollback", () -> {
      held.countDown();
      try {
        done.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    }), "holder-thread");
    holder.start();
    held.await(10, TimeUnit.SECONDS);

    long start = System.nanoTime();
    Throwable busy = catchThrowable(() -> new RepositoryLocks(Duration.ofMillis(300)).withLock(repo, "checkpoint",
        () -> null));
    long waitedMs = (System.nanoTime() - start) / 1_000_000;
    done.countDown();
    holder.join();

    assertThat(busy).isInstanceOf(RepositoryBusyException.class)
        .hasMessageContaining("Repository " + RepositoryLocks.key(repo) + " is busy")
        .hasMessageContaining(ProcessHandle.current().pid() + "@")
        .hasMessageContaining("holder-thread")
        .hasMessageContaining("rollback");
    assertThat(waitedMs).isBetween(250L, 10_000L);
    assertThat(new RepositoryLocks().withLock(repo, "after", () -> "free")).isEqualTo("free");
  }

  @Test
  void aSymbolicLinkToARepositoryIsTheSameLock() throws Exception {
    Path repo = Files.createDirectories(temp.resolve("real"));
    Path link = Files.createSymbolicLink(temp.resolve("link"), repo);

    assertThat(RepositoryLocks.key(link)).isEqualTo(RepositoryLocks.key(repo.resolve("x/..")));
    assertThat(new RepositoryLocks().withLock(repo, "a", () -> RepositoryLocks.isHeldByCurrentThread(link))).isTrue();
  }

  @Test
  void insideATransactionTheLockIsKeptUntilTheTransactionEnds() throws Exception {
    RepositoryLocks locks = new RepositoryLocks();
    Path repo = Files.createDirectories(temp.resolve("tx"));
    List<Runnable> atEnd = new CopyOnWriteArrayList<>();
    TransactionScope transaction = release -> atEnd.add(release);

    String result = locks.withLockUntilTransactionEnds(repo, "checkpoint", transaction, () -> "row written");
    boolean heldBeforeCommit = RepositoryLocks.isHeldByCurrentThread(repo);
    boolean otherThreadGotIt = CompletableFuture.supplyAsync(() -> {
      try {
        new RepositoryLocks(Duration.ofMillis(100)).withLock(repo, "other", () -> null);
        return true;
      } catch (RepositoryBusyException e) {
        return false;
      }
    }).get(10, TimeUnit.SECONDS);
    atEnd.forEach(Runnable::run); // the transaction commits
    atEnd.forEach(Runnable::run); // a second notification changes nothing

    assertThat(result).isEqualTo("row written");
    assertThat(heldBeforeCommit).isTrue();
    assertThat(otherThreadGotIt).isFalse();
    assertThat(RepositoryLocks.isHeldByCurrentThread(repo)).isFalse();
  }

  @Test
  void theDatabaseRowNamesTheHolderWhileHeldAndTheConnectionKeepsItsLockTimeout() throws Exception {
    JdbcDataSource dataSource = new JdbcDataSource();
    dataSource.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    CortexSchema.migrate(dataSource);
    Path repo = Files.createDirectories(temp.resolve("db"));
    RepositoryLocks locks = new RepositoryLocks().useDatabase(dataSource);

    String whileHeld = locks.withLock(repo, "retention", () -> readHolder(dataSource, Connection.TRANSACTION_READ_UNCOMMITTED));
    String committed = readHolder(dataSource, Connection.TRANSACTION_READ_COMMITTED);

    assertThat(whileHeld).startsWith(ProcessHandle.current().pid() + "@").contains(Thread.currentThread().getName())
        .endsWith("|retention");
    assertThat(committed).isEqualTo(whileHeld);
  }

  private static String readHolder(JdbcDataSource dataSource, int isolation) {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      c.setTransactionIsolation(isolation);
      try (ResultSet rs = s.executeQuery("SELECT OWNER_, OPERATION_ FROM CORTEX_REPO_LOCK")) {
        return rs.next() ? rs.getString(1) + "|" + rs.getString(2) : null;
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
