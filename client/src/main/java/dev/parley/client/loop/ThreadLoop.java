package dev.parley.client.loop;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An event loop on a platform thread of its own (a daemon, so it never keeps the JVM alive). */
public final class ThreadLoop implements EventLoop, AutoCloseable {
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
  private static final Logger log = LoggerFactory.getLogger(ThreadLoop.class);

  private final ScheduledThreadPoolExecutor executor;
  private volatile Thread thread;

  /** Starts a loop on a thread called {@code name}. */
  public ThreadLoop(String name) {
    executor =
        new ScheduledThreadPoolExecutor(
            1,
            task -> {
              Thread created = Thread.ofPlatform().name(name).daemon().unstarted(task);
              thread = created;
              return created;
            });
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    executor.setRemoveOnCancelPolicy(true);
    executor.prestartCoreThread();
  }

  @Override
  public boolean post(Runnable task) {
    try {
      executor.execute(() -> runGuarded(task));
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  @Override
  public void schedule(Runnable task, Duration delay) {
    try {
      var unused = executor.schedule(() -> runGuarded(task), delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // closed: the task would find nothing left to do
    }
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  /** Runs what was posted before, then stops the thread (waiting up to 5 s unless on it). */
  @Override
  public void close() {
    executor.shutdown();
    if (inLoop()) {
      return;
    }
    try {
      if (!executor.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("the event loop did not stop within {}", CLOSE_TIMEOUT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void runGuarded(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      log.error("a task of the event loop failed", e);
    }
  }
}
