package dev.parley.client.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.profile.Entry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Links closed when idle (docs/p2p.md, "Links over time"), in memory. */
class IdleTest extends WorldTest {

  @Test
  void aLinkIdleForFiveMinutesIsClosedAndTheNextMessageOpensANewOne() {
    World.Client alice = world.client("alice").online();
    World.Client bob = world.client("bob").online();
    alice.messenger.send(BOB, "one");
    world.advance(Duration.ofMinutes(5));
    assertThat(bob.heard.linkClosed).isEmpty();

    world.advance(Duration.ofSeconds(2));
    assertThat(bob.heard.linkClosed).containsExactly(ALICE);
    assertThat(alice.heard.linkClosed).containsExactly(BOB);

    alice.messenger.send(BOB, "two");
    world.run();
    assertThat(alice.heard.linkOpened).hasSize(2);
    assertThat(bob.heard.received).extracting(Entry::text).containsExactly("one", "two");
  }

  @Test
  void aLinkWithAMessageStillUnacknowledgedIsNotIdle() {
    World.Client alice = world.client("alice").online();
    new RawPeer(world, "bob").online(); // never acknowledges
    alice.messenger.send(BOB, "waiting for an ack");

    world.advance(Duration.ofMinutes(10));

    assertThat(alice.heard.linkClosed).isEmpty();
  }

  @Test
  void theIdleTimeIsAnOption() {
    World.Client alice =
        world
            .client(
                "alice",
                new Messenger.Options(
                    Duration.ofSeconds(2), 1L << 30, Messenger.Options.DEFAULTS.presenceGrace()))
            .online();
    World.Client bob = world.client("bob").online();
    alice.messenger.send(BOB, "quick");

    world.advance(Duration.ofSeconds(4));

    assertThat(bob.heard.linkClosed).containsExactly(ALICE);
  }
}
