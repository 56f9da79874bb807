package dev.parley.client.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The contract of {@link EventLoop}, as its Javadoc states it, run against each implementation. */
@Timeout(60)
abstract class EventLoopContract {

  /** The loop under test, made for this test. */
  protected abstract EventLoop loop();

  /** Lets the loop run what is ready and what falls due within {@code time}. */
  protected abstract void runFor(Duration time);

  /** Closes the loop. */
  protected abstract void close();

  @Test
  void tasksRunOneAtATimeInTheOrderTheyWerePosted() {
    EventLoop loop = loop();
    List<Integer> ran = new CopyOnWriteArrayList<>();
    AtomicInteger running = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();

    for (int i = 0; i < 1000; i++) {
      int n = i;
      assertThat(
              loop.post(
                  () -> {
                    if (running.incrementAndGet() > 1) {
                      overlaps.incrementAndGet();
                    }
                    ran.add(n);
                    running.decrementAndGet();
                  }))
          .isTrue();
    }
    runFor(Duration.ZERO);

    assertThat(ran).hasSize(1000).isSorted();
    assertThat(overlaps).hasValue(0);
  }

  @Test
  void aPostedTaskNeverRunsBeforePostReturnsEvenOnTheLoop() {
    EventLoop loop = loop();
    List<String> ran = new CopyOnWriteArrayList<>();

    loop.post(
        () -> {
          loop.post(() -> ran.add("inner"));
          ran.add("outer, after posting");
        });
    runFor(Duration.ZERO);

    assertThat(ran).containsExactly("outer, after posting", "inner");
  }

  @Test
  void scheduledTasksRunAfterTheirDelayInTheOrderTheyFallDue() {
    EventLoop loop = loop();
    List<String> ran = new CopyOnWriteArrayList<>();
    long start = loop.nanoTime();
    List<Long> at = new CopyOnWriteArrayList<>();

    // Posted first: posted after the schedules, a test thread descheduled for 20 ms on a busy
    // machine let "sooner" come due before "now" was even posted.
    loop.post(() -> ran.add("now"));
    loop.schedule(
        () -> {
          ran.add("later");
          at.add(loop.nanoTime() - start);
        },
        Duration.ofMillis(40));
    loop.schedule(
        () -> {
          ran.add("sooner");
          at.add(loop.nanoTime() - start);
        },
        Duration.ofMillis(20));
    runFor(Duration.ofMillis(50));

    assertThat(ran).containsExactly("now", "sooner", "later");
    assertThat(at.get(0)).isGreaterThanOrEqualTo(Duration.ofMillis(20).toNanos());
    assertThat(at.get(1)).isGreaterThanOrEqualTo(Duration.ofMillis(40).toNanos());
  }

  @Test
  void aTaskThatThrowsDoesNotStopTheLoop() {
    EventLoop loop = loop();
    List<String> ran = new CopyOnWriteArrayList<>();

    loop.post(
        () -> {
          throw new IllegalStateException("a task that fails, on purpose");
        });
    loop.post(() -> ran.add("next"));
    runFor(Duration.ZERO);

    assertThat(ran).containsExactly("next");
  }

  @Test
  void callRunsItsTaskOnTheLoopAndReturnsItsResult() {
    EventLoop loop = loop();

    assertThat(loop.call(loop::inLoop)).isTrue();
    assertThatThrownBy(
            () ->
                loop.call(
                    () -> {
                      throw new IllegalArgumentException("thrown on the loop");
                    }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("thrown on the loop");
  }

  @Test
  void aClosedLoopTakesNoMoreTasks() {
    EventLoop loop = loop();
    List<String> ran = new CopyOnWriteArrayList<>();

    close();

    assertThat(loop.post(() -> ran.add("too late"))).isFalse();
    assertThatThrownBy(() -> loop.execute(() -> ran.add("too late")))
        .isInstanceOf(RejectedExecutionException.class);
    loop.schedule(() -> ran.add("too late"), Duration.ZERO);
    assertThat(ran).isEmpty();
  }
}
