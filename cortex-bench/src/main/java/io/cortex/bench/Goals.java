package io.cortex.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The goals of issue 6, judged on this run's figures (medians, warm JVM, same run). */
final class Goals {

  private Goals() {
  }

  static void evaluate(Bench.Config config, Report r) {
    checkpointGoals(config, r);
    noopGoals(config, r);
    coldGoals(r);
    listingGoals(r);
    rollbackGoals(config, r);
    historyGoal(r);
    sequentialGoals(config, r);
    engineGoals(r);
    cliGoal(r);
  }

  private static void checkpointGoals(Bench.Config config, Report r) {
    for (int size : config.sizes) {
      double limit = size >= 50_000 ? 1.5 : 1.0;
      List<String> parts = new ArrayList<>();
      boolean met = true;
      boolean any = false;
      for (CheckpointSection.Change c : CheckpointSection.Change.values()) {
        Report.Row row = r.get("checkpoint/" + size + "/" + c.name());
        if (row == null) {
          continue;
        }
        any = true;
        parts.add(c.label + " " + Report.ratio(row.ratio()) + " (" + Report.fmt(row.cortex().median()) + " vs "
            + Report.fmt(row.reference().median()) + " ms)");
        met &= row.ratio() <= limit;
      }
      r.goal("Checkpoint creation at " + CheckpointSection.label(size) + " files", "≤ " + limit + "× native",
          any ? String.join("; ", parts) : "not run", any ? met : null);
    }
  }

  private static void noopGoals(Bench.Config config, Report r) {
    for (int size : config.sizes) {
      Report.Row row = r.get("noop/" + size);
      r.goal("No-op checkpoint at " + CheckpointSection.label(size) + " files", "≤ 1.5× git status --porcelain",
          row == null ? "not run" : Report.ratio(row.ratio()) + " (" + Report.fmt(row.cortex().median()) + " vs "
              + Report.fmt(row.reference().median()) + " ms)", row == null ? null : row.ratio() <= 1.5);
    }
  }

  private static void coldGoals(Report r) {
    Report.Row inside = r.get("cold/10000/ONE/inside");
    Report.Row wall = r.get("cold/10000/ONE/wall");
    r.goal("Cold first checkpoint in a new JVM, 10k files (1 file changed)", "≤ 500 ms (checkpoint inside the new JVM)",
        inside == null ? "not run" : Report.fmt(inside.cortex().median()) + " ms median, p95 " + Report.fmt(inside.cortex().p95()),
        inside == null ? null : inside.cortex().median() <= 500);
    r.goal("Cold first checkpoint, strict reading (JVM start to exit)", "≤ 500 ms wall",
        wall == null ? "not run" : Report.fmt(wall.cortex().median()) + " ms median wall (native checkpoint "
            + Report.fmt(wall.reference().median()) + " ms)", wall == null ? null : wall.cortex().median() <= 500);
  }

  private static void listingGoals(Report r) {
    Report.Row loose = r.get("listing/1000/loose/others");
    Report.Row packed = r.get("listing/1000/packed/others");
    if (loose == null) {
      r.goal("Listing 1,000 checkpoints", "< 10 ms and ≤ git for-each-ref", "not run", null);
      return;
    }
    double c = loose.cortex().median();
    r.goal("Listing 1,000 checkpoints (10k in other sessions)", "< 10 ms and ≤ git for-each-ref (loose and packed)",
        String.format(Locale.ROOT, "%s ms; for-each-ref %s ms loose, %s ms packed", Report.fmt(c),
            Report.fmt(loose.reference().median()), Report.fmt(packed.reference().median())),
        c < 10 && c <= loose.reference().median() && c <= packed.reference().median());
    List<String> parts = new ArrayList<>();
    boolean met = true;
    for (int n : ListingSection.COUNTS) {
      Report.Row alone = r.get("listing/" + n + "/loose");
      Report.Row others = r.get("listing/" + n + "/loose/others");
      double ratio = others.cortex().median() / alone.cortex().median();
      parts.add(String.format(Locale.ROOT, "%d: %s -> %s ms (%.2fx)", n, Report.fmt(alone.cortex().median()),
          Report.fmt(others.cortex().median()), ratio));
      met &= ratio <= 1.2 || others.cortex().median() - alone.cortex().median() < 0.2;
    }
    r.goal("Listing unaffected by other sessions", "with 10k checkpoints in other sessions ≤ 1.2× (or < 0.2 ms more)",
        String.join("; ", parts), met);
  }

