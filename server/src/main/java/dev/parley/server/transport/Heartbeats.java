package dev.parley.server.transport;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Finds dead connections with one timer per event loop and heartbeat interval, not one per
 * connection: once per interval it asks each of its loop's WebSocket connections whether anything
 * was read since the last check ({@link WebSocketHandler#checkLife}); a silent one is pinged, and
 * closed after enough silent checks in a row. A timer per connection cost each idle connection a
 * handler, a scheduled task and its own wake-ups. Touched only on its loop's thread.
 */
final class Heartbeats implements Runnable {
  /**
   * How a kind of connection is checked: once per {@code interval}; after {@code misses} silent
   * checks in a row it is closed; before that, each silent check pings it if {@code ping}.
   */
  record Policy(Duration interval, int misses, boolean ping) {
    /** Pings after each silent interval; closes once {@code timeout} is covered. */
    static Policy pinging(Duration interval, Duration timeout) {
      return new Policy(
          interval, (int) Math.ceilDiv(timeout.toMillis(), interval.toMillis()), true);
    }

    /**
     * Never pings; checked four times per {@code timeout}, so a silent connection goes within a
     * quarter of it past the timeout.
     */
    static Policy unpinged(Duration timeout) {
      return new Policy(timeout.dividedBy(4), 4, false);
    }
  }

  private static final FastThreadLocal<Map<Policy, Heartbeats>> PER_LOOP =
      new FastThreadLocal<>() {
        @Override
        protected Map<Policy, Heartbeats> initialValue() {
          return new HashMap<>();
        }
      };

  private final EventLoop loop;
  private final Policy policy;
  private final Set<WebSocketHandler> watched = new LinkedHashSet<>();
  private @Nullable ScheduledFuture<?> timer;

  private Heartbeats(EventLoop loop, Policy policy) {
    this.loop = loop;
    this.policy = policy;
  }

  /** The checks for {@code loop} under {@code policy}; call on that loop's thread. */
  static Heartbeats of(EventLoop loop, Policy policy) {
    if (!loop.inEventLoop()) {
      throw new IllegalStateException("heartbeats are kept on their event loop's thread");
    }
    return PER_LOOP.get().computeIfAbsent(policy, p -> new Heartbeats(loop, p));
  }

  void watch(WebSocketHandler connection) {
    watched.add(connection);
    if (timer == null) {
      long millis = Math.max(1, policy.interval().toMillis()); // a timer needs a period
      timer = loop.scheduleAtFixedRate(this, millis, millis, TimeUnit.MILLISECONDS);
    }
  }

  void forget(WebSocketHandler connection) {
    watched.remove(connection);
    ScheduledFuture<?> running = timer;
    if (watched.isEmpty() && running != null) {
      running.cancel(false);
      timer = null;
    }
  }

  @Override
  public void run() {
    // A check may close its connection, which forgets it: go over a copy.
    for (WebSocketHandler connection : List.copyOf(watched)) {
      connection.checkLife(policy.misses(), policy.ping());
    }
  }
}
