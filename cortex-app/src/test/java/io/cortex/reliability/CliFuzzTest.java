package io.cortex.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortex.cli.CortexCli;
import io.cortex.engine.EmbeddedEngine;
import io.cortex.testing.DiskState;
import io.cortex.testing.TempRepo;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./cortex} with hostile ids and random argument vectors, in-process as the launcher calls it, on an H2
 * file database of its own: every failure is one {@code cortex:} line on stderr with exit 1 (refused) or 2
 * (usage), never an unexpected error (exit 3) or a stack trace, and changes nothing — the repository (with
 * {@code .git}) and the catalogue tables (read straight from the database file) stay as they were. Every CLI call
 * that gets past argument parsing boots the engine (about a second), so the cases here are few; the same ids go
 * through the API by the hundred in {@link IdFuzzTest}.
 */
class CliFuzzTest {

  private static final long SEED = 7_000_005L;
  private static final String SESSION = "cli-fuzz-001";
  /** Commands whose valid forms start a server, write files wherever told, or run the demo: parsed, never run. */
  private static final Set<String> NOT_RUN = Set.of("serve", "demo", "export", "import");

  @TempDir
  static Path temp;

  private static Path data;
  private static TempRepo repo;

  @BeforeAll
  static void startSession() throws IOException {
    data = Files.createDirectories(temp.resolve("data"));
    repo = TempRepo.init(temp).write("README.md", "# cli\n").commitAll("init");
    assertThat(cli("start", "planning", "--repo", repo.dir().toString(), "--session", SESSION).exit).isZero();
    repo.write("a.txt", "1\n");
  }

  @Test
  void hostileIdsGetOneLineAndChangeNothing() {
    Random random = new Random(SEED);
    List<String> failures = new ArrayList<>();
    int cases = 2;
    for (int n = 0; n < cases; n++) {
      String id;
      do {
        id = Fuzz.id(random);
      } while (Fuzz.validId(id) || id.isBlank());
      String[] args = n == 0 ? new String[] {"checkpoint", "create", "--session", SESSION, "--id", id}
          : new String[] {"rollback", "rollback session " + SESSION + " to checkpoint " + id};
      State before = state();
      Call call = cli(args);
      String where = "case " + n + " " + Fuzz.show(String.join(" ", args));
      checkFailure(where, call, 1, failures);
      if (!call.err.contains("Invalid ")) {
        failures.add(where + ": the error does not say the id is invalid: " + Fuzz.show(call.err));
      }
      if (!state().equals(before)) {
        failures.add(where + ": changed something");
      }
    }
    assertThat(failures).as("fuzz failures").isEmpty();
    System.out.printf("reliability/fuzz-ids-cli: seed=%d cases=%d rejected=%d failures=0%n", SEED, cases, cases);
  }

  @Test
  void randomArgumentVectorsAreUsageErrorsRefusalsOrSuccessesNeverCrashes() {
    Random random = new Random(SEED + 1);
    List<String> failures = new ArrayList<>();
    int usageErrors = 0;
    int executed = 0;
    int refused = 0;
    int cases = 250 * Fuzz.SCALE;
    State before = state();
    for (int n = 0; n < cases; n++) {
      String[] args = arguments(random);
      String where = "case " + n + " [" + Fuzz.show(String.join("|", args)) + "]";
      CommandLine.ParseResult parsed;
      try {
        parsed = CortexCli.commandLine().parseArgs(args); // the tree the CLI runs: help on every command
      } catch (CommandLine.ParameterException e) {
        parsed = null;
      } catch (RuntimeException e) {
        failures.add(where + ": the parser itself threw " + e);
        continue;
      }
      boolean helpOnly = parsed != null && helpRequested(parsed);
      if (parsed != null && !helpOnly) {
        String command = parsed.hasSubcommand() ? parsed.subcommand().commandSpec().name() : "";
        if (NOT_RUN.contains(command) || executed >= 2) {
          continue; // valid vectors start the engine: a few of them are run, see below
        }
        executed++;
      }
      Map<String, String> disk = DiskState.everything(repo.dir());
      Call call = cli(args);
      if (parsed == null) {
        usageErrors++;
        checkFailure(where, call, 2, failures);
      } else if (call.exit == 1 || call.exit == 2) {
        refused++;
        checkFailure(where, call, call.exit, failures); // a refusal, or a usage error found when it ran
        if (!state().equals(before)) {
          failures.add(where + ": a refused command changed something");
        }
      } else if (call.exit != 0) {
        failures.add(where + ": exit " + call.exit + " " + Fuzz.show(call.err));
      }
      if (call.exit != 0 && !DiskState.everything(repo.dir()).equals(disk)) {
        failures.add(where + ": a failed call changed the repository");
      }
      if (call.exit == 0 && !helpOnly) {
        before = state(); // a valid command may change things
      }
    }
    assertThat(failures).as("fuzz failures").isEmpty();
    assertThat(usageErrors).isGreaterThan(cases / 3);
    System.out.printf("reliability/fuzz-cli-args: seed=%d cases=%d usageErrors=%d executed=%d refused=%d failures=%d%n",
        SEED + 1, cases, usageErrors, executed, refused, failures.size());
  }

