package dev.parley.client.loop;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * The one thread that owns all state of a client: its links, its conversations and their timers.
 * Code elsewhere never touches that state; it posts a task here.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>Tasks MUST run one at a time, each to its end, in the order they were posted; a scheduled
 *       task runs after its delay, in the order it fell due.
 *   <li>{@link #post} MUST NOT run the task before it returns, even when called on the loop: a
 *       caller never finds itself re-entered by the task it posted.
 *   <li>A task that throws MUST NOT stop the loop (the failure is logged).
 *   <li>{@link #nanoTime} is the clock of the loop's timers; everything that measures time for the
 *       client's state (resends, typing, idle links, waits before reopening) MUST read it, so that
 *       a {@link ManualLoop} can move it.
 *   <li>Once the loop is closed, {@link #post} returns {@code false} and drops the task, and
 *       scheduled tasks no longer run.
 *   <li>{@link #post}, {@link #schedule}, {@link #nanoTime} and {@link #inLoop} are safe from any
 *       thread.
 * </ul>
 */
public interface EventLoop extends Executor {

  /** Runs {@code task} on the loop, later; {@code false} (and the task dropped) once closed. */
  boolean post(Runnable task);

  /** Runs {@code task} on the loop after {@code delay}, unless the loop is closed by then. */
  void schedule(Runnable task, Duration delay);

  /** The loop's clock, in nanoseconds from an arbitrary origin, as {@link System#nanoTime}. */
  long nanoTime();

  /** Whether the calling thread is the loop's. */
  boolean inLoop();

  /**
   * @throws RejectedExecutionException once the loop is closed
   */
  @Override
  default void execute(Runnable task) {
    if (!post(task)) {
      throw new RejectedExecutionException("the client is closed");
    }
  }

  /**
   * Runs {@code task} on the loop and returns its result: at once when called on the loop, else by
   * posting it and waiting. Its exception, if unchecked, is rethrown as it is.
   *
   * @throws IllegalStateException if the loop is closed
   */
  default <T> T call(Supplier<T> task) {
    if (inLoop()) {
      return task.get();
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    boolean posted =
        post(
            () -> {
              try {
                result.complete(task.get());
              } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
              }
            });
    if (!posted) {
      throw new IllegalStateException("the client is closed");
    }
    try {
      return result.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }
}
