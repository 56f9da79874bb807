package dev.parley.server.limits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A token bucket per source (an address), so that no one source, real or spoofed, gets more than
 * its share: of the STUN responder's answers, of new names registered. The table is bounded: past
 * {@link #MAX_SOURCES} sources, those whose bucket has had time to fill up again are forgotten
 * (forgetting them changes nothing), and while it stays full a new source gets nothing (a flood of
 * spoofed sources cannot grow the table, nor turn the responder into a reflector for them). Safe
 * for use from any thread.
 *
 * @param <K> what identifies a source
 */
public final class SourceRates<K> {
  public static final int MAX_SOURCES = 65_536;

  private final double perSecond;
  private final int burst;
  private final long refill;
  private final Map<K, Bucket> buckets = new ConcurrentHashMap<>();

  @SuppressWarnings("ArrayRecordComponent") // a carrier, never compared or hashed
  private record Bucket(RateLimiter limiter, long[] lastUsed) {}

  /** {@code burst} at once from each source, refilled at {@code perSecond}. */
  public SourceRates(double perSecond, int burst) {
    if (perSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException("a rate must be positive and a burst at least 1");
    }
    this.perSecond = perSecond;
    this.burst = burst;
    this.refill = (long) Math.min(Long.MAX_VALUE, burst / perSecond * TimeUnit.SECONDS.toNanos(1));
  }

  /** Whether {@code source} may have one more now; if so, it is counted. */
  public boolean tryAcquire(K source, long nowNanos) {
    Bucket bucket = buckets.get(source);
    if (bucket == null) {
      if (buckets.size() >= MAX_SOURCES) {
        buckets.values().removeIf(b -> nowNanos - b.lastUsed()[0] > refill);
        if (buckets.size() >= MAX_SOURCES) {
          return false;
        }
      }
      bucket =
          buckets.computeIfAbsent(
              source,
              s -> new Bucket(new RateLimiter(perSecond, burst, nowNanos), new long[] {nowNanos}));
    }
    synchronized (bucket) {
      bucket.lastUsed()[0] = nowNanos;
      return bucket.limiter().tryAcquire(nowNanos);
    }
  }

  /**
   * Gives {@code source} back what {@link #tryAcquire} counted for something that did not happen.
   */
  public void giveBack(K source) {
    Bucket bucket = buckets.get(source);
    if (bucket != null) {
      synchronized (bucket) {
        bucket.limiter().giveBack();
      }
    }
  }

  public int size() {
    return buckets.size();
  }
}
