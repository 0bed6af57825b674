package io.cortex.cli;

import io.cortex.Cortex;
import io.cortex.retention.RetentionReport;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

@Command(name = "retention", description = "Apply the retention rules now (count, age, total size); the server does it on its schedule.")
final class RetentionCommand extends CliCommand {

  @Override
  void run(Cortex cortex, PrintWriter out) {
    RetentionReport report = cortex.applyRetention();
    out.printf("Deleted %d checkpoint%s (%s), kept %d.%n", report.deletedCount(), report.deletedCount() == 1 ? "" : "s",
        report.deletedPerReason(), report.kept());
    report.deleted().forEach(d -> out.printf("  %s/%s (%s)%n", d.checkpoint().sessionId(), d.checkpoint().checkpointId(),
        d.reason()));
    report.problems().forEach(p -> out.println("  note: " + p));
  }
}
