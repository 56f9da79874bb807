package dev.parley.client.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReopenWaitTest {

  @Test
  void aLinkThatBrokeIsTriedAgainFromOneSecondDoublingToAMinute() {
    assertThat(Messenger.reopenWait(1, false)).isEqualTo(Duration.ofSeconds(1));
    assertThat(Messenger.reopenWait(2, false)).isEqualTo(Duration.ofSeconds(2));
    assertThat(Messenger.reopenWait(6, false)).isEqualTo(Duration.ofSeconds(32));
    assertThat(Messenger.reopenWait(7, false)).isEqualTo(Duration.ofMinutes(1));
    assertThat(Messenger.reopenWait(1000, false)).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void whenNoPathWasFoundTheNextTryWaitsFifteenSecondsDoublingToFiveMinutes() {
    assertThat(Messenger.reopenWait(1, true)).isEqualTo(Duration.ofSeconds(15));
    assertThat(Messenger.reopenWait(2, true)).isEqualTo(Duration.ofSeconds(30));
    assertThat(Messenger.reopenWait(5, true)).isEqualTo(Duration.ofMinutes(4));
    assertThat(Messenger.reopenWait(6, true)).isEqualTo(Duration.ofMinutes(5));
    assertThat(Messenger.reopenWait(Integer.MAX_VALUE, true)).isEqualTo(Duration.ofMinutes(5));
  }
}
