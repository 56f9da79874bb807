package dev.parley.client.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void doublesUpToTheMaximumWithJitterInTheUpperHalf() {
    var lowest = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), () -> 0.0);
    assertThat(lowest.next()).isEqualTo(Duration.ofMillis(250));
    assertThat(lowest.next()).isEqualTo(Duration.ofMillis(500));
    assertThat(lowest.next()).isEqualTo(Duration.ofSeconds(1));

    var highest = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), () -> 1.0);
    for (int i = 0; i < 40; i++) {
      assertThat(highest.next()).isLessThanOrEqualTo(Duration.ofSeconds(30));
    }
    assertThat(highest.next()).isEqualTo(Duration.ofSeconds(30));
    highest.reset();
    assertThat(highest.next()).isEqualTo(Duration.ofMillis(500));
  }
}
