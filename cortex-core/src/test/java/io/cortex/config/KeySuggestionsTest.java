package io.cortex.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeySuggestionsTest {

  private static final List<String> KEYS =
      List.of("maxCheckpoints", "retentionMs", "minIntervalMs", "maxFileSizeBytes");

  @Test
  void suggestsAKeyWithATypo() {
    // when / then
    assertThat(KeySuggestions.closest("maxCheckpoint", KEYS)).contains("maxCheckpoints");
    assertThat(KeySuggestions.closest("retentoinMs", KEYS)).contains("retentionMs");
  }

  @Test
  void suggestsAKeyWrittenInAnotherCaseOrWithUnderscores() {
    // when / then
    assertThat(KeySuggestions.closest("MAXCHECKPOINTS", KEYS)).contains("maxCheckpoints");
    assertThat(KeySuggestions.closest("max_checkpoints", KEYS)).contains("maxCheckpoints");
  }

  @Test
  void suggestsAKeyWhenOnlyTheUnitSuffixIsMissing() {
    // when / then
    assertThat(KeySuggestions.closest("maxFileSize", KEYS)).contains("maxFileSizeBytes");
  }

  @Test
  void suggestsNothingForAnUnrelatedKey() {
    // when / then
    assertThat(KeySuggestions.closest("schema", KEYS)).isEmpty();
    assertThat(KeySuggestions.closest("x", List.of("url"))).isEmpty();
  }

  @Test
  void measuresEditDistance() {
    // when / then
    assertThat(io.cortex.text.EditDistance.between("kitten", "sitting")).isEqualTo(3);
    assertThat(io.cortex.text.EditDistance.between("", "abc")).isEqualTo(3);
    assertThat(io.cortex.text.EditDistance.between("same", "same")).isZero();
  }
}
