package dev.parley.server.presence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.Identity;
import dev.parley.protocol.OnlineUser;
import dev.parley.protocol.ServerMessage;
import dev.parley.protocol.UserName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PresenceBatcherTest {
  private static final OnlineUser ALICE = user("alice");
  private static final OnlineUser BOB = user("bob");
  private static final long WINDOW = Duration.ofMillis(20).toNanos();

  /** A timer and clock in the test's hands: tasks run when the test moves time on. */
  private long now = 1_000_000_000L;

  /** How many frames the fan-out says each batch took. */
  private int recipients = 100;

  /** What the fan-out does besides, while it sends a batch. */
  private Runnable whileSending = () -> {};

  private final List<Scheduled> scheduled = new ArrayList<>();
  private final List<ServerMessage.Presence> sent = new ArrayList<>();
  private final PresenceBatcher batcher =
      new PresenceBatcher(
          (task, delay) -> scheduled.add(new Scheduled(now + delay, task)),
          Duration.ofNanos(WINDOW),
          () -> now,
          changes -> {
            sent.add(changes);
            whileSending.run();
            return recipients;
          });

  private record Scheduled(long at, Runnable task) {}

  private void advance(long nanos) {
    now += nanos;
    List<Scheduled> due = scheduled.stream().filter(s -> s.at() <= now).toList();
    scheduled.removeAll(due);
    due.forEach(s -> s.task().run());
  }

  @Test
  void aChangeAfterAQuietSpellGoesOutAtOnce() {
    batcher.joined(ALICE);
    advance(0);

    assertThat(sent).containsExactly(new ServerMessage.Presence(List.of(ALICE), List.of()));
  }

  @Test
  void changesRightAfterAFlushWaitForTheWindowAndGoOutAsOneFrame() {
    batcher.joined(ALICE);
    advance(0);
    batcher.joined(BOB);
    batcher.left(new UserName("carol"));
    advance(WINDOW - 1);
    assertThat(sent).hasSize(1);

    advance(1);

    assertThat(sent)
        .last()
        .isEqualTo(new ServerMessage.Presence(List.of(BOB), List.of(new UserName("carol"))));
  }

  @Test
  void onlyTheLastChangeOfANameInAWindowCounts() {
    batcher.joined(user("first"));
    advance(0);
    batcher.joined(ALICE);
    batcher.left(ALICE.name());
    batcher.left(BOB.name());
    batcher.joined(BOB);
    advance(WINDOW);

    assertThat(sent)
        .last()
        .isEqualTo(new ServerMessage.Presence(List.of(BOB), List.of(ALICE.name())));
  }

  @Test
  void manyChangesDuringChurnCostOneFramePerWindow() {
    for (int i = 0; i < 100; i++) {
      batcher.joined(user("u" + i));
      advance(WINDOW / 10);
    }
    advance(WINDOW);

    assertThat(sent).hasSizeBetween(10, 12);
    assertThat(sent.stream().mapToInt(p -> p.joined().size()).sum()).isEqualTo(100);
  }

  @Test
  void aQuietServerTellsEvenALargeAudienceAtOnce() {
    recipients = 20_000;
    batcher.joined(ALICE);
    advance(0);
    batcher.joined(BOB);
    advance(WINDOW);

    assertThat(sent).hasSize(2);
  }

  @Test
  void underSustainedChurnFramesPerSecondStayBoundedHoweverManyAreOnline() {
    recipients = 20_000;
    long second = Duration.ofSeconds(1).toNanos();
    List<OnlineUser> churners = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      churners.add(user("u" + i));
    }
    for (int i = 0; i < 10_000; i++) { // a change every millisecond for ten seconds
      batcher.joined(churners.get(i % churners.size()));
      advance(second / 1000);
    }

    long frames = (long) sent.size() * recipients;
    assertThat(frames)
        .isLessThanOrEqualTo(10 * PresenceBatcher.FRAMES_PER_SECOND + 2L * recipients);
    assertThat(sent.size()).isGreaterThanOrEqualTo(10); // still about one flush per 800 ms
  }

  @Test
  void aChangeMadeWhileABatchIsSentWaitsForTheBudgetThatBatchSpent() {
    recipients = 40_000; // 1.6 s of the budget, of which a burst of 1 s may be spent ahead
    whileSending =
        () -> {
          whileSending = () -> {};
          batcher.joined(BOB); // scheduled before the batch being sent is paid for
        };
    batcher.joined(ALICE);
    advance(0);
    assertThat(sent).hasSize(1);

    advance(WINDOW);
    assertThat(sent).as("held back by the budget, not only the window").hasSize(1);
    advance(Duration.ofMillis(600).toNanos() - WINDOW - 1);
    assertThat(sent).hasSize(1);

    advance(1);
    assertThat(sent).last().isEqualTo(new ServerMessage.Presence(List.of(BOB), List.of()));
  }

  @Test
  void anEmptyFlushSendsNothing() {
    batcher.flush();
    assertThat(sent).isEmpty();
  }

  private static OnlineUser user(String name) {
    return new OnlineUser(new UserName(name), Identity.generate().publicKey());
  }
}
