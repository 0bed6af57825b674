package io.cortex.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When and how far checkpoints are cleaned up ({@code retention} section). The retention timer
 * runs on {@code schedule}; each run also applies {@code checkpoint.maxCheckpoints} and
 * {@code checkpoint.retentionMs}.
 *
 * <pre>{@code
 * new RetentionConfig("R/PT1H", 0).interval();   // PT1H
 * }</pre>
 *
 * @param schedule ISO-8601 repeating interval of the retention timer: {@code R/PT1H} (for
 *     ever), {@code R5/PT10M} (5 times) or just a duration {@code PT30M}; the interval is at
 *     least {@value #MIN_INTERVAL_TEXT}
 * @param maxTotalBytes per repository, the bytes checkpoints may hold beyond their base commits
 *     before the oldest are pruned; {@code 0} means no limit
 */
public record RetentionConfig(String schedule, long maxTotalBytes) {

  public static final String DEFAULT_SCHEDULE = "R/PT1H";
  public static final long DEFAULT_MAX_TOTAL_BYTES = 0L;
  public static final long MIN_MAX_TOTAL_BYTES = 0L;
  /** Shortest interval of the schedule (short enough for tests; production uses minutes). */
  public static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
  static final String MIN_INTERVAL_TEXT = "PT1S";
  static final String SCHEDULE_RULE = "an ISO-8601 repeating interval R/PT..., R<n>/PT... or a"
      + " duration PT... (e.g. R/PT1H) of at least " + MIN_INTERVAL_TEXT;
  private static final Pattern SCHEDULE = Pattern.compile("(?:R(\\d*)/)?(PT[0-9.HMS]+)");

  public RetentionConfig {
    String problem = scheduleProblem(schedule).orElse(null);
    if (problem != null) {
      throw ConfigException.invalidValue("retention.schedule: " + problem);
    }
    Ranges.requireInteger(
        "retention.maxTotalBytes", maxTotalBytes, MIN_MAX_TOTAL_BYTES, Long.MAX_VALUE);
  }

  /** Every hour, no size limit. */
  public static RetentionConfig defaults() {
    return new RetentionConfig(DEFAULT_SCHEDULE, DEFAULT_MAX_TOTAL_BYTES);
  }

  /** The time between two runs of the retention timer ({@code PT1H} for {@code R/PT1H}). */
  public Duration interval() {
    Matcher matcher = SCHEDULE.matcher(schedule);
    if (!matcher.matches()) {
      throw new IllegalStateException("unchecked schedule " + schedule);
    }
    return Duration.parse(matcher.group(2));
  }

  /** Whether the size limit applies ({@code maxTotalBytes > 0}). */
  public boolean limitsTotalSize() {
    return maxTotalBytes > 0;
  }

  /** What is wrong with {@code schedule} ({@code "expected ..., got ..."}), if anything. */
  static Optional<String> scheduleProblem(String schedule) {
    String got = ", got " + YamlValues.describe(schedule);
    Matcher matcher = schedule == null ? null : SCHEDULE.matcher(schedule);
    if (matcher == null || !matcher.matches()) {
      return Optional.of("expected " + SCHEDULE_RULE + got);
    }
    String repetitions = matcher.group(1);
    if (repetitions != null && !repetitions.isEmpty() && !repetitions.matches("0*[1-9]\\d*")) {
      return Optional.of("expected " + SCHEDULE_RULE + got + " (repeats 0 times)");
    }
    Duration interval;
    try {
      interval = Duration.parse(matcher.group(2));
    } catch (DateTimeParseException e) {
      return Optional.of("expected " + SCHEDULE_RULE + got + " (" + matcher.group(2)
          + " is not a duration like PT1H, PT30M or PT1H30M)");
    }
    if (interval.compareTo(MIN_INTERVAL) < 0) {
      return Optional.of("expected " + SCHEDULE_RULE + got + " (the interval is too short)");
    }
    return Optional.empty();
  }
}
