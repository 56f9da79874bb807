package dev.parley.client.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link ThreadLoop} keeps the contract of {@link EventLoop}, on a thread of its own. */
class ThreadLoopTest extends EventLoopContract {
  private ThreadLoop loop;

  @Override
  protected EventLoop loop() {
    loop = new ThreadLoop("test-loop");
    return loop;
  }

  /**
   * Waits for a task scheduled {@code time} from now, then for one posted after it ran: everything
   * due before has run by then, and so has what those tasks posted while this one was queued (a
   * task posted while another runs is queued behind the marker scheduled before it).
   */
  @Override
  protected void runFor(Duration time) {
    CompletableFuture<Void> reached = new CompletableFuture<>();
    loop.schedule(() -> loop.post(() -> reached.complete(null)), time);
    reached.orTimeout(time.toMillis() + 10_000, TimeUnit.MILLISECONDS).join();
  }

  @Override
  protected void close() {
    loop.close();
  }

  @AfterEach
  void stop() {
    if (loop != null) {
      loop.close();
    }
  }

  @Test
  void itsTasksRunOnOneNamedThreadThatIsNotTheCallers() {
    EventLoop loop = loop();

    assertThat(loop.inLoop()).isFalse();
    assertThat(loop.call(() -> Thread.currentThread().getName())).isEqualTo("test-loop");
    assertThat(loop.call(() -> Thread.currentThread().isDaemon())).isTrue();
  }
}
