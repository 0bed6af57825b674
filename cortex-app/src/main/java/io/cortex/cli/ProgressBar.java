package io.cortex.cli;

import io.cortex.progress.ProgressEvent;
import io.cortex.progress.ProgressListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * The CLI's progress on stderr. On a terminal, a bar redrawn in place once a step has run for a moment:
 * {@code Scanning files [=======>      ] 10234/20000 files  12.3 MB  ETA 4s}. Elsewhere (a pipe, a log file),
 * one line when a step that took a while ends: {@code cortex: scanned 20000 files (24.6 MB) in 3.2 s}. Steps that
 * end quickly print nothing either way, so short commands stay quiet.
 */
final class ProgressBar implements ProgressListener {

  /** A step shows progress only after this long (ms); {@code CORTEX_PROGRESS_AFTER_MS} changes it (0: always). */
  static final long DEFAULT_AFTER_MS = 500;
  private static final int WIDTH = 28;

  private final PrintWriter err;
  private final boolean terminal;
  private final long afterNanos;
  private String step;
  private long startedNanos;
  private boolean drawn;
  private int lastLength;

  ProgressBar(PrintWriter err, boolean terminal, long afterMs) {
    this.err = err;
    this.terminal = terminal;
    this.afterNanos = afterMs * 1_000_000L;
  }

  static long afterMs(java.util.Map<String, String> environment) {
    try {
      String value = environment.get("CORTEX_PROGRESS_AFTER_MS");
      return value == null ? DEFAULT_AFTER_MS : Math.max(0, Long.parseLong(value.trim()));
    } catch (NumberFormatException e) {
      return DEFAULT_AFTER_MS;
    }
  }

  @Override
  public synchronized void onProgress(ProgressEvent e) {
    long now = System.nanoTime();
    if (!e.step().equals(step) || (e.done() == 0 && !e.finished())) {
      step = e.step();
      startedNanos = now;
      drawn = false;
      lastLength = 0;
    }
    long elapsed = now - startedNanos;
    if (terminal) {
      if (elapsed >= afterNanos || drawn) {
        String line = bar(e, elapsed);
        err.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
        lastLength = line.length();
        drawn = true;
        if (e.finished()) {
          err.println();
        }
        err.flush();
      }
    } else if (e.finished() && elapsed >= afterNanos) {
      err.printf("cortex: %s %d file%s (%s) in %.1f s%n", pastTense(e.step()), e.done(), e.done() == 1 ? "" : "s",
          bytes(e.bytes()), elapsed / 1e9);
      err.flush();
    }
    if (e.finished()) {
      step = null;
    }
  }

  private static String bar(ProgressEvent e, long elapsedNanos) {
    StringBuilder line = new StringBuilder(e.step()).append(' ');
    if (e.total() > 0) {
      double fraction = Math.min(1.0, (double) e.done() / e.total());
      int filled = (int) Math.round(fraction * WIDTH);
      line.append('[').append("=".repeat(Math.max(0, filled - 1))).append(filled > 0 ? (fraction >= 1 ? "=" : ">") : "")
          .append(" ".repeat(WIDTH - filled)).append("] ").append(e.done()).append('/').append(Math.max(e.total(), e.done()));
    } else {
      line.append(e.done());
    }
    line.append(" files  ").append(bytes(e.bytes()));
    if (e.finished()) {
      line.append(String.format(Locale.ROOT, "  done in %.1f s", elapsedNanos / 1e9));
    } else if (e.total() > e.done() && e.done() > 0) {
      long etaSeconds = Math.round(elapsedNanos / 1e9 * (e.total() - e.done()) / e.done());
      line.append("  ETA ").append(etaSeconds >= 60 ? etaSeconds / 60 + "m" + etaSeconds % 60 + "s" : etaSeconds + "s");
    }
    return line.toString();
  }

  private static String pastTense(String step) {
    return switch (step) {
      case "Scanning files" -> "scanned";
      case "Writing files" -> "wrote or removed";
      default -> step.toLowerCase(Locale.ROOT) + ":";
    };
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    if (n < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KB", n / 1024.0);
    }
    if (n < 1024L * 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f MB", n / (1024.0 * 1024));
    }
    return String.format(Locale.ROOT, "%.2f GB", n / (1024.0 * 1024 * 1024));
  }
}
