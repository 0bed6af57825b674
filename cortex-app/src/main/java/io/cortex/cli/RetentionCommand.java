package io.cortex.cli;

import io.cortex.Cortex;
import io.cortex.config.CortexConfig;
import io.cortex.retention.RetentionDeletion;
import io.cortex.retention.RetentionReason;
import io.cortex.retention.RetentionReport;
import io.cortex.views.JsonViews;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "retention", description = {
    "Apply the retention rules now (count, age, total size); the server does it on its schedule.",
    "Never deletes the newest checkpoint of a running session nor a PRE_ROLLBACK checkpoint younger than the retention"
        + " period. --dry-run lists what would go and deletes nothing."})
final class RetentionCommand extends CliCommand {

  @Option(names = "--dry-run", description = "Only list what would be deleted now.")
  boolean dryRun;

  @Option(names = "--json", description = "Print {dryRun, deleted[], perRule, kept, notes} as JSON.")
  boolean json;

  @Override
  void run(Cortex cortex, PrintWriter out) {
    RetentionReport report = dryRun ? cortex.previewRetention() : cortex.applyRetention();
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("dryRun", dryRun);
      m.put("deleted", report.deleted().stream().map(d -> {
        Map<String, Object> c = JsonViews.checkpoint(d.checkpoint());
        c.put("rule", d.reason().name());
        c.put("sizeBytes", d.sizeBytes());
        return c;
      }).toList());
      Map<String, Integer> perRule = new LinkedHashMap<>();
      report.deletedPerReason().forEach((reason, n) -> perRule.put(reason.name(), n));
      m.put("perRule", perRule);
      m.put("kept", report.kept());
      m.put("notes", report.problems());
      printJson(out, m);
      return;
    }
    int n = report.deletedCount();
    out.printf("%s %d checkpoint%s%s; %d kept.%n", dryRun ? "Would delete" : "Deleted", n, n == 1 ? "" : "s",
        n == 0 ? "" : " (" + perRule(report, cortex.config()) + ")", report.kept());
    for (RetentionDeletion d : report.deleted()) {
      out.printf("  %s/%s  %s  %s%n", d.checkpoint().sessionId(), d.checkpoint().checkpointId(), d.checkpoint().type(),
          because(d.reason()));
    }
    report.problems().forEach(p -> out.println("  note: " + p));
    if (dryRun) {
      out.println("Nothing was deleted (dry run).");
    }
  }

  /** e.g. "22 over the limit of 10 per session, 1 older than 30 days". */
  private static String perRule(RetentionReport report, CortexConfig config) {
    List<String> parts = new ArrayList<>();
    report.deletedPerReason().forEach((reason, n) -> {
      if (n > 0) {
        parts.add(n + " " + switch (reason) {
          case COUNT -> "over the limit of " + config.checkpoint().maxCheckpoints() + " per session";
          case AGE -> "older than " + readable(Duration.ofMillis(config.checkpoint().retentionMs()));
          case SIZE -> "over the size limit of " + config.retention().maxTotalBytes() + " bytes per repository";
        });
      }
    });
    return String.join(", ", parts);
  }

  private static String because(RetentionReason reason) {
    return switch (reason) {
      case COUNT -> "(too many in its session)";
      case AGE -> "(too old)";
      case SIZE -> "(repository over its size limit)";
    };
  }

  private static String readable(Duration d) {
    if (d.toDays() >= 1 && d.toHoursPart() == 0) {
      return d.toDays() + (d.toDays() == 1 ? " day" : " days");
    }
    if (d.toHours() >= 1 && d.toMinutesPart() == 0) {
      return d.toHours() + (d.toHours() == 1 ? " hour" : " hours");
    }
    return d.toMinutes() + " min";
  }
}
