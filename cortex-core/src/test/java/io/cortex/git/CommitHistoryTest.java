package io.cortex.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortex.git.CommitHistory.CommitInfo;
import io.cortex.testing.TempRepo;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommitHistoryTest {

  @TempDir
  Path temp;

  private static TempRepo repoWithCommits(Path parent, int count) {
    TempRepo repo = TempRepo.init(parent);
    for (int i = 1; i <= count; i++) {
      repo.write("file.txt", "version " + i + "\n").commitAll("commit " + i);
    }
    return repo;
  }

  @Test
  void logListsCommitsNewestFirstExactlyAsGitLog() {
    // given
    TempRepo repo = repoWithCommits(temp, 19);
    repo.write("file.txt", "last\n");
    repo.git("add", "-A");
    repo.git("commit", "-q", "-m", "subject line", "-m", "body paragraph");

    // when
    List<CommitInfo> log;
    try (GitWorkspace git = GitWorkspace.open(repo.dir())) {
      log = new CommitHistory().log(git, 50);
    }

    // then
    List<String> expected = repo.git("log", "--format=%H|%h|%an|%ae|%at|%s|%P").lines().toList();
    assertThat(log).hasSize(20);
    assertThat(log).extracting(CommitHistoryTest::asLogLine).containsExactlyElementsOf(expected);
    assertThat(log.get(0).subject()).isEqualTo("subject line");
    assertThat(log.get(19).parents()).isEmpty();
    assertThat(log.get(0).parents()).containsExactly(log.get(1).sha());
  }

  @Test
  void maxCountLimitsTheLogToTheNewestCommits() {
    // given
    TempRepo repo = repoWithCommits(temp, 20);

    // when
    List<CommitInfo> log;
    try (GitWorkspace git = GitWorkspace.open(repo.dir())) {
      log = new CommitHistory().log(git, 5);
    }

    // then
    assertThat(log).extracting(CommitInfo::sha)
        .containsExactlyElementsOf(repo.git("log", "-n", "5", "--format=%H").lines().toList());
  }

  @Test
  void secondCallWithUnchangedHeadIsServedFromTheCache() {
    // given
    TempRepo repo = repoWithCommits(temp, 3);
    CommitHistory history = new CommitHistory();

    try (GitWorkspace git = GitWorkspace.open(repo.dir())) {
      // when
      List<CommitInfo> first = history.log(git, 10);
      List<CommitInfo> second = history.log(git, 10);

      // then
      assertThat(second).isSameAs(first);
      assertThat(history.misses()).isEqualTo(1);
      assertThat(history.hits()).isEqualTo(1);
    }
  }

  @Test
  void newCommitMovesHeadAndGivesFreshResults() {
    // given
    TempRepo repo = repoWithCommits(temp, 3);
    CommitHistory history = new CommitHistory();
    try (GitWorkspace git = GitWorkspace.open(repo.dir())) {
      List<CommitInfo> before = history.log(git, 10);

      // when
      repo.write("file.txt", "newer\n").commitAll("commit 4");
      List<CommitInfo> after = history.log(git, 10);

      // then
      assertThat(after).hasSize(4);
      assertThat(after.get(0).sha()).isEqualTo(repo.git("rev-parse", "HEAD").trim());
      assertThat(after.get(0).subject()).isEqualTo("commit 4");
      assertThat(after.subList(1, 4)).isEqualTo(before);
      assertThat(history.misses()).isEqualTo(2);
      assertThat(history.hits()).isZero();
    }
  }

  @Test
  void clearForgetsCachedResults() {
    // given
    TempRepo repo = repoWithCommits(temp, 2);
    CommitHistory history = new CommitHistory();
    try (GitWorkspace git = GitWorkspace.open(repo.dir())) {
      history.log(git, 10);

      // when
      history.clear();
      history.log(git, 10);

      // then
      assertThat(history.misses()).isEqualTo(2);
      assertThat(history.hits()).isZero();
    }
  }

  @Test
  void cacheIsBoundedAndEvictsTheLeastRecentlyUsedEntry() {
    // given: one entry per maxCount, one more than the capacity
    TempRepo repo = repoWithCommits(temp, 2);
    CommitHistory history = new CommitHistory();
    try (GitWorkspace git = GitWorkspace.open(repo.dir())) {
      for (int maxCount = 1; maxCount <= CommitHistory.CAPACITY + 1; maxCount++) {
        history.log(git, maxCount);
      }
      long missesBefore = history.misses();

      // when
      history.log(git, CommitHistory.CAPACITY + 1); // still cached
      history.log(git, 1);                          // evicted as the eldest

      // then
      assertThat(history.hits()).isEqualTo(1);
      assertThat(history.misses()).isEqualTo(missesBefore + 1);
    }
  }

  @Test
  void repositoryWithoutCommitsHasAnEmptyLog() {
    // given
    TempRepo repo = TempRepo.init(temp);

    // when
    List<CommitInfo> log;
    try (GitWorkspace git = GitWorkspace.open(repo.dir())) {
      log = new CommitHistory().log(git, 10);
    }

    // then
    assertThat(log).isEmpty();
  }

  private static String asLogLine(CommitInfo commit) {
    return String.join("|", commit.sha(), commit.shortSha(), commit.author(), commit.email(),
        Long.toString(commit.time().getEpochSecond()), commit.subject(), String.join(" ", commit.parents()));
  }
}
