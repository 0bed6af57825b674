package io.cortex.cli;

import io.cortex.query.CatalogueReads;
import io.cortex.audit.AuditEntry;
import io.cortex.base.Json;
import io.cortex.views.JsonViews;
import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "audit", description = "Show the audit log: checkpoints, safety refusals, rollbacks and undos.")
final class AuditCommand extends ReadOnlyCommand {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  @Option(names = "--session", paramLabel = "ID", description = "Only this session.")
  String session;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "The newest N entries (default 100).")
  int limit;

  @Option(names = "--json", description = "Print as JSON.")
  boolean json;

  @Override
  void read(CatalogueReads reads, PrintWriter out) {
    if (limit < 1) {
      throw new io.cortex.base.CortexException("--limit must be at least 1, got " + limit);
    }
    if (session != null) {
      reads.session(session); // an unknown session is an error here as in every other command, not an empty log
    }
    List<AuditEntry> entries = reads.audit(session, limit);
    if (json) {
      printJson(out, entries.stream().map(JsonViews::audit).toList());
      return;
    }
    out.printf("%-20s %-20s %-20s %-12s %-8s %s%n", "TIME (UTC)", "ACTION", "SESSION", "ACTOR", "OUTCOME", "DETAILS");
    for (AuditEntry e : entries) {
      out.printf("%-20s %-20s %-20s %-12s %-8s %s%n", TIME.format(e.timestamp()), e.action(), e.sessionId(), e.actor(),
          e.outcome(), Json.write(e.details()));
    }
  }
}