  private static void rollbackGoals(Bench.Config config, Report r) {
    for (int size : config.sizes) {
      List<String> parts = new ArrayList<>();
      boolean met = true;
      boolean any = false;
      for (String kind : new String[] {"ONE", "ONE_PERCENT", "ALL", "UNTRACKED", "UNDO"}) {
        Report.Row row = r.get("rollback/" + size + "/" + kind);
        if (row == null) {
          continue;
        }
        any = true;
        parts.add(kind.toLowerCase(Locale.ROOT).replace('_', ' ') + " " + Report.ratio(row.ratio()));
        met &= row.ratio() <= 1.5;
      }
      if (any) {
        r.goal("Rollback and undo at " + CheckpointSection.label(size) + " files", "≤ 1.5× native", String.join("; ", parts), met);
      }
    }
  }

  private static void historyGoal(Report r) {
    Report.Row cold = r.get("history/20/cold");
    Report.Row warm = r.get("history/20/warm");
    r.goal("History of 20 commits, warm JVM", "< 20 ms",
        cold == null ? "not run" : Report.fmt(cold.cortex().median()) + " ms with a cold CommitHistory cache, "
            + Report.fmt(warm.cortex().median()) + " ms cached (git log -20: " + Report.fmt(cold.reference().median()) + " ms)",
        cold == null ? null : cold.cortex().median() < 20);
  }

  private static void sequentialGoals(Bench.Config config, Report r) {
    for (String key : new String[] {"git", "facade"}) {
      Report.Row first = r.get("sequential/" + key + "/first");
      Report.Row last = r.get("sequential/" + key + "/last");
      if (first == null) {
        continue;
      }
      double ratio = last.cortex().p95() / first.cortex().p95();
      r.goal("Sequential checkpoints (" + (key.equals("git") ? "git level" : "facade, catalogue included") + "), "
              + config.sequential + " in a row", "p95 of last window ≤ 1.2× p95 of first",
          String.format(Locale.ROOT, "p95 %s -> %s ms (%.2fx); native %s -> %s ms", Report.fmt(first.cortex().p95()),
              Report.fmt(last.cortex().p95()), ratio, Report.fmt(first.reference().p95()), Report.fmt(last.reference().p95())),
          ratio <= 1.2);
    }
  }

  private static void engineGoals(Report r) {
    Report.Row stub = r.get("engine/stub/instance");
    Report.Row git = r.get("engine/git/phase");
    Report.Row git1k = r.get("engine/git/1k");
    if (stub == null) {
      r.goal("Engine overhead, git stubbed", "≤ 10% of raw throughput", "not run", null);
      return;
    }
    double overhead = stub.cortex().median() / stub.reference().median() - 1;
    r.goal("Engine overhead, git stubbed (empty repository)", "≤ 10% of raw throughput",
        String.format(Locale.ROOT, "+%.0f%% time per instance (%s vs %s ms; %s)", overhead * 100,
            Report.fmt(stub.cortex().median()), Report.fmt(stub.reference().median()), stub.note()), overhead <= 0.10);
    Report.Row gitEmpty = r.get("engine/git/empty");
    double derived = (stub.cortex().median() - stub.reference().median() - 6 * gitEmpty.cortex().median())
        / stub.reference().median();
    r.goal("Engine overhead without the git work (derived)", "≤ 10% of raw throughput",
        String.format(Locale.ROOT, "%+.0f%%: (%s - %s - 6 x %s ms git on the empty repo) / %s ms", derived * 100,
            Report.fmt(stub.cortex().median()), Report.fmt(stub.reference().median()), Report.fmt(gitEmpty.cortex().median()),
            Report.fmt(stub.reference().median())), derived <= 0.10);
    double expected = git.reference().median() + git1k.cortex().median();
    double actual = git.cortex().median();
    r.goal("Engine with git (1k files): phase latency ≈ raw + checkpoint", "within ±20% of raw phase + no-op checkpoint",
        String.format(Locale.ROOT, "%s ms vs %s + %s = %s ms (%+.0f%%)", Report.fmt(actual), Report.fmt(git.reference().median()),
            Report.fmt(git1k.cortex().median()), Report.fmt(expected), (actual / expected - 1) * 100),
        Math.abs(actual / expected - 1) <= 0.20);
  }

  private static void cliGoal(Report r) {
    // the CLI's own goals (every round against native git) are set by ResidentCliSection; this is the seed's
    Report.Row status = r.get("cli/status");
    r.goal("CLI call (./cortex status against the resident process)", "≤ 2.5 s",
        status == null ? "not run" : Report.fmt(status.cortex().median()) + " ms median, max "
            + Report.fmt(status.cortex().max()), status == null ? null : status.cortex().max() <= 2500);
  }

}
