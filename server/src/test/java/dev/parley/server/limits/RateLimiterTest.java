package dev.parley.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  @Test
  void aBurstIsAllowedAndThenRefused() {
    RateLimiter limiter = new RateLimiter(10, 5, 0);
    for (int i = 0; i < 5; i++) {
      assertThat(limiter.tryAcquire(0)).isTrue();
    }
    assertThat(limiter.tryAcquire(0)).isFalse();
  }

  @Test
  void tokensComeBackAtTheRate() {
    RateLimiter limiter = new RateLimiter(10, 5, 0);
    for (int i = 0; i < 5; i++) {
      limiter.tryAcquire(0);
    }
    assertThat(limiter.tryAcquire(SECOND / 20)).isFalse();
    assertThat(limiter.tryAcquire(SECOND / 10)).isTrue();
    assertThat(limiter.tryAcquire(SECOND / 10)).isFalse();
  }

  @Test
  void idleTimeRefillsNoMoreThanTheBurst() {
    RateLimiter limiter = new RateLimiter(10, 5, 0);
    int allowed = 0;
    for (int i = 0; i < 100; i++) {
      if (limiter.tryAcquire(1000 * SECOND)) {
        allowed++;
      }
    }
    assertThat(allowed).isEqualTo(5);
  }

  @Test
  void aSteadySenderAtTheRateIsNeverRefused() {
    RateLimiter limiter = new RateLimiter(10, 1, 0);
    for (int i = 1; i <= 100; i++) {
      assertThat(limiter.tryAcquire(i * SECOND / 10)).isTrue();
    }
  }

  @Test
  void refusalsAreReportedAtMostOnceASecond() {
    RateLimiter limiter = new RateLimiter(10, 1, 0);
    assertThat(limiter.shouldReport(5)).isTrue();
    assertThat(limiter.shouldReport(SECOND / 2)).isFalse();
    assertThat(limiter.shouldReport(SECOND + 5)).isTrue();
    assertThat(limiter.shouldReport(SECOND + 6)).isFalse();
  }
}
