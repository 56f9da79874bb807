package dev.parley.server.presence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.Identity;
import dev.parley.protocol.OnlineUser;
import dev.parley.protocol.ServerMessage;
import dev.parley.protocol.UserName;
import dev.parley.protocol.WireCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PresenceBatcherTest {
  private static final OnlineUser ALICE = user("alice");
  private static final OnlineUser BOB = user("bob");

  // A window so long it never closes by itself: the test flushes by hand.
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final List<ServerMessage.Presence> sent = new ArrayList<>();
  private final PresenceBatcher batcher =
      new PresenceBatcher(scheduler, Duration.ofHours(1), frame -> sent.add(decode(frame)));

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  @Test
  void changesWithinAWindowGoOutAsOneFrame() {
    batcher.joined(ALICE);
    batcher.joined(BOB);
    batcher.left(new UserName("carol"));
    batcher.flush();

    assertThat(sent)
        .containsExactly(
            new ServerMessage.Presence(List.of(ALICE, BOB), List.of(new UserName("carol"))));
  }

  @Test
  void onlyTheLastChangeOfANameInAWindowCounts() {
    batcher.joined(ALICE);
    batcher.left(ALICE.name());
    batcher.left(BOB.name());
    batcher.joined(BOB);
    batcher.flush();

    assertThat(sent)
        .containsExactly(new ServerMessage.Presence(List.of(BOB), List.of(ALICE.name())));
  }

  @Test
  void anEmptyWindowSendsNothing() {
    batcher.flush();
    assertThat(sent).isEmpty();
  }

  @Test
  void aNewWindowStartsAfterAFlush() {
    batcher.joined(ALICE);
    batcher.flush();
    batcher.left(ALICE.name());
    batcher.flush();

    assertThat(sent)
        .containsExactly(
            new ServerMessage.Presence(List.of(ALICE), List.of()),
            new ServerMessage.Presence(List.of(), List.of(ALICE.name())));
  }

  private static OnlineUser user(String name) {
    return new OnlineUser(new UserName(name), Identity.generate().publicKey());
  }

  private static ServerMessage.Presence decode(byte[] frame) {
    return (ServerMessage.Presence)
        WireCodec.decodeServer(new String(frame, StandardCharsets.UTF_8));
  }
}
