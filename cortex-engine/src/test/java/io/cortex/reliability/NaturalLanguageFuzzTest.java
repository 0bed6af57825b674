package io.cortex.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortex.Cortex;
import io.cortex.base.CortexException;
import io.cortex.rollback.RollbackOutcome;
import io.cortex.rollback.command.Flags;
import io.cortex.rollback.command.ParsedCommand;
import io.cortex.rollback.command.RollbackCommandParser;
import io.cortex.testing.DiskState;
import io.cortex.testing.TempRepo;
import io.cortex.workflow.Workflow;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded word soups — grammar words, phases, ids, typos, quotes, flags, junk, control characters, unicode, very
 * long texts — through the natural-language rollback parser and through {@link Cortex#rollback(String, Flags)}:
 * each parses to a valid command or gives an error, never throws; through the API, a dry run changes nothing.
 */
class NaturalLanguageFuzzTest {

  private static final long SEED = 7_000_002L;
  private static final List<String> GRAMMAR = List.of("rollback", "roll", "back", "to", "checkpoint", "session", "in",
      "last", "latest", "before", "passing", "dry", "run", "dry-run", "--dry-run", "dryrun", "preview", "force",
      "--force", "forced", "the", "please", "undo", "and", "of");
  private static final List<String> PHASES = List.of("GREEN", "red", "Refactor", "DoR", "implementation", "DoD");
  private static final List<String> TYPOS = List.of("rolback", "sesion", "chekpoint", "lastest", "befor", "forse",
      "--dryrun", "-f", "--yes", "ROLLBACK", "RollBack", "TO");

  @TempDir
  Path temp;

  @Test
  void wordSoupsParseToAValidCommandOrAnErrorAndNeverThrow() {
    Random random = new Random(SEED);
    RollbackCommandParser parser = new RollbackCommandParser();
    List<String> failures = new ArrayList<>();
    int valid = 0;
    int invalid = 0;
    int cases = 6000 * Fuzz.SCALE;
    for (int n = 0; n < cases; n++) {
      String text = soup(random, "feature-auth-001");
      try {
        ParsedCommand parsed = parser.parse(text);
        if (parsed.valid()) {
          valid++;
          if (parsed.target() == null || parsed.error() != null) {
            failures.add("case " + n + " '" + Fuzz.show(text) + "': valid without target or with an error");
          }
        } else {
          invalid++;
          if (parsed.error() == null || parsed.error().isBlank()) {
            failures.add("case " + n + " '" + Fuzz.show(text) + "': invalid without a reason");
          }
        }
      } catch (Throwable t) {
        failures.add("case " + n + " '" + Fuzz.show(text) + "': threw " + t);
      }
    }
    assertThat(failures).isEmpty();
    assertThat(valid).as("valid commands among the soups").isGreaterThan(cases / 20);
    assertThat(invalid).isGreaterThan(cases / 4);
    System.out.printf("reliability/fuzz-parser: seed=%d cases=%d valid=%d invalid=%d failures=%d%n", SEED, cases, valid,
        invalid, failures.size());
  }

  @Test
  void wordSoupsThroughTheApiAsDryRunsResolveOrFailClearlyAndChangeNothing() {
    // given
    Cortex cortex = SharedEngine.cortex();
    String session = "nl-fuzz-001";
    TempRepo repo = TempRepo.init(temp).write("README.md", "# nl\n").commitAll("init");
    cortex.startSession(Workflow.PLANNING, session, repo.dir());
    repo.write("a.txt", "1\n");
    cortex.completePhase(session, "DoR", Map.of());
    repo.write("a.txt", "2\n");
    cortex.createCheckpoint(session, "v1", Map.of());
    Map<String, String> disk = DiskState.everything(temp);
    var checkpoints = cortex.checkpoints(session);
    int auditEntries = cortex.audit(null, 1_000_000).size();
    Random random = new Random(SEED + 1);
    List<String> failures = new ArrayList<>();
    int resolved = 0;
    int refused = 0;

    // when
    int cases = 40 * Fuzz.SCALE;
    List<String> refusals = new ArrayList<>();
    for (int n = 0; n < cases; n++) {
      String text = n % 2 == 0 ? wellFormed(random, session) : soup(random, session);
      try {
        RollbackOutcome outcome = cortex.rollback(text, new Flags(true, false));
        if (!outcome.dryRun() || outcome.preview() == null) {
          failures.add("case " + n + " '" + Fuzz.show(text) + "': a dry run that was not one");
        }
        resolved++;
      } catch (CortexException e) {
        refused++;
        refusals.add(e.getMessage());
        if (e.getMessage() == null || e.getMessage().isBlank()) {
          failures.add("case " + n + " '" + Fuzz.show(text) + "': no message");
        }
      } catch (Throwable t) {
        failures.add("case " + n + " '" + Fuzz.show(text) + "': threw " + t);
      }
    }

    // then
    assertThat(failures).isEmpty();
    assertThat(resolved).as("soups that named a checkpoint of the session; refusals: " + refusals).isPositive();
    assertThat(DiskState.everything(temp)).isEqualTo(disk);
    assertThat(cortex.checkpoints(session)).isEqualTo(checkpoints);
    assertThat(cortex.audit(null, 1_000_000)).hasSize(auditEntries);
    System.out.printf("reliability/fuzz-parser-api: seed=%d cases=%d resolved=%d refused=%d changed=0%n", SEED + 1,
        cases, resolved, refused);
  }

  /** A well-formed command naming the session, with a random target that may or may not exist. */
  static String wellFormed(Random random, String session) {
    String target = Fuzz.pick(random, List.of("v1", "dor-1", "session-start", "last DoR", "before Implementation",
        "latest", "last passing", "nope-7", "checkpoint v1", "last GREEN"));
    return random.nextBoolean() ? "rollback session " + session + " to " + target
        : "roll back to " + target + " in session " + session + (random.nextBoolean() ? " dry run" : "");
  }

  /** A random text: mostly rollback-shaped word soups, sometimes pure noise or very long. */
  static String soup(Random random, String session) {
    int shape = random.nextInt(20);
    if (shape == 0) {
      return Fuzz.randomString(random, random.nextInt(300));
    }
    if (shape == 1) {
      StringBuilder huge = new StringBuilder("rollback");
      for (int i = 0; i < 5000; i++) {
        huge.append(' ').append(Fuzz.pick(random, GRAMMAR));
      }
      return huge.toString();
    }
    List<String> words = new ArrayList<>();
    if (random.nextInt(4) > 0) {
      words.add(random.nextBoolean() ? "rollback" : "roll back");
    }
    int length = random.nextInt(9);
    for (int i = 0; i < length; i++) {
      words.add(switch (random.nextInt(12)) {
        case 0, 1, 2, 3 -> Fuzz.pick(random, GRAMMAR);
        case 4 -> Fuzz.pick(random, PHASES);
        case 5 -> "session " + session;
        case 6 -> Fuzz.pick(random, List.of("v1", "dor-1", "session-start", "nope-7", "latest"));
        case 7 -> Fuzz.pick(random, TYPOS);
        case 8 -> "\"" + Fuzz.word(random, 8) + (random.nextBoolean() ? "\"" : "");
        case 9 -> Fuzz.id(random);
        case 10 -> String.valueOf(random.nextInt(1000) - 500);
        default -> Fuzz.pick(random, List.of("to last green", "to before REFACTOR", "to last passing", "dry run", "force",
            "to checkpoint v1", "in session " + session));
      });
    }
    return String.join(random.nextInt(10) == 0 ? "\t" : " ", words);
  }
}
