package dev.parley.client.server;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter for reconnecting: the n-th wait is drawn uniformly from the upper
 * half of {@code min(max, first * 2^n)}, so that clients cut off together do not come back
 * together.
 */
final class Backoff {
  private final Duration first;
  private final Duration max;
  private final DoubleSupplier random;
  private int attempt;

  Backoff(Duration first, Duration max, DoubleSupplier random) {
    this.first = first;
    this.max = max;
    this.random = random;
  }

  /** The wait before the next attempt. */
  Duration next() {
    long ceiling = first.toMillis() << Math.min(attempt, 30);
    if (ceiling <= 0 || ceiling > max.toMillis()) {
      ceiling = max.toMillis();
    }
    attempt++;
    return Duration.ofMillis((long) (ceiling / 2.0 + random.getAsDouble() * ceiling / 2.0));
  }

  /** After a success: start again from the first wait. */
  void reset() {
    attempt = 0;
  }
}
