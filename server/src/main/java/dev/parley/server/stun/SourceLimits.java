package dev.parley.server.stun;

import dev.parley.server.limits.RateLimiter;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A token bucket per source address, so that no one address, real or spoofed, gets more than its
 * share of answers. The table is bounded: past {@link #MAX_SOURCES} addresses, those idle for a
 * while are forgotten, and while it stays full a new address gets nothing (a flood of spoofed
 * sources cannot grow the table, nor turn the responder into a reflector for them).
 */
final class SourceLimits {
  static final int MAX_SOURCES = 65_536;
  private static final long IDLE = TimeUnit.SECONDS.toNanos(10);

  private final double perSecond;
  private final int burst;
  private final Map<InetAddress, Bucket> buckets = new ConcurrentHashMap<>();

  @SuppressWarnings("ArrayRecordComponent") // a carrier, never compared or hashed
  private record Bucket(RateLimiter limiter, long[] lastUsed) {}

  SourceLimits(double perSecond, int burst) {
    this.perSecond = perSecond;
    this.burst = burst;
  }

  /** Whether {@code source} may have an answer now. */
  boolean tryAcquire(InetAddress source, long nowNanos) {
    Bucket bucket = buckets.get(source);
    if (bucket == null) {
      if (buckets.size() >= MAX_SOURCES) {
        buckets.values().removeIf(b -> nowNanos - b.lastUsed()[0] > IDLE);
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

  int size() {
    return buckets.size();
  }
}
