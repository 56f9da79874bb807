package dev.parley.client.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReopeningTest {

  @Test
  void aLinkThatBrokeIsTriedAgainFromOneSecondDoublingToAMinute() {
    assertThat(Reopening.delay(1, false)).isEqualTo(Duration.ofSeconds(1));
    assertThat(Reopening.delay(2, false)).isEqualTo(Duration.ofSeconds(2));
    assertThat(Reopening.delay(6, false)).isEqualTo(Duration.ofSeconds(32));
    assertThat(Reopening.delay(7, false)).isEqualTo(Duration.ofMinutes(1));
    assertThat(Reopening.delay(1000, false)).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void whenNoPathWasFoundTheNextTryWaitsFifteenSecondsDoublingToFiveMinutes() {
    assertThat(Reopening.delay(1, true)).isEqualTo(Duration.ofSeconds(15));
    assertThat(Reopening.delay(2, true)).isEqualTo(Duration.ofSeconds(30));
    assertThat(Reopening.delay(5, true)).isEqualTo(Duration.ofMinutes(4));
    assertThat(Reopening.delay(6, true)).isEqualTo(Duration.ofMinutes(5));
    assertThat(Reopening.delay(Integer.MAX_VALUE, true)).isEqualTo(Duration.ofMinutes(5));
  }
}
