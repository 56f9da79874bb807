package dev.parley.server.limits;

import java.util.concurrent.TimeUnit;

/**
 * A token bucket: {@code burst} frames at once, refilled at {@code perSecond}; and how often a
 * refusal is worth telling the client about. Not thread-safe: one per connection, used on that
 * connection's thread.
 */
public final class RateLimiter {
  private static final long REPORT_INTERVAL = TimeUnit.SECONDS.toNanos(1);

  private final double perNano;
  private final double burst;
  private double tokens;
  private long last;
  private boolean reported;
  private long lastReport;

  public RateLimiter(double perSecond, int burst, long nowNanos) {
    this.perNano = perSecond / 1e9;
    this.burst = burst;
    this.tokens = burst;
    this.last = nowNanos;
  }

  /** Takes a token if there is one. */
  public boolean tryAcquire(long nowNanos) {
    tokens = Math.min(burst, tokens + (nowNanos - last) * perNano);
    last = nowNanos;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  /** Gives back a token taken for something that did not happen after all. */
  public void giveBack() {
    tokens = Math.min(burst, tokens + 1);
  }

  /**
   * Whether a refusal at {@code nowNanos} should be reported to the client: the first one, then at
   * most one a second, so that a flood does not double itself with errors.
   */
  public boolean shouldReport(long nowNanos) {
    if (reported && nowNanos - lastReport < REPORT_INTERVAL) {
      return false;
    }
    reported = true;
    lastReport = nowNanos;
    return true;
  }
}
