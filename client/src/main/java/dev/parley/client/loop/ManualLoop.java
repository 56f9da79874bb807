package dev.parley.client.loop;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.PriorityQueue;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An event loop that runs its tasks only when its owner (the thread that made it) says so, on a
 * clock that only the owner moves: several clients on one such loop, linked by a {@link
 * dev.parley.client.link.MemoryNetwork}, behave the same on every run, and a test waits ten seconds
 * for a resend by {@linkplain #advance advancing} the clock, not by sleeping.
 *
 * <p>Any thread may post; only the owner runs tasks. {@link EventLoop#call} from the owner runs its
 * task at once; from another thread it waits until the owner runs the loop.
 */
public final class ManualLoop implements EventLoop {
  /** More tasks than this in one {@link #runUntilIdle} is taken for tasks that post forever. */
  private static final int MAX_TASKS = 1_000_000;

  private static final Logger log = LoggerFactory.getLogger(ManualLoop.class);

  private record Timer(long due, long order, Runnable task) {}

  private final Thread owner = Thread.currentThread();
  private final ArrayDeque<Runnable> ready = new ArrayDeque<>();
  private final PriorityQueue<Timer> timers =
      new PriorityQueue<>(
          (a, b) -> a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.order, b.order));
  private long now;
  private long order;
  private boolean closed;

  @Override
  public synchronized boolean post(Runnable task) {
    if (closed) {
      return false;
    }
    ready.add(task);
    return true;
  }

  @Override
  public synchronized void schedule(Runnable task, Duration delay) {
    if (!closed) {
      timers.add(new Timer(now + Math.max(0, delay.toNanos()), order++, task));
    }
  }

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  @Override
  public boolean inLoop() {
    return Thread.currentThread() == owner;
  }

  /** Runs the next task that is ready, if there is one; returns whether there was. */
  public boolean runOne() {
    requireOwner();
    Runnable task = next();
    if (task == null) {
      return false;
    }
    runGuarded(task);
    return true;
  }

  /** Runs every task that is ready, and those they post, until none is left; returns how many. */
  public int runUntilIdle() {
    requireOwner();
    int ran = 0;
    for (Runnable task = next(); task != null; task = next()) {
      if (++ran > MAX_TASKS) {
        throw new IllegalStateException("the loop never ran out of tasks");
      }
      runGuarded(task);
    }
    return ran;
  }

  /**
   * Moves the clock forward by {@code by}, running each timer as its time comes (and whatever
   * becomes ready meanwhile), then what is ready at the end.
   */
  public void advance(Duration by) {
    requireOwner();
    long target;
    synchronized (this) {
      target = now + by.toNanos();
    }
    runUntilIdle();
    while (true) {
      Timer timer;
      synchronized (this) {
        timer = timers.peek();
        if (timer == null || timer.due > target || closed) {
          break;
        }
        timers.poll();
        now = timer.due;
        ready.add(timer.task);
      }
      runUntilIdle();
    }
    synchronized (this) {
      now = Math.max(now, target);
    }
  }

  /** Drops every task and timer; later posts return {@code false}. */
  public synchronized void close() {
    closed = true;
    ready.clear();
    timers.clear();
  }

  private synchronized @Nullable Runnable next() {
    return ready.poll();
  }

  private static void runGuarded(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      log.error("a task of the event loop failed", e);
    }
  }

  private void requireOwner() {
    if (!inLoop()) {
      throw new IllegalStateException("only the thread that made a ManualLoop runs it");
    }
  }
}
