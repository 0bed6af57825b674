package io.cortex.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OutputTailTest {

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void keepsTheLastBytesAcrossManyChunksThatWrapAround() {
    // given
    OutputTail tail = new OutputTail(5);

    // when
    for (String chunk : new String[] {"abc", "de", "fgh", "i"}) {
      tail.append(ascii(chunk), chunk.length());
    }

    // then
    assertThat(new String(tail.bytes(), StandardCharsets.US_ASCII)).isEqualTo("efghi");
    assertThat(tail.truncated()).isTrue();
    assertThat(tail.text("[cut]")).isEqualTo("[cut]efghi");
  }

  @Test
  void keepsTheEndOfAChunkLargerThanTheLimit() {
    // given
    OutputTail tail = new OutputTail(4);
    tail.append(ascii("xy"), 2);

    // when
    tail.append(ascii("0123456789"), 10);

    // then
    assertThat(tail.text("~")).isEqualTo("~6789");
  }

  @Test
  void keepsEverythingUpToTheLimitWithoutAMark() {
    // given
    OutputTail tail = new OutputTail(4);

    // when
    tail.drain(new ByteArrayInputStream(ascii("abcd")));

    // then
    assertThat(tail.truncated()).isFalse();
    assertThat(tail.text("~")).isEqualTo("abcd");
  }

  @Test
  void refusesALimitBelowOne() {
    // when / then
    assertThatThrownBy(() -> new OutputTail(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
