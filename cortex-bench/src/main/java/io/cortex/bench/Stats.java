package io.cortex.bench;

import java.util.Arrays;

/** Timings of one measured operation, in milliseconds: median and p95 (nearest rank). */
record Stats(double[] ms) {

  static Stats of(double[] ms) {
    return new Stats(ms.clone());
  }

  int n() {
    return ms.length;
  }

  double median() {
    return percentile(50);
  }

  double p95() {
    return percentile(95);
  }

  double min() {
    return Arrays.stream(ms).min().orElse(Double.NaN);
  }

  double max() {
    return Arrays.stream(ms).max().orElse(Double.NaN);
  }

  double mean() {
    return Arrays.stream(ms).average().orElse(Double.NaN);
  }

  /** Nearest-rank percentile; the median of an even count is the mean of the two middle values. */
  double percentile(double p) {
    if (ms.length == 0) {
      return Double.NaN;
    }
    double[] sorted = ms.clone();
    Arrays.sort(sorted);
    if (p == 50) {
      int mid = sorted.length / 2;
      return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  /** A sub-range [from, to) of the samples (for drift windows). */
  Stats slice(int from, int to) {
    return new Stats(Arrays.copyOfRange(ms, from, to));
  }

  String summary() {
    return String.format("n=%d median=%s p95=%s min=%s max=%s", n(), Report.fmt(median()), Report.fmt(p95()),
        Report.fmt(min()), Report.fmt(max()));
  }
}
