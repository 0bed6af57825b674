package io.cortex.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortex.config.ConfigException;
import io.cortex.config.ConfigLoader;
import io.cortex.config.CortexConfig;
import io.cortex.testing.ProjectRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutations of the shipped {@code config/cortex.yaml} — lines dropped, doubled, swapped and re-indented,
 * values replaced by hostile tokens, characters inserted and deleted, truncation, unknown keys, alias bombs,
 * deep nesting — through {@link ConfigLoader#parse}: a valid configuration or a {@link ConfigException}, never
 * any other exception.
 */
class ConfigFuzzTest {

  private static final long SEED = 7_000_003L;
  private static final int CASES = 3000 * Fuzz.SCALE;
  private static final List<String> VALUES = List.of("-1", "0", "1", "1e309", "-1e309", ".nan", ".inf", "NaN", "~",
      "null", "[]", "{}", "\"\"", "''", "'", "\"", "!!binary AAAA", "!!java.io.File /tmp", "&a 1", "*a", "*undefined",
      "<<: *a", "9999999999999999999999999999999999999", "true", "yes", "no", "0x1F", "0o17", "P1D", "R/PT0S", "R0/PT1S",
      "PT-1S", "2026-11-23", "é🚀", "\t", "|", ">", "- x", "[1, 2", "{a: 1", "? x", "%YAML 1.1", "@x", "`x`",
      "IMMEDIATE", "immediate", "BISECT", "PASS", "FAIL", "65536", "8080", "1.5", "-0.0", "2147483648",
      "-9223372036854775809", "key: value", "\"\\u0000\"", "\"\\x\"");
  private static final List<String> CHARS = List.of(":", "-", "[", "]", "{", "}", "\"", "'", "\t", "\n", "#", "&", "*",
      "!", "%", "@", "`", "|", ">", ",", "?", "\u0000", "\u00a0", "\ufeff", " ");

  @Test
  void mutatedShippedConfigurationIsValidOrAConfigExceptionNeverAnythingElse() throws IOException {
    String shipped = Files.readString(ProjectRoot.resolve("config/cortex.yaml"));
    assertThat(ConfigLoader.parse(shipped, "cortex.yaml")).isNotNull();
    Random random = new Random(SEED);
    List<String> failures = new ArrayList<>();
    int valid = 0;
    int rejected = 0;
    for (int n = 0; n < CASES; n++) {
      String yaml = mutate(random, shipped);
      try {
        CortexConfig config = ConfigLoader.parse(yaml, "fuzz.yaml");
        valid++;
        String broken = violatedRange(config);
        if (broken != null) {
          failures.add("case " + n + ": accepted out of range " + broken + " in:\n" + Fuzz.show(yaml));
        }
      } catch (ConfigException e) {
        rejected++;
        if (e.getMessage() == null || !e.getMessage().contains("fuzz.yaml")) {
          failures.add("case " + n + ": a ConfigException that does not name the file: " + e.getMessage());
        }
      } catch (Throwable t) {
        failures.add("case " + n + ": " + t + " for:\n" + Fuzz.show(yaml));
      }
    }
    assertThat(failures).as("fuzz failures").isEmpty();
    assertThat(valid).isPositive();
    assertThat(rejected).isGreaterThan(CASES / 4);
    System.out.printf("reliability/fuzz-config: seed=%d cases=%d valid=%d rejected=%d failures=%d%n", SEED, CASES,
        valid, rejected, failures.size());
  }

  @Test
  void hostileYamlDocumentsAreConfigExceptions() {
    StringBuilder deep = new StringBuilder("checkpoint: ");
    deep.append("[".repeat(5000));
    StringBuilder bomb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (char c = 'b'; c <= 'j'; c++) {
      char p = (char) (c - 1);
      bomb.append(c).append(": &").append(c).append(" [*").append(p).append(",*").append(p).append(",*").append(p)
          .append(",*").append(p).append(",*").append(p).append(",*").append(p).append(",*").append(p).append(",*")
          .append(p).append(",*").append(p).append("]\n");
    }
    for (String yaml : List.of(deep.toString(), bomb.toString(), "\u0000", "--- !!python/object:os.system x",
        "checkpoint: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://x/\"]]]]",
        "checkpoint:\n  maxCheckpoints: 1\ncheckpoint:\n  maxCheckpoints: 2\n", "x".repeat(100_000) + ":")) {
      Throwable failure = null;
      try {
        ConfigLoader.parse(yaml, "hostile.yaml");
      } catch (Throwable t) {
        failure = t;
      }
      assertThat(failure).as(Fuzz.show(yaml.substring(0, Math.min(80, yaml.length()))))
          .isInstanceOf(ConfigException.class).hasMessageContaining("hostile.yaml");
    }
  }

  /** One to three mutations of the text. */
  static String mutate(Random random, String yaml) {
    String text = yaml;
    int mutations = 1 + random.nextInt(3);
    for (int m = 0; m < mutations; m++) {
      List<String> lines = new ArrayList<>(text.lines().toList());
      if (lines.isEmpty()) {
        lines.add("");
      }
      int i = random.nextInt(lines.size());
      switch (random.nextInt(9)) {
        case 0 -> lines.remove(i);
        case 1 -> lines.add(i, lines.get(i));
        case 2 -> {
          int j = random.nextInt(lines.size());
          String t = lines.get(i);
          lines.set(i, lines.get(j));
          lines.set(j, t);
        }
        case 3 -> lines.set(i, random.nextBoolean() ? " ".repeat(1 + random.nextInt(3)) + lines.get(i)
            : lines.get(i).replaceFirst("^ {1,2}", ""));
        case 4, 5 -> {
          String line = lines.get(i);
          int colon = line.indexOf(':');
          if (colon >= 0 && !line.strip().startsWith("#")) {
            lines.set(i, line.substring(0, colon + 1) + " " + Fuzz.pick(random, VALUES));
          } else {
            lines.set(i, line + Fuzz.pick(random, VALUES));
          }
        }
        case 6 -> {
          String line = lines.get(i);
          int at = random.nextInt(line.length() + 1);
          lines.set(i, random.nextBoolean() || line.isEmpty() ? line.substring(0, at) + Fuzz.pick(random, CHARS)
              + line.substring(at) : line.substring(0, Math.max(0, at - 1)) + line.substring(at));
        }
        case 7 -> lines.add(i, (random.nextBoolean() ? "  " : "") + Fuzz.word(random, 12) + ": "
            + Fuzz.pick(random, VALUES));
        default -> {
          String joined = String.join("\n", lines);
          return joined.substring(0, random.nextInt(joined.length() + 1));
        }
      }
      text = String.join("\n", lines) + "\n";
    }
    return text;
  }

  /** The documented ranges (docs/configuration.md) a parsed configuration must be within; null when it is. */
  private static String violatedRange(CortexConfig c) {
    if (c.checkpoint().maxCheckpoints() < 1) {
      return "checkpoint.maxCheckpoints";
    }
    if (c.checkpoint().retentionMs() < 0 || c.checkpoint().minIntervalMs() < 0) {
      return "checkpoint.retentionMs/minIntervalMs";
    }
    if (c.checkpoint().maxFileSizeBytes() < 1) {
      return "checkpoint.maxFileSizeBytes";
    }
    if (c.checkpoint().autoCheckpoint().intervalMs() < 1000) {
      return "checkpoint.autoCheckpoint.intervalMs";
    }
    if (c.recovery().retry().maxAttempts() < 1 || c.recovery().retry().maxAttempts() > 100
        || c.recovery().retry().initialDelayMs() < 0 || !(c.recovery().retry().backoffMultiplier() >= 1.0)) {
      return "recovery.retry";
    }
    if (c.server().port() < 1 || c.server().port() > 65535) {
      return "server.port";
    }
    if (c.retention().maxTotalBytes() < 0) {
      return "retention.maxTotalBytes";
    }
    return null;
  }
}
