package dev.parley.server.presence;

import dev.parley.protocol.OnlineUser;
import dev.parley.protocol.ServerMessage;
import dev.parley.protocol.UserName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Coalesces joins and leaves into presence frames, at most one per window. A change after a quiet
 * spell goes out at once; changes that follow within the window wait for its end and then go out
 * together, as the net change of each name, handed to a {@link Fanout} that decides who hears of
 * what. So a lone join costs no delay, and N changes during churn cost one frame per recipient per
 * window, not N.
 *
 * <p>Besides the window, the frames themselves are budgeted: a flush that sent N frames costs N
 * frames of a budget that refills at {@link #FRAMES_PER_SECOND} and holds at most one second of it.
 * A server that has been quiet sends a change at once even to tens of thousands; during sustained
 * churn the flushes space out so that the server writes at most about 25,000 presence frames a
 * second however many are online (one flush per 200 ms at 5,000 online, per 800 ms at 20,000). Each
 * frame is a socket write, and on two cores more than that starves logins and relays.
 */
public final class PresenceBatcher {
  /** Runs a task after a delay, on one thread, in order. */
  public interface Timer {
    void schedule(Runnable task, long delayNanos);
  }

  /** Hands a batch to the members that should see it. */
  public interface Fanout {
    /**
     * Sends {@code changes}, the net change of each name in a window, to whoever should hear of
     * them, and says how many frames that took: the budget is charged with them.
     */
    int send(ServerMessage.Presence changes);
  }

  static final long FRAMES_PER_SECOND = 25_000;
  private static final long NANOS_PER_FRAME = 1_000_000_000L / FRAMES_PER_SECOND;
  private static final long BURST_NANOS = 1_000_000_000L;

  private final Timer timer;
  private final long windowNanos;
  private final LongSupplier clock;
  private final Fanout fanout;
  private final Object lock = new Object();
  private Map<UserName, Optional<OnlineUser>> pending = new LinkedHashMap<>();
  private long lastFlush;

  /** When the frames sent so far are paid for; a flush may go out once this is within the burst. */
  private long paidUntil;

  public PresenceBatcher(Timer timer, Duration window, LongSupplier clock, Fanout fanout) {
    this.timer = timer;
    this.windowNanos = window.toNanos();
    this.clock = clock;
    this.fanout = fanout;
    this.lastFlush = clock.getAsLong() - Duration.ofDays(1).toNanos(); // long quiet: send at once
    this.paidUntil = lastFlush;
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
      long earliest = Math.max(lastFlush + windowNanos, paidUntil - BURST_NANOS);
      delay = Math.max(0, earliest - clock.getAsLong());
    }
    timer.schedule(this::flush, delay);
  }

  /**
   * Sends what is pending now; runs on the timer's thread. The frames are paid for once they are
   * sent, since only the fan-out knows how many a batch takes; a change recorded meanwhile may have
   * scheduled this flush before the payment, so the budget is checked again here.
   */
  void flush() {
    Map<UserName, Optional<OnlineUser>> batch;
    long flushed;
    synchronized (lock) {
      long now = clock.getAsLong();
      long unpaid = paidUntil - BURST_NANOS - now;
      if (unpaid > 0 && !pending.isEmpty()) {
        timer.schedule(this::flush, unpaid);
        return;
      }
      batch = pending;
      pending = new LinkedHashMap<>();
      lastFlush = now;
      flushed = now;
    }
    if (batch.isEmpty()) {
      return;
    }
    List<OnlineUser> joined = new ArrayList<>();
    List<UserName> left = new ArrayList<>();
    batch.forEach((name, state) -> state.ifPresentOrElse(joined::add, () -> left.add(name)));
    int frames = fanout.send(new ServerMessage.Presence(joined, left));
    synchronized (lock) {
      paidUntil = Math.max(paidUntil, flushed) + frames * NANOS_PER_FRAME;
    }
  }
}
