package io.cortex.cli;

import static io.cortex.cli.CliRun.cortex;
import static org.assertj.core.api.Assertions.assertThat;

import io.cortex.cli.CliRun.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input found by trying: each gets a clear error, changes nothing, and never echoes more than it should. */
class BadInputTest {

  private static final String LONG_ID = "a".repeat(10_000);

  @TempDir
  Path temp;

  @Test
  void anEmptyRepoPathIsRefusedInsteadOfMeaningTheCurrentDirectory() {
    // given
    Path data = temp.resolve("data");

    // when
    Result start = cortex(data, "start", "tdd", "--repo", "", "--session", "wrong-repo");
    Result rebuild = cortex(data, "rebuild", "--repo", "");

    // then
    assertThat(start.exit()).as(start.toString()).isEqualTo(2);
    assertThat(start.err()).contains("--repo", "the path is empty", "'.' for the current directory");
    assertThat(rebuild.exit()).isEqualTo(2);
    assertThat(cortex(data, "status", "--session", "wrong-repo").err()).contains("Unknown session");
  }

  @Test
  void aBareRepositoryIsReportedAsBare() throws Exception {
    // given
    Path bare = temp.resolve("origin.git");
    new ProcessBuilder("git", "init", "-q", "--bare", bare.toString()).start().waitFor();

    // when
    Result start = cortex(temp.resolve("data"), "start", "tdd", "--repo", bare.toString(), "--session", "s1");

    // then
    assertThat(start.exit()).isEqualTo(1);
    assertThat(start.err()).contains("is a bare repository", "git clone").doesNotContain("no .git");
  }

  @Test
  void aDatabaseUrlThatRunsAScriptIsRefusedAndTheFileIsNeverRead() throws Exception {
    // given: a file whose lines H2 would print in its syntax error
    Path secret = Files.writeString(temp.resolve("secret.txt"), "root:x:0:0:TOP-SECRET-LINE\n");
    Path config = Files.writeString(temp.resolve("cortex.yaml"),
        "database:\n  url: \"jdbc:h2:mem:x;INIT=RUNSCRIPT FROM '" + secret + "'\"\n");
    Path pgConfig = Files.writeString(temp.resolve("pg.yaml"),
        "database:\n  url: \"jdbc:postgresql://localhost/x?socketFactory=java.io.FileOutputStream\"\n");

    // when
    Result h2 = cortex(temp.resolve("data"), "--config", config.toString(), "checkpoints", "--session", "s1");
    Result pg = cortex(temp.resolve("data"), "--config", pgConfig.toString(), "checkpoints", "--session", "s1");

    // then
    assertThat(h2.exit()).as(h2.toString()).isEqualTo(1);
    assertThat(h2.err()).contains("database.url", "INIT", "refused").doesNotContain("TOP-SECRET", "unexpected");
    assertThat(pg.exit()).as(pg.toString()).isEqualTo(1);
    assertThat(pg.err()).contains("database.url", "socketFactory", "refused");
  }

  @Test
  void aTenThousandCharacterIdIsEchoedCutToAReadableLength() {
    // given
    Path data = temp.resolve("data");

    // when
    Result[] results = {
        cortex(data, "checkpoints", "--session", LONG_ID),
        cortex(data, "rollback", LONG_ID),
        cortex(data, "rollback", "rollback session " + LONG_ID + " to green-1"),
        cortex(data, "checkpoint", "create", "--session", LONG_ID)};

    // then
    for (Result r : results) {
      assertThat(r.exit()).as(r.toString()).isNotZero();
      assertThat(r.err()).as(r.toString()).contains("(10000 characters)");
      assertThat(r.err().length()).as(r.err()).isLessThan(600);
    }
  }
}
