package dev.parley.server.limits;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Caps the open connections from one IP address, across every protocol on the port. Each address
 * costs one map entry while it has connections, none after.
 */
public final class AddressLimit {
  private final int max;
  private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();

  public AddressLimit(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("at least one connection per address must be allowed");
    }
    this.max = max;
  }

  /** Counts a new connection from {@code address}, unless that would exceed the cap. */
  public boolean tryAcquire(String address) {
    boolean[] admitted = {false};
    open.compute(
        address,
        (key, count) -> {
          int current = count == null ? 0 : count;
          if (current >= max) {
            return count;
          }
          admitted[0] = true;
          return current + 1;
        });
    return admitted[0];
  }

  /** A connection counted by {@link #tryAcquire} has closed. */
  public void release(String address) {
    open.computeIfPresent(address, (key, count) -> count <= 1 ? null : count - 1);
  }

  public int max() {
    return max;
  }
}
