package io.cortex.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RetentionConfigTest {

  private static final String SOURCE = "test.yaml";
  private static final String RULE = "expected an ISO-8601 repeating interval R/PT..., R<n>/PT..."
      + " or a duration PT... (e.g. R/PT1H) of at least PT1S";

  private static RetentionConfig retentionOf(String yaml) {
    return ConfigLoader.parse(yaml, SOURCE).retention();
  }

  private static ConfigException problemsIn(String yaml) {
    return catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, SOURCE));
  }

  @Test
  void defaultRunsHourlyWithoutASizeLimit() {
    // when
    RetentionConfig retention = RetentionConfig.defaults();

    // then
    assertThat(retention.schedule()).isEqualTo("R/PT1H");
    assertThat(retention.interval()).isEqualTo(Duration.ofHours(1));
    assertThat(retention.maxTotalBytes()).isZero();
    assertThat(retention.limitsTotalSize()).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
      "R/PT1H, PT1H",
      "R5/PT10M, PT10M",
      "R1/PT1H30M, PT1H30M",
      "PT30M, PT30M",
      "R/PT1S, PT1S",
      "PT1.5S, PT1.5S",
      "' R/PT2H ', PT2H"})
  void acceptsRepeatingIntervalsAndDurations(String schedule, String interval) {
    // when
    RetentionConfig retention = retentionOf("retention:\n  schedule: \"" + schedule + "\"\n");

    // then
    assertThat(retention.schedule()).isEqualTo(schedule.strip());
    assertThat(retention.interval()).isEqualTo(Duration.parse(interval));
  }

  @Test
  void blankScheduleTakesTheDefault() {
    // when / then
    assertThat(retentionOf("retention:\n  schedule: ''\n")).isEqualTo(RetentionConfig.defaults());
    assertThat(retentionOf("retention:\n  schedule:\n")).isEqualTo(RetentionConfig.defaults());
  }

  @ParameterizedTest
  @ValueSource(strings = {"hourly", "R/P1D", "P1D", "R/PT", "R/PTH", "r/pt1h", "R/PT1h",
      "R/PT-1H", "R/PT1H/", "R-1/PT1H", "2025-01-01T00:00:00Z/PT1H", "PT1H R"})
  void refusesSchedulesThatAreNotRepeatingIntervalsOfTimeUnits(String schedule) {
    // when
    ConfigException e = problemsIn("retention:\n  schedule: '" + schedule + "'\n");

    // then
    assertThat(e.problems()).singleElement().asString()
        .startsWith("retention.schedule: " + RULE + ", got '" + schedule + "'");
  }

  @Test
  void refusesIntervalsShorterThanOneSecondAndZeroRepetitions() {
    // given
    String tooShort = "retention:\n  schedule: R/PT0.5S\n";
    String zero = "retention:\n  schedule: R0/PT1H\n";

    // when / then
    assertThat(problemsIn(tooShort).problems()).containsExactly(
        "retention.schedule: " + RULE + ", got 'R/PT0.5S' (the interval is too short)");
    assertThat(problemsIn(zero).problems()).containsExactly(
        "retention.schedule: " + RULE + ", got 'R0/PT1H' (repeats 0 times)");
  }

  @Test
  void namesAMalformedDuration() {
    // when
    ConfigException e = problemsIn("retention:\n  schedule: R/PT1M1H\n");

    // then
    assertThat(e.problems()).containsExactly("retention.schedule: " + RULE
        + ", got 'R/PT1M1H' (PT1M1H is not a duration like PT1H, PT30M or PT1H30M)");
  }

  @Test
  void readsMaxTotalBytesAndRefusesNegativeOnes() {
    // when
    RetentionConfig retention = retentionOf("retention:\n  maxTotalBytes: 10737418240\n");
    ConfigException e = problemsIn("retention:\n  maxTotalBytes: -1\n  schedule: 3600\n");

    // then
    assertThat(retention.maxTotalBytes()).isEqualTo(10_737_418_240L);
    assertThat(retention.limitsTotalSize()).isTrue();
    assertThat(e.problems()).containsExactly(
        "retention.schedule: expected a string, got 3600 (put it in quotes to use it as text)",
        "retention.maxTotalBytes: expected an integer >= 0, got -1");
  }

  @Test
  void suggestsTheIntendedKey() {
    // when
    ConfigException e = problemsIn("retention:\n  maxTotalByte: 5\n  scheduel: R/PT1H\n");

    // then
    assertThat(e.problems()).containsExactly(
        "retention.maxTotalByte: unknown key (did you mean 'maxTotalBytes'?)",
        "retention.scheduel: unknown key (did you mean 'schedule'?)");
  }

  @Test
  void recordRefusesABadScheduleAndNegativeBytes() {
    // when / then
    assertThatThrownBy(() -> new RetentionConfig("PT0S", 0))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Invalid configuration value: retention.schedule: " + RULE
            + ", got 'PT0S' (the interval is too short)");
    assertThatThrownBy(() -> new RetentionConfig(null, 0))
        .hasMessageContaining("got nothing");
    assertThatThrownBy(() -> new RetentionConfig("R/PT1H", -1))
        .hasMessageContaining("retention.maxTotalBytes");
  }
}
