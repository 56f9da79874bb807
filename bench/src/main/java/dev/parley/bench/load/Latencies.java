package dev.parley.bench.load;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/** Latency samples in nanoseconds, recorded from any thread into a fixed buffer. */
public final class Latencies {
  private final long[] samples;
  private final AtomicInteger count = new AtomicInteger();

  public Latencies(int capacity) {
    samples = new long[capacity];
  }

  public void record(long nanos) {
    int at = count.getAndIncrement();
    if (at < samples.length) {
      samples[at] = nanos;
    }
  }

  public int count() {
    return Math.min(count.get(), samples.length);
  }

  /** The {@code q} quantile (0..1) in milliseconds; NaN with no samples. */
  public double quantileMillis(double q) {
    int n = count();
    if (n == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(samples, n);
    Arrays.sort(sorted);
    int rank = Math.clamp((long) Math.ceil(q * n) - 1, 0, n - 1);
    return sorted[rank] / 1e6;
  }
}
