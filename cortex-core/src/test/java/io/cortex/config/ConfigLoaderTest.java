package io.cortex.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cortex.testing.ProjectRoot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  private static final String SOURCE = "test.yaml";

  private static ConfigException problemsIn(String yaml) {
    return catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, SOURCE));
  }

  @Nested
  class Defaults {

    @Test
    void emptyDocumentYieldsDefaults() {
      // given
      String yaml = "";

      // when
      CortexConfig config = ConfigLoader.parse(yaml, SOURCE);

      // then
      assertThat(config).isEqualTo(CortexConfig.defaults());
    }

    @Test
    void documentWithOnlyCommentsYieldsDefaults() {
      // given
      String yaml = "# nothing configured yet\n";

      // when
      CortexConfig config = ConfigLoader.parse(yaml, SOURCE);

      // then
      assertThat(config).isEqualTo(CortexConfig.defaults());
    }

    @Test
    void defaultsHaveTheDocumentedValues() {
      // when
      CortexConfig config = CortexConfig.defaults();

      // then
      assertThat(config.checkpoint().maxCheckpoints()).isEqualTo(100);
      assertThat(config.checkpoint().retentionMs()).isEqualTo(604_800_000L);
      assertThat(config.checkpoint().minIntervalMs()).isZero();
      assertThat(config.checkpoint().maxFileSizeBytes()).isEqualTo(104_857_600L);
      assertThat(config.checkpoint().autoCheckpoint().enabled()).isFalse();
      assertThat(config.checkpoint().autoCheckpoint().intervalMs()).isEqualTo(300_000L);
      assertThat(config.recovery().strategy()).isEqualTo(RecoveryStrategy.IMMEDIATE);
      assertThat(config.recovery().retry().maxAttempts()).isEqualTo(3);
      assertThat(config.recovery().retry().initialDelayMs()).isEqualTo(1_000L);
      assertThat(config.recovery().retry().backoffMultiplier()).isEqualTo(2.0);
      assertThat(config.recovery().byProcess()).isEmpty();
      assertThat(config.recovery().byError()).isEmpty();
      assertThat(config.recovery().progressiveOrder()).isEqualTo(ProgressiveOrder.NEWEST_FIRST);
      assertThat(config.gates().timeoutMs()).isEqualTo(600_000L);
      assertThat(config.gates().outputLimitBytes()).isEqualTo(4_096);
      assertThat(config.gates().workflows()).isEmpty();
      assertThat(config.retention().schedule()).isEqualTo("R/PT1H");
      assertThat(config.retention().maxTotalBytes()).isZero();
      assertThat(config.database().url()).isEmpty();
      assertThat(config.database().embedded()).isTrue();
      assertThat(config.database().username()).isEqualTo("sa");
      assertThat(config.database().password()).isEmpty();
      assertThat(config.server().port()).isEqualTo(8080);
    }

    @Test
    void missingKeysKeepTheirDefaultsNextToGivenOnes() {
      // given
      String yaml = """
          checkpoint:
            maxCheckpoints: 5
          server:
            port: 9090
          """;

      // when
      CortexConfig config = ConfigLoader.parse(yaml, SOURCE);

      // then
      assertThat(config.checkpoint().maxCheckpoints()).isEqualTo(5);
      assertThat(config.checkpoint().retentionMs())
          .isEqualTo(CheckpointConfig.DEFAULT_RETENTION_MS);
      assertThat(config.checkpoint().autoCheckpoint()).isEqualTo(AutoCheckpointConfig.defaults());
      assertThat(config.recovery()).isEqualTo(RecoveryConfig.defaults());
      assertThat(config.database()).isEqualTo(DatabaseConfig.defaults());
      assertThat(config.server().port()).isEqualTo(9090);
    }

    @Test
    void emptySectionsAndEmptyValuesTakeTheirDefaults() {
      // given
      String yaml = """
          checkpoint:
            maxCheckpoints:
          recovery:
          database:
            url:
          """;

      // when
      CortexConfig config = ConfigLoader.parse(yaml, SOURCE);

      // then
      assertThat(config).isEqualTo(CortexConfig.defaults());
    }
  }

  @Nested
  class ValidFiles {

    @Test
    void readsEveryKeyOfAFullFile() {
      // given
      String yaml = """
          checkpoint:
            maxCheckpoints: 7
            retentionMs: 86400000000
            minIntervalMs: 250
            maxFileSizeBytes: 5368709120
            autoCheckpoint:
              enabled: true
              intervalMs: 60000
          recovery:
            strategy: decompose
            byProcess:
              cortex-tdd: progressive
            byError:
              GATE_FAILED: immediate
            progressiveOrder: oldest_first
            retry:
              maxAttempts: 5
              initialDelayMs: 500
              backoffMultiplier: 1.5
          gates:
            timeoutMs: 60000
            outputLimitBytes: 512
            workflows:
              cortex-tdd:
                RED: { command: "mvn -q test", expect: FAIL, timeoutMs: 30000 }
          retention:
            schedule: R3/PT15M
            maxTotalBytes: 1073741824
          database:
            url: jdbc:postgresql://db.example.org:5432/cortex
            username: cortex
            password: "s3cret"
          server:
            port: 9443
          """;

      // when
      CortexConfig config = ConfigLoader.parse(yaml, SOURCE);

      // then
      assertThat(config).isEqualTo(new CortexConfig(
          new CheckpointConfig(7, 86_400_000_000L, 250L, 5_368_709_120L,
              new AutoCheckpointConfig(true, 60_000L)),
          new RecoveryConfig(RecoveryStrategy.DECOMPOSE,
              Map.of("cortex-tdd", RecoveryStrategy.PROGRESSIVE),
              Map.of("GATE_FAILED", RecoveryStrategy.IMMEDIATE),
              ProgressiveOrder.OLDEST_FIRST, new RetryConfig(5, 500L, 1.5)),
          new GatesConfig(60_000L, 512, Map.of("cortex-tdd",
              Map.of("RED", new GateConfig("mvn -q test", GateExpectation.FAIL, 30_000L)))),
          new RetentionConfig("R3/PT15M", 1_073_741_824L),
          new DatabaseConfig("jdbc:postgresql://db.example.org:5432/cortex", "cortex", "s3cret"),
          new ServerConfig(9443)));
      assertThat(config.database().embedded()).isFalse();
    }

    @Test
    void acceptsAWholeNumberAsBackoffMultiplier() {
      // given
      String yaml = "recovery:\n  retry:\n    backoffMultiplier: 3\n";

      // when
      CortexConfig config = ConfigLoader.parse(yaml, SOURCE);

      // then
      assertThat(config.recovery().retry().backoffMultiplier()).isEqualTo(3.0);
    }

    @Test
    void readsTheStrategyInAnyCase() {
      // given
      String yaml = "recovery:\n  strategy: Progressive\n";

      // when
      CortexConfig config = ConfigLoader.parse(yaml, SOURCE);

      // then
      assertThat(config.recovery().strategy()).isEqualTo(RecoveryStrategy.PROGRESSIVE);
    }

    @Test
    void shippedConfigFileLoadsAndEqualsTheDefaults() {
      // given
      Path shipped = ProjectRoot.resolve("config/cortex.yaml");

      // when
      CortexConfig config = ConfigLoader.load(shipped);

      // then
      assertThat(config).isEqualTo(CortexConfig.defaults());
    }

    @Test
    void loadsAFileFromDisk(@TempDir Path dir) throws Exception {
      // given
      Path file = dir.resolve("cortex.yaml");
      Files.writeString(file, "server:\n  port: 8181\n", StandardCharsets.UTF_8);

      // when
      CortexConfig config = ConfigLoader.load(file);

      // then
      assertThat(config.server().port()).isEqualTo(8181);
    }
  }

  @Nested
  class FileAccess {

    @Test
    void missingFileIsReportedWithItsPath(@TempDir Path dir) {
      // given
      Path missing = dir.resolve("nowhere.yaml");

      // when
      ConfigException e = catchThrowableOfType(ConfigException.class,
          () -> ConfigLoader.load(missing));

      // then
      assertThat(e).hasMessageContaining(missing.toString()).hasMessageContaining("does not exist");
      assertThat(e.problems()).hasSize(1);
    }

    @Test
    void directoryInsteadOfAFileIsReportedAsUnreadable(@TempDir Path dir) {
      // when
      ConfigException e = catchThrowableOfType(ConfigException.class,
          () -> ConfigLoader.load(dir));

      // then
      assertThat(e).hasMessageContaining(dir.toString()).hasMessageContaining("could not be read");
    }

    @Test
    void problemsInAFileNameTheFile(@TempDir Path dir) throws Exception {
      // given
      Path file = dir.resolve("cortex.yaml");
      Files.writeString(file, "server:\n  port: 0\n", StandardCharsets.UTF_8);

      // when
      ConfigException e = catchThrowableOfType(ConfigException.class,
          () -> ConfigLoader.load(file));

      // then
      assertThat(e).hasMessageStartingWith("Invalid configuration in " + file + " (1 problem):");
    }
  }

  @Nested
  class InvalidInput {

    @Test
    void reportsEveryProblemAtOnceWithItsKeyPath() {
      // given
      String yaml = """
          checkpoint:
            maxCheckpoints: ten
            maxCheckpoint: 3
          recovery:
            strategy: FAST
          """;

      // when
      ConfigException e = problemsIn(yaml);

      // then
      assertThat(e.problems()).containsExactly(
          "checkpoint.maxCheckpoints: expected an integer >= 1, got 'ten'",
          "recovery.strategy: expected one of IMMEDIATE, DECOMPOSE, PROGRESSIVE, got 'FAST'",
          "checkpoint.maxCheckpoint: unknown key (did you mean 'maxCheckpoints'?)");
      assertThat(e.getMessage()).isEqualTo(String.join(System.lineSeparator(),
          "Invalid configuration in test.yaml (3 problems):",
          "  - checkpoint.maxCheckpoints: expected an integer >= 1, got 'ten'",
          "  - recovery.strategy: expected one of IMMEDIATE, DECOMPOSE, PROGRESSIVE, got 'FAST'",
          "  - checkpoint.maxCheckpoint: unknown key (did you mean 'maxCheckpoints'?)"));
    }

    @Test
    void reportsProblemsInEverySectionAndNestingLevelTogether() {
      // given
      String yaml = """
          checkpoint:
            retentionMs: -1
            minIntervalMs: -5
            maxFileSizeBytes: 0
            autoCheckpoint:
              enabled: "yes"
              intervalMs: 999
          recovery:
            retry:
              maxAttempts: 101
              initialDelayMs: -1
              backoffMultiplier: 0.5
          database:
            url: postgres://db/cortex
            password: 1234
          server:
            port: 70000
          """;

      // when
      ConfigException e = problemsIn(yaml);

      // then
      assertThat(e.problems()).containsExactly(
          "checkpoint.retentionMs: expected an integer >= 0, got -1",
          "checkpoint.minIntervalMs: expected an integer >= 0, got -5",
          "checkpoint.maxFileSizeBytes: expected an integer >= 1, got 0",
          "checkpoint.autoCheckpoint.enabled: expected true or false, got 'yes'",
          "checkpoint.autoCheckpoint.intervalMs: expected an integer >= 1000, got 999",
          "recovery.retry.maxAttempts: expected an integer between 1 and 100, got 101",
          "recovery.retry.initialDelayMs: expected an integer >= 0, got -1",
          "recovery.retry.backoffMultiplier: expected a number >= 1.0, got 0.5",
          "database.url: expected a JDBC URL starting with 'jdbc:', or nothing for the embedded"
              + " H2 database, got 'postgres://db/cortex'",
          "database.password: expected a string, got 1234 (put it in quotes to use it as text)",
          "server.port: expected an integer between 1 and 65535, got 70000");
      assertThat(e).hasMessageStartingWith("Invalid configuration in test.yaml (11 problems):");
    }

    @Test
    void refusesTextWhereANumberIsExpected() {
      // given
      String yaml = "server:\n  port: eighty\n";

      // when
      ConfigException e = problemsIn(yaml);

      // then
      assertThat(e.problems()).containsExactly(
          "server.port: expected an integer between 1 and 65535, got 'eighty'");
    }

    @Test
    void refusesAQuotedNumberAndSaysToRemoveTheQuotes() {
      // given
      String yaml = "server:\n  port: '8080'\n";

      // when
      ConfigException e = problemsIn(yaml);

      // then
      assertThat(e.problems()).containsExactly("server.port: expected an integer between 1 and"
          + " 65535, got '8080' (a quoted string; remove the quotes)");
    }

    @Test
    void refusesAFractionWhereAnIntegerIsExpected() {
      // given
      String yaml = "checkpoint:\n  maxCheckpoints: 2.5\n";

      // when
      ConfigException e = problemsIn(yaml);

      // then
      assertThat(e.problems()).containsExactly(
          "checkpoint.maxCheckpoints: expected an integer >= 1, got 2.5");
    }

    @Test
    void refusesANumberTooLargeForAnIntegerKey() {
      // given
      String yaml = "checkpoint:\n  maxCheckpoints: 9999999999\n";

      // when
      ConfigException e = problemsIn(yaml);

      // then
      assertThat(e.problems()).containsExactly("checkpoint.maxCheckpoints: expected an integer"
          + " >= 1, got 9999999999 (too large; at most 2147483647)");
    }

    @Test
    void refusesAMappingOrListWhereAValueIsExpected() {
      // given
      String yaml = """
          server:
            port: {number: 8080}
          recovery:
            strategy: [IMMEDIATE]
          """;

      // when
      ConfigException e = problemsIn(yaml);

      // then
      assertThat(e.problems()).containsExactly(
          "recovery.strategy: expected one of IMMEDIATE, DECOMPOSE, PROGRESSIVE, got a list",
          "server.port: expected an integer between 1 and 65535, got a mapping");
    }

    @Test
    void refusesAListOrValueWhereASectionIsExpected() {
      // given
      String yaml = """
          checkpoint:
            - maxCheckpoints: 5
          server: 8080
          """;

      // when
      ConfigException e = problemsIn(yaml);

      // then
      assertThat(e.problems()).containsExactly(
          "checkpoint: expected a mapping (key: value pairs), got a list",
          "server: expected a mapping (key: value pairs), got 8080");
    }

    @Test
    void refusesQuotedTextAsABoolean() {
      // given
      String yaml = "checkpoint:\n  autoCheckpoint:\n    enabled: 'true'\n";

      // when
      ConfigException e = problemsIn(yaml);

      // then
      assertThat(e.problems()).containsExactly("checkpoint.autoCheckpoint.enabled: expected true"
          + " or false, got 'true' (a quoted string; remove the quotes)");
    }

    @Test
    void refusesAnInfiniteBackoffMultiplier() {
      // given
      String yaml = "recovery:\n  retry:\n    backoffMultiplier: .inf\n";

      // when
      ConfigException e = problemsIn(yaml);

      // then
      assertThat(e.problems()).containsExactly(
          "recovery.retry.backoffMultiplier: expected a number >= 1.0, got Infinity");
    }

    @Test
    void refusesARootThatIsNotAMapping() {
      // given
      String yaml = "- checkpoint\n- server\n";

      // when
      ConfigException e = problemsIn(yaml);

      // then
      assertThat(e.problems()).containsExactly(
          "(root): expected a mapping of sections (key: value pairs), got a list");
    }

    @Test
    void refusesAPlainValueAsTheWholeDocument() {
      // when
      ConfigException e = problemsIn("hello");

      // then
      assertThat(e.problems()).containsExactly(
          "(root): expected a mapping of sections (key: value pairs), got 'hello'");
    }
  }

  @Nested
  class UnknownKeys {

    @Test
    void suggestsTheClosestKnownKey() {
      // given
      String yaml = """
          servr:
            port: 8080
          recovery:
            retry:
              maxAttempt: 3
          checkpoint:
            autoCheckpoint:
              interval: 1000
          """;

      // when
      ConfigException e = problemsIn(yaml);

      // then
      assertThat(e.problems()).containsExactly(
          "servr: unknown key (did you mean 'server'?)",
          "checkpoint.autoCheckpoint.interval: unknown key (did you mean 'intervalMs'?)",
          "recovery.retry.maxAttempt: unknown key (did you mean 'maxAttempts'?)");
    }

    @Test
    void listsTheKnownKeysWhenNoneIsClose() {
      // given
      String yaml = "database:\n  schema: cortex\n";

      // when
      ConfigException e = problemsIn(yaml);

      // then
      assertThat(e.problems()).containsExactly(
          "database.schema: unknown key (known keys: url, username, password)");
    }

    @Test
    void reportsANonTextKeyAsUnknown() {
      // given
      String yaml = "server:\n  port: 8080\n  1: one\n";

      // when
      ConfigException e = problemsIn(yaml);

      // then
      assertThat(e.problems()).containsExactly("server.1: unknown key (known keys: port, address)");
    }
  }

  @Nested
  class YamlErrors {

    @Test
    void reportsASyntaxErrorWithLineAndColumnOnOneLine() {
      // given
      String yaml = """
          checkpoint:
            maxCheckpoints: 3
             retentionMs: 4
          """;

      // when
      ConfigException e = problemsIn(yaml);

      // then
      assertThat(e.problems()).containsExactly(
          "YAML syntax error at line 3, column 15: mapping values are not allowed here");
      assertThat(e.getMessage().lines()).hasSize(2);
    }

    @Test
    void reportsWhereAnUnclosedStructureStarted() {
      // given
      String yaml = "server: {port: 8080\n";

      // when
      ConfigException e = problemsIn(yaml);

      // then
      assertThat(e.problems()).singleElement().asString()
          .startsWith("YAML syntax error at line 2, column 1:")
          .contains("(while parsing a flow mapping at line 1, column 9)");
    }

    @Test
    void refusesDuplicateKeys() {
      // given
      String yaml = "server:\n  port: 8080\n  port: 9090\n";

      // when
      ConfigException e = problemsIn(yaml);

      // then
      assertThat(e.problems()).singleElement().asString()
          .startsWith("YAML error at line 3, column 3: found duplicate key port");
    }

    @Test
    void refusesTagsForArbitraryJavaTypes() {
      // given
      String yaml = "server: !!java.util.ArrayList []\n";

      // when
      ConfigException e = problemsIn(yaml);

      // then
      assertThat(e.problems()).singleElement().asString()
          .contains("line 1, column 9").contains("java.util.ArrayList");
    }

    @Test
    void refusesMoreThanOneDocument() {
      // given
      String yaml = "server:\n  port: 1\n---\nserver:\n  port: 2\n";

      // when
      ConfigException e = problemsIn(yaml);

      // then
      assertThat(e.problems()).singleElement().asString()
          .contains("expected a single document in the stream");
    }
  }
}
