package io.cortex.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Collected figures: the main table (Cortex vs native), other facts, and the goals of issue 6. */
final class Report {

  record Row(String section, String operation, String size, Stats cortex, Stats reference, String referenceName,
             String note) {

    double ratio() {
      return cortex == null || reference == null ? Double.NaN : cortex.median() / reference.median();
    }
  }

  record Goal(String goal, String target, String measured, Boolean met) {
  }

  final List<Row> rows = new ArrayList<>();
  final Map<String, Row> byKey = new LinkedHashMap<>();
  final List<String[]> facts = new ArrayList<>();
  final List<Goal> goals = new ArrayList<>();

  Row add(String key, String section, String operation, String size, Stats cortex, Stats reference,
          String referenceName, String note) {
    Row row = new Row(section, operation, size, cortex, reference, referenceName, note == null ? "" : note);
    rows.add(row);
    byKey.put(key, row);
    Bench.out.println(line(row));
    return row;
  }

  Row get(String key) {
    return byKey.get(key);
  }

  void fact(String section, String text) {
    facts.add(new String[] {section, text});
    Bench.out.println("  [" + section + "] " + text);
  }

  void goal(String goal, String target, String measured, Boolean met) {
    goals.add(new Goal(goal, target, measured, met));
  }

  static String fmt(double ms) {
    if (Double.isNaN(ms)) {
      return "-";
    }
    if (ms < 10) {
      return String.format(Locale.ROOT, "%.2f", ms);
    }
    if (ms < 100) {
      return String.format(Locale.ROOT, "%.1f", ms);
    }
    return String.format(Locale.ROOT, "%.0f", ms);
  }

  static String ratio(double r) {
    return Double.isNaN(r) ? "-" : String.format(Locale.ROOT, "%.2fx", r);
  }

  private static String line(Row r) {
    return String.format(Locale.ROOT, "%-11s %-46s %-7s %9s %9s | %9s %9s %8s  %s %s",
        r.section(), r.operation(), r.size(),
        r.cortex() == null ? "-" : fmt(r.cortex().median()), r.cortex() == null ? "-" : fmt(r.cortex().p95()),
        r.reference() == null ? "-" : fmt(r.reference().median()), r.reference() == null ? "-" : fmt(r.reference().p95()),
        ratio(r.ratio()), r.referenceName() == null ? "" : "[" + r.referenceName() + "]", r.note());
  }

  String textTable() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-11s %-46s %-7s %9s %9s | %9s %9s %8s  %s%n", "section", "operation", "size",
        "C median", "C p95", "N median", "N p95", "ratio", "[native reference] note"));
    for (Row r : rows) {
      sb.append(line(r)).append('\n');
    }
    sb.append("\nGoals of issue 6:\n");
    for (Goal g : goals) {
      sb.append(String.format(Locale.ROOT, "  %-8s %s (%s): %s%n", g.met() == null ? "n/a" : g.met() ? "MET" : "NOT MET",
          g.goal(), g.target(), g.measured()));
    }
    return sb.toString();
  }

  String markdownTable() {
    StringBuilder sb = new StringBuilder();
    sb.append("| section | operation | size | Cortex median | Cortex p95 | native median | native p95 | ratio | native reference / note |\n");
    sb.append("|---|---|---|--:|--:|--:|--:|--:|---|\n");
    for (Row r : rows) {
      sb.append("| ").append(r.section()).append(" | ").append(esc(r.operation())).append(" | ").append(r.size())
          .append(" | ").append(r.cortex() == null ? "-" : fmt(r.cortex().median()))
          .append(" | ").append(r.cortex() == null ? "-" : fmt(r.cortex().p95()))
          .append(" | ").append(r.reference() == null ? "-" : fmt(r.reference().median()))
          .append(" | ").append(r.reference() == null ? "-" : fmt(r.reference().p95()))
          .append(" | ").append(ratio(r.ratio()))
          .append(" | ").append(esc((r.referenceName() == null ? "" : "`" + r.referenceName() + "`")
              + (r.note().isEmpty() ? "" : " — " + r.note())))
          .append(" |\n");
    }
    return sb.toString();
  }

  String markdownFacts() {
    StringBuilder sb = new StringBuilder();
    for (String[] f : facts) {
      sb.append("- **").append(f[0]).append("**: ").append(esc(f[1])).append('\n');
    }
    return sb.toString();
  }

  String markdownGoals() {
    StringBuilder sb = new StringBuilder("| goal | target | measured (this run) | status |\n|---|---|---|---|\n");
    for (Goal g : goals) {
      sb.append("| ").append(esc(g.goal())).append(" | ").append(esc(g.target())).append(" | ").append(esc(g.measured()))
          .append(" | ").append(g.met() == null ? "not measured" : g.met() ? "**met**" : "**not met**").append(" |\n");
    }
    return sb.toString();
  }

  private static String esc(String s) {
    return s.replace("|", "\\|");
  }
}
