package dev.parley.server.presence;

import dev.parley.protocol.OnlineUser;
import dev.parley.protocol.ServerMessage;
import dev.parley.protocol.UserName;
import dev.parley.protocol.WireCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Coalesces joins and leaves into presence frames. The first change after a quiet spell opens a
 * window; when it closes, the net change of each name in it goes out as one frame, encoded once and
 * handed to every recipient. So N changes during churn cost one frame per recipient per window, not
 * N, and a name that joins and leaves within one window costs nothing beyond a "left".
 */
public final class PresenceBatcher {
  private final ScheduledExecutorService scheduler;
  private final long windowNanos;
  private final Consumer<byte[]> broadcast;
  private final Object lock = new Object();
  private Map<UserName, Optional<OnlineUser>> pending = new LinkedHashMap<>();

  /**
   * @param broadcast sends one encoded presence frame to every member that should see it
   */
  public PresenceBatcher(
      ScheduledExecutorService scheduler, Duration window, Consumer<byte[]> broadcast) {
    this.scheduler = scheduler;
    this.windowNanos = window.toNanos();
    this.broadcast = broadcast;
  }

  public void joined(OnlineUser user) {
    record(user.name(), Optional.of(user));
  }

  public void left(UserName name) {
    record(name, Optional.empty());
  }

  private void record(UserName name, Optional<OnlineUser> state) {
    boolean first;
    synchronized (lock) {
      first = pending.isEmpty();
      pending.remove(name); // re-insert so the frame lists names in the order of their last change
      pending.put(name, state);
    }
    if (first) {
      if (windowNanos == 0) {
        scheduler.execute(this::flush);
      } else {
        scheduler.schedule(this::flush, windowNanos, TimeUnit.NANOSECONDS);
      }
    }
  }

  /** Sends what is pending now; runs on the scheduler. */
  void flush() {
    Map<UserName, Optional<OnlineUser>> batch;
    synchronized (lock) {
      batch = pending;
      pending = new LinkedHashMap<>();
    }
    if (batch.isEmpty()) {
      return;
    }
    List<OnlineUser> joined = new ArrayList<>();
    List<UserName> left = new ArrayList<>();
    batch.forEach((name, state) -> state.ifPresentOrElse(joined::add, () -> left.add(name)));
    broadcast.accept(WireCodec.encode(new ServerMessage.Presence(joined, left)));
  }
}
