package io.cortex.git;

import io.cortex.progress.ProgressEvent;
import io.cortex.progress.ProgressListener;
import java.nio.file.Path;

/** Counts one step's files and bytes and tells a listener, at most every {@value #INTERVAL_NANOS} ns and at the end. */
final class ProgressReporter {

  private static final long INTERVAL_NANOS = 50_000_000L;

  private final ProgressListener listener;
  private final Path repository;
  private final String step;
  private final long total;
  private long done;
  private long bytes;
  private long lastReport;

  ProgressReporter(ProgressListener listener, Path repository, String step, long total) {
    this.listener = listener;
    this.repository = repository;
    this.step = step;
    this.total = total;
    this.lastReport = System.nanoTime();
    if (listener != ProgressListener.NONE) {
      listener.onProgress(new ProgressEvent(repository, step, 0, total, 0, false));
    }
  }

  void advance(long length) {
    done++;
    bytes += Math.max(0, length);
    if (listener == ProgressListener.NONE) {
      return;
    }
    long now = System.nanoTime();
    if (now - lastReport >= INTERVAL_NANOS) {
      lastReport = now;
      listener.onProgress(new ProgressEvent(repository, step, done, total, bytes, false));
    }
  }

  void finish() {
    if (listener != ProgressListener.NONE) {
      listener.onProgress(new ProgressEvent(repository, step, done, Math.max(total, done), bytes, true));
    }
  }
}
