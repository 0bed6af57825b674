package io.cortex.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdsTest {

  @ParameterizedTest
  @ValueSource(strings = {"feature-auth-001", "a", "green-1", "plan_2025.11.28", "A9"})
  void acceptsIdsThatAreSafeRefComponents(String id) {
    assertThat(Ids.requireValidSessionId(id)).isEqualTo(id);
    assertThat(Ids.requireValidCheckpointId(id)).isEqualTo(id);
  }

  @ParameterizedTest
  @ValueSource(strings = {"../x", "a..b", "x.lock", "has space", "-leading", ".hidden", "trailing.", "a/b", "a\\b",
      "semi;colon", "tab\tid", "new\nline", "star*", "q?", "brace@{1}", "ümlaut", "~tilde", "colon:x"})
  void rejectsIdsThatCouldEscapeOrBreakTheRefNamespace(String id) {
    assertThatThrownBy(() -> Ids.requireValidSessionId(id)).isInstanceOf(InvalidIdException.class)
        .hasMessageContaining("Invalid session id").hasMessageContaining("starting with a letter or digit");
    assertThat(Ids.isValid(id)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {""})
  void rejectsEmptyIdsSayingTheyAreEmpty(String id) {
    assertThatThrownBy(() -> Ids.requireValidCheckpointId(id)).hasMessageContaining("it is empty");
    assertThatThrownBy(() -> Ids.requireValidCheckpointId(null)).hasMessageContaining("it is empty");
  }

  @org.junit.jupiter.api.Test
  void rejectsIdsLongerThanOneHundredCharacters() {
    assertThat(Ids.isValid("a".repeat(100))).isTrue();
    assertThat(Ids.isValid("a".repeat(101))).isFalse();
  }
}
