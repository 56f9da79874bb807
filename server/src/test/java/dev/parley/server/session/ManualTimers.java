package dev.parley.server.session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/** Timers that go off only when a test says so. */
final class ManualTimers implements Collaborators.Timers {
  private record Pending(Runnable task, Duration delay, CompletableFuture<Void> handle) {}

  private final List<Pending> pending = new ArrayList<>();

  @Override
  public synchronized Future<?> schedule(Runnable task, Duration delay) {
    CompletableFuture<Void> handle = new CompletableFuture<>();
    pending.add(new Pending(task, delay, handle));
    return handle;
  }

  /** Runs every task scheduled so far that was not cancelled, as if its delay had passed. */
  void fireAll() {
    List<Pending> due;
    synchronized (this) {
      due = List.copyOf(pending);
      pending.clear();
    }
    for (Pending timer : due) {
      if (!timer.handle().isCancelled()) {
        timer.task().run();
      }
    }
  }

  /** The delays of the tasks still waiting, cancelled or not. */
  synchronized List<Duration> delays() {
    return pending.stream().map(Pending::delay).toList();
  }
}
