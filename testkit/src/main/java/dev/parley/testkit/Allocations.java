package dev.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.function.Supplier;

/**
 * Holds a decoder to a memory budget linear in its input: what it allocates on this thread to
 * decode {@code length} bytes is at most {@link #PER_BYTE} bytes per input byte plus {@link #BASE}.
 * Far above what a tree of the input costs, far below what an unbounded allocation (a length field
 * believed, a number expanded) takes. The first decodings also load and initialize classes, which
 * allocates too; so a decoding over budget is repeated, and fails only if it is over again. For the
 * fuzz tests (docs/fuzzing.md); protocol's, which cannot use the test kit, have a copy.
 */
public final class Allocations {
  public static final long PER_BYTE = 256;
  public static final long BASE = 4 << 20;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private Allocations() {}

  /** What {@code decode} returns or throws, once what it allocated is checked. */
  public static <T> T bounded(int length, Supplier<T> decode) {
    long budget = BASE + PER_BYTE * length;
    long before = THREADS.getCurrentThreadAllocatedBytes();
    try {
      return decode.get();
    } finally {
      if (THREADS.getCurrentThreadAllocatedBytes() - before > budget) {
        assertThat(allocatedBy(decode))
            .as("bytes allocated to decode %d bytes", length)
            .isLessThanOrEqualTo(budget);
      }
    }
  }

  private static long allocatedBy(Supplier<?> decode) {
    long before = THREADS.getCurrentThreadAllocatedBytes();
    try {
      var unused = decode.get();
    } catch (RuntimeException outcome) {
      // The outcome was the first run's; only the allocation is measured here.
    }
    return THREADS.getCurrentThreadAllocatedBytes() - before;
  }
}