  @Test
  void staleGitLockIsOneLineNamingTheFileAndTheFixAndChangesNothing() throws IOException {
    // given
    Path lock = repo.dir().resolve(".git/index.lock");
    Files.writeString(lock, "");
    Files.setLastModifiedTime(lock, FileTime.from(Instant.now().minus(Duration.ofMinutes(3))));
    State before = state();

    // when
    Call call = cli("checkpoint", "create", "--session", SESSION);
    State after = state();
    Files.delete(lock);

    // then
    assertThat(call.exit).isEqualTo(1);
    assertThat(call.err).startsWith("cortex: Cannot take checkpoint").contains(lock.toString(), "3 min",
        "If no git process is running in " + repo.dir(), "delete " + lock);
    assertThat(call.err.strip().lines()).hasSize(1);
    assertThat(after).isEqualTo(before);
  }

  // --- helpers ---

  private static void checkFailure(String where, Call call, int expectedExit, List<String> failures) {
    if (call.exit != expectedExit) {
      failures.add(where + ": exit " + call.exit + " instead of " + expectedExit + ": " + Fuzz.show(call.err));
    }
    String err = call.err.strip();
    // (a usage error may quote picocli's reason, e.g. "InvalidPathException: Nul character not allowed")
    if (!err.startsWith("cortex: ") || err.contains("\tat ") || err.contains("unexpected")) {
      failures.add(where + ": not one clear 'cortex:' line: " + Fuzz.show(err));
    }
    if (expectedExit == 1 && err.lines().count() != 1) {
      failures.add(where + ": more than one line: " + Fuzz.show(err));
    }
    if (err.codePoints().anyMatch(c -> c != '\n' && Character.isISOControl(c))) {
      failures.add(where + ": control characters of the argument echoed to the terminal: " + Fuzz.show(err));
    }
  }

  private static boolean helpRequested(CommandLine.ParseResult parsed) {
    for (CommandLine.ParseResult p = parsed; p != null; p = p.hasSubcommand() ? p.subcommand() : null) {
      if (p.isUsageHelpRequested() || p.isVersionHelpRequested()) {
        return true;
      }
    }
    return false;
  }

  private static final List<String> COMMANDS = List.of("start", "phase", "status", "checkpoint", "checkpoints",
      "rollback", "undo", "diff", "history", "audit", "retention", "rebuild", "help", "export", "import", "serve",
      "demo", "chekpoint", "ROLLBACK", "--", "-", "");
  private static final List<String> SUBCOMMANDS = List.of("create", "complete", "fail", "list", "planning", "tdd");
  private static final List<String> OPTIONS = List.of("--session", "--id", "--repo", "--phase", "--metric", "--var",
      "--code", "--message", "--json", "--force", "--dry-run", "--limit", "-n", "--stat", "--out", "--help", "-h",
      "--version", "-V", "--unknown", "-x", "--session=", "--metric=a=b", "--limit=-1", "--json=maybe");
  private static final List<String> VALUES = List.of("-1", "0", "99999999999999999999", "1.5", "a=b", "=", "a==b",
      "x=", "=y", "/nonexistent", "../..", "true", "DoR", "Implementation", "v1", "session-start", "PHASE_FAILED",
      "lower_case", "\"quoted\"");

  /** A random argument vector: a command (or not), subcommands, options and values in any order. */
  private static String[] arguments(Random random) {
    List<String> args = new ArrayList<>();
    if (random.nextInt(8) > 0) {
      args.add(Fuzz.pick(random, COMMANDS));
    }
    int length = random.nextInt(7);
    for (int i = 0; i < length; i++) {
      args.add(switch (random.nextInt(8)) {
        case 0 -> Fuzz.pick(random, SUBCOMMANDS);
        case 1, 2, 3 -> Fuzz.pick(random, OPTIONS);
        case 4 -> SESSION;
        case 5 -> Fuzz.pick(random, VALUES);
        case 6 -> Fuzz.id(random);
        default -> random.nextBoolean() ? repo.dir().toString() : Fuzz.randomString(random, 1 + random.nextInt(12));
      });
    }
    return args.toArray(String[]::new);
  }

  record Call(int exit, String out, String err) {
  }

  /** One {@code ./cortex} call on this test's data directory. */
  private static Call cli(String... args) {
    List<String> full = new ArrayList<>(List.of("--data", data.toString()));
    full.addAll(List.of(args));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = CortexCli.run(full.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
    return new Call(exit, out.toString(), err.toString());
  }

  /** The repository with .git, and Cortex's tables read straight from the H2 file. */
  private static State state() {
    return new State(DiskState.everything(repo.dir()), tables());
  }

  private static List<String> tables() {
    List<String> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(EmbeddedEngine.h2Url(data), "sa", "");
         Statement s = c.createStatement()) {
      for (String query : List.of("SELECT * FROM CORTEX_SESSION ORDER BY SESSION_ID_",
          "SELECT * FROM CORTEX_CHECKPOINT ORDER BY SESSION_ID_, SEQ_",
          "SELECT * FROM CORTEX_AUDIT ORDER BY TIMESTAMP_, ENTRY_ID_")) {
        try (ResultSet rs = s.executeQuery(query)) {
          int columns = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            StringBuilder row = new StringBuilder();
            for (int i = 1; i <= columns; i++) {
              row.append(rs.getString(i)).append('|');
            }
            rows.add(row.toString());
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return rows;
  }

  private record State(Map<String, String> disk, List<String> tables) {
  }
}
