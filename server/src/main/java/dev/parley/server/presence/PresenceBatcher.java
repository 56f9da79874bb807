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
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Coalesces joins and leaves into presence frames, at most one per window. A change after a quiet
 * spell goes out at once; changes that follow within the window wait for its end and then go out
 * together, as the net change of each name, encoded once and handed to every recipient. So a lone
 * join costs no delay, and N changes during churn cost one frame per recipient per window, not N.
 *
 * <p>The window grows with the audience: never shorter than the configured one, and at least {@link
 * #NANOS_PER_RECIPIENT} per recipient, so that during churn the server sends at most about 100,000
 * presence frames a second however many are online (20 ms up to 2,000 online, 200 ms at 20,000).
 */
public final class PresenceBatcher {
  /** Runs a task after a delay, on one thread, in order. */
  public interface Timer {
    void schedule(Runnable task, long delayNanos);
  }

  static final long NANOS_PER_RECIPIENT = 10_000;

  private final Timer timer;
  private final long windowNanos;
  private final LongSupplier clock;
  private final IntSupplier recipients;
  private final Consumer<byte[]> broadcast;
  private final Object lock = new Object();
  private Map<UserName, Optional<OnlineUser>> pending = new LinkedHashMap<>();
  private long lastFlush;

  /**
   * @param broadcast sends one encoded presence frame to every member that should see it
   */
  public PresenceBatcher(
      Timer timer,
      Duration window,
      LongSupplier clock,
      IntSupplier recipients,
      Consumer<byte[]> broadcast) {
    this.timer = timer;
    this.windowNanos = window.toNanos();
    this.clock = clock;
    this.recipients = recipients;
    this.broadcast = broadcast;
    this.lastFlush = clock.getAsLong() - Duration.ofDays(1).toNanos(); // long quiet: send at once
  }

  public void joined(OnlineUser user) {
    record(user.name(), Optional.of(user));
  }

  public void left(UserName name) {
    record(name, Optional.empty());
  }

  private void record(UserName name, Optional<OnlineUser> state) {
    long delay;
    synchronized (lock) {
      boolean first = pending.isEmpty();
      pending.remove(name); // re-insert so the frame lists names in the order of their last change
      pending.put(name, state);
      if (!first) {
        return; // a flush is already scheduled
      }
      long window = Math.max(windowNanos, recipients.getAsInt() * NANOS_PER_RECIPIENT);
      delay = Math.max(0, lastFlush + window - clock.getAsLong());
    }
    timer.schedule(this::flush, delay);
  }

  /** Sends what is pending now; runs on the timer's thread. */
  void flush() {
    Map<UserName, Optional<OnlineUser>> batch;
    synchronized (lock) {
      batch = pending;
      pending = new LinkedHashMap<>();
      lastFlush = clock.getAsLong();
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
