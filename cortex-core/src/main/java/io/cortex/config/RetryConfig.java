package io.cortex.config;

import java.util.ArrayList;
import java.util.List;

/**
 * How often and how patiently a failed step is retried ({@code recovery.retry}). The delay before
 * retry {@code i} (counting from 0) is {@code initialDelayMs * backoffMultiplier^i}.
 *
 * <pre>{@code
 * new RetryConfig(3, 1000, 2.0).delaysMs();   // [1000, 2000]
 * }</pre>
 *
 * @param maxAttempts attempts in total, the first one included, between 1 and 100
 * @param initialDelayMs delay before the first retry, 0 or more
 * @param backoffMultiplier factor applied to each further delay, at least 1.0
 */
public record RetryConfig(int maxAttempts, long initialDelayMs, double backoffMultiplier) {

  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  public static final int MIN_MAX_ATTEMPTS = 1;
  public static final int MAX_MAX_ATTEMPTS = 100;
  public static final long DEFAULT_INITIAL_DELAY_MS = 1_000L;
  public static final long MIN_INITIAL_DELAY_MS = 0L;
  public static final double DEFAULT_BACKOFF_MULTIPLIER = 2.0;
  public static final double MIN_BACKOFF_MULTIPLIER = 1.0;

  public RetryConfig {
    Ranges.requireInteger(
        "recovery.retry.maxAttempts", maxAttempts, MIN_MAX_ATTEMPTS, MAX_MAX_ATTEMPTS);
    Ranges.requireInteger(
        "recovery.retry.initialDelayMs", initialDelayMs, MIN_INITIAL_DELAY_MS, Long.MAX_VALUE);
    Ranges.requireNumber(
        "recovery.retry.backoffMultiplier", backoffMultiplier, MIN_BACKOFF_MULTIPLIER);
  }

  /** 3 attempts, 1 s before the first retry, doubling after that. */
  public static RetryConfig defaults() {
    return new RetryConfig(
        DEFAULT_MAX_ATTEMPTS, DEFAULT_INITIAL_DELAY_MS, DEFAULT_BACKOFF_MULTIPLIER);
  }

  /**
   * The {@code maxAttempts - 1} waits between attempts, in milliseconds, each rounded to a whole
   * millisecond (and capped at {@link Long#MAX_VALUE}).
   */
  public List<Long> delaysMs() {
    List<Long> delays = new ArrayList<>(maxAttempts - 1);
    for (int retry = 0; retry < maxAttempts - 1; retry++) {
      delays.add(Math.round(initialDelayMs * Math.pow(backoffMultiplier, retry)));
    }
    return List.copyOf(delays);
  }
}
