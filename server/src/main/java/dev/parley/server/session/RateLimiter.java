package dev.parley.server.session;

/**
 * A token bucket: {@code burst} frames at once, refilled at {@code perSecond}. Not thread-safe: one
 * per connection, used on that connection's thread.
 */
public final class RateLimiter {
  private final double perNano;
  private final double burst;
  private double tokens;
  private long last;

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
}
