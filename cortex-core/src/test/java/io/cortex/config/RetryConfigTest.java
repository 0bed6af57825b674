package io.cortex.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RetryConfigTest {

  @Test
  void delaysDoubleFromTheInitialDelayByDefault() {
    // given
    RetryConfig retry = RetryConfig.defaults();

    // when / then
    assertThat(retry.delaysMs()).containsExactly(1_000L, 2_000L);
  }

  @Test
  void givesOneDelayFewerThanAttempts() {
    // given
    RetryConfig retry = new RetryConfig(5, 100L, 3.0);

    // when / then
    assertThat(retry.delaysMs()).containsExactly(100L, 300L, 900L, 2_700L);
  }

  @Test
  void singleAttemptHasNoDelays() {
    // given
    RetryConfig retry = new RetryConfig(1, 1_000L, 2.0);

    // when / then
    assertThat(retry.delaysMs()).isEmpty();
  }

  @Test
  void multiplierOfOneKeepsTheDelayConstant() {
    // given
    RetryConfig retry = new RetryConfig(4, 250L, 1.0);

    // when / then
    assertThat(retry.delaysMs()).containsExactly(250L, 250L, 250L);
  }

  @Test
  void roundsFractionalDelaysToWholeMilliseconds() {
    // given
    RetryConfig retry = new RetryConfig(4, 1_000L, 1.5);

    // when / then
    assertThat(retry.delaysMs()).containsExactly(1_000L, 1_500L, 2_250L);
    assertThat(new RetryConfig(3, 3L, 1.5).delaysMs()).containsExactly(3L, 5L);
  }

  @Test
  void capsHugeDelaysInsteadOfOverflowing() {
    // given
    RetryConfig retry = new RetryConfig(100, Long.MAX_VALUE / 2, 10.0);

    // when / then
    assertThat(retry.delaysMs()).hasSize(99).last().isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void delaysCannotBeModified() {
    // given
    RetryConfig retry = RetryConfig.defaults();

    // when / then
    assertThatThrownBy(() -> retry.delaysMs().add(1L))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
