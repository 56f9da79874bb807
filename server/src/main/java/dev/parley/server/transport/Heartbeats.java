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
  private static final FastThreadLocal<Map<Long, Heartbeats>> PER_LOOP =
      new FastThreadLocal<>() {
        @Override
        protected Map<Long, Heartbeats> initialValue() {
          return new HashMap<>();
        }
      };

  private final EventLoop loop;
  private final long intervalMillis;
  private final Set<WebSocketHandler> watched = new LinkedHashSet<>();
  private @Nullable ScheduledFuture<?> timer;

  private Heartbeats(EventLoop loop, long intervalMillis) {
    this.loop = loop;
    this.intervalMillis = intervalMillis;
  }

  /** The checks for {@code loop} at {@code interval}; call on that loop's thread. */
  static Heartbeats of(EventLoop loop, Duration interval) {
    if (!loop.inEventLoop()) {
      throw new IllegalStateException("heartbeats are kept on their event loop's thread");
    }
    long millis = Math.max(1, interval.toMillis()); // a timer needs a period
    return PER_LOOP.get().computeIfAbsent(millis, ms -> new Heartbeats(loop, ms));
  }

  void watch(WebSocketHandler connection) {
    watched.add(connection);
    if (timer == null) {
      timer = loop.scheduleAtFixedRate(this, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
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
      connection.checkLife();
    }
  }
}
