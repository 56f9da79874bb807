package dev.parley.app.doctor;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs a step of the checkup on a virtual thread of its own and waits for it no longer than its
 * limit. Each step bounds its own network waits; this catches what they cannot, such as a DNS
 * lookup or a library's fixed timeout longer than {@code --timeout}.
 */
final class Bounded<T> {
  private final CompletableFuture<T> result = new CompletableFuture<>();
  private final Thread thread;

  private Bounded(Supplier<T> step) {
    thread =
        Thread.ofVirtual()
            .name("parley-doctor")
            .start(
                () -> {
                  try {
                    result.complete(step.get());
                  } catch (RuntimeException | Error e) {
                    result.completeExceptionally(e);
                  }
                });
  }

  /** Starts {@code step} at once. */
  static <T> Bounded<T> start(Supplier<T> step) {
    return new Bounded<>(step);
  }

  /** Runs {@code step}; if it takes longer than {@code limit}, the answer is {@code late}'s. */
  static <T> T within(Duration limit, Supplier<T> step, Supplier<T> late) {
    return start(step).await(limit, late);
  }

  /**
   * The step's result, or {@code late}'s if it is not there within {@code limit} (the step is
   * interrupted and left behind: a process that exits soon does not wait for it).
   */
  T await(Duration limit, Supplier<T> late) {
    try {
      return result.get(Math.max(0, limit.toMillis()), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      thread.interrupt();
      return late.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      thread.interrupt();
      return late.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(e.getCause());
    }
  }
}
