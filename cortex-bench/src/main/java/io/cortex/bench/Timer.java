package io.cortex.bench;

/** Measures operations with warm-up and repeated runs; setup work between runs is not timed. */
final class Timer {

  interface Op {
    void run(int iteration) throws Exception;
  }

  private Timer() {
  }

  static double time(Op op, int iteration) {
    long start = System.nanoTime();
    try {
      op.run(iteration);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return (System.nanoTime() - start) / 1e6;
  }

  static void untimed(Op op, int iteration) {
    time(op, iteration);
  }

  /** {@code warmup} untimed-result runs, then {@code reps} timed runs of {@code op}, each after an untimed {@code setup}. */
  static Stats measure(int warmup, int reps, Op setup, Op op) {
    double[] samples = new double[reps];
    for (int i = 0; i < warmup + reps; i++) {
      if (setup != null) {
        untimed(setup, i);
      }
      double t = time(op, i);
      if (i >= warmup) {
        samples[i - warmup] = t;
      }
    }
    return Stats.of(samples);
  }

  /**
   * Cortex and native side by side: each iteration runs both (each after its own setup), the
   * order alternating so that neither always profits from the other's warm caches.
   */
  static Stats[] pair(int warmup, int reps, Op setupCortex, Op cortex, Op setupNative, Op nativeOp) {
    double[] c = new double[reps];
    double[] n = new double[reps];
    for (int i = 0; i < warmup + reps; i++) {
      double tc;
      double tn;
      if (i % 2 == 0) {
        if (setupCortex != null) {
          untimed(setupCortex, i);
        }
        tc = time(cortex, i);
        if (setupNative != null) {
          untimed(setupNative, i);
        }
        tn = time(nativeOp, i);
      } else {
        if (setupNative != null) {
          untimed(setupNative, i);
        }
        tn = time(nativeOp, i);
        if (setupCortex != null) {
          untimed(setupCortex, i);
        }
        tc = time(cortex, i);
      }
      if (i >= warmup) {
        c[i - warmup] = tc;
        n[i - warmup] = tn;
      }
    }
    return new Stats[] {Stats.of(c), Stats.of(n)};
  }

  /**
   * Several operations side by side: each round runs every one once, in an order that rotates
   * from round to round, so that a change of machine load hits them alike.
   */
  static Stats[] interleave(int warmup, int reps, Op... ops) {
    double[][] samples = new double[ops.length][reps];
    for (int i = 0; i < warmup + reps; i++) {
      for (int k = 0; k < ops.length; k++) {
        int which = (i + k) % ops.length;
        double t = time(ops[which], i);
        if (i >= warmup) {
          samples[which][i - warmup] = t;
        }
      }
    }
    Stats[] result = new Stats[ops.length];
    for (int k = 0; k < ops.length; k++) {
      result[k] = Stats.of(samples[k]);
    }
    return result;
  }
}
