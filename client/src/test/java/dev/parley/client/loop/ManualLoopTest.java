package dev.parley.client.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ManualLoop} keeps the contract of {@link EventLoop}, on a clock only its owner moves. */
class ManualLoopTest extends EventLoopContract {
  private ManualLoop loop;

  @Override
  protected EventLoop loop() {
    loop = new ManualLoop();
    return loop;
  }

  @Override
  protected void runFor(Duration time) {
    loop.advance(time);
  }

  @Override
  protected void close() {
    loop.close();
  }

  @Test
  void nothingRunsAndNoTimePassesUntilItsOwnerSaysSo() {
    ManualLoop loop = (ManualLoop) loop();
    List<String> ran = new ArrayList<>();
    loop.post(() -> ran.add("posted"));
    loop.schedule(() -> ran.add("in a minute"), Duration.ofMinutes(1));

    assertThat(ran).isEmpty();
    assertThat(loop.runUntilIdle()).isEqualTo(1);
    assertThat(ran).containsExactly("posted");
    loop.advance(Duration.ofSeconds(59));
    assertThat(ran).containsExactly("posted");
    assertThat(loop.nanoTime()).isEqualTo(Duration.ofSeconds(59).toNanos());

    loop.advance(Duration.ofSeconds(1));

    assertThat(ran).containsExactly("posted", "in a minute");
  }

  @Test
  void aTimerThatSchedulesAnotherWithinTheAdvanceRunsItToo() {
    ManualLoop loop = (ManualLoop) loop();
    List<Long> ticks = new ArrayList<>();
    Runnable[] tick = new Runnable[1];
    tick[0] =
        () -> {
          ticks.add(Duration.ofNanos(loop.nanoTime()).toSeconds());
          loop.schedule(tick[0], Duration.ofSeconds(1));
        };
    loop.schedule(tick[0], Duration.ofSeconds(1));

    loop.advance(Duration.ofSeconds(5));

    assertThat(ticks).containsExactly(1L, 2L, 3L, 4L, 5L);
  }
}
