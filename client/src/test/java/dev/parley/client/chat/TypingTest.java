package dev.parley.client.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.link.ChannelMessage;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Typing (docs/p2p.md, "Typing"), in memory. */
class TypingTest extends WorldTest {

  private World.Client alice;

  @BeforeEach
  void start() {
    alice = world.client("alice").online();
  }

  @Test
  void typingIsShownUntilTheMessageComes() {
    World.Client bob = world.client("bob").online();
    alice.messenger.connect(BOB);
    world.run();

    alice.messenger.typing(BOB, true);
    world.run();
    assertThat(bob.heard.typing).containsExactly(true);
    alice.messenger.send(BOB, "done typing");
    world.run();

    assertThat(bob.heard.typing).containsExactly(true, false);
  }

  @Test
  void typingGoesOutAtMostEveryThreeSecondsAndStoppingOnlyAfterIt() {
    RawPeer bob = new RawPeer(world, "bob").online();
    alice.messenger.connect(BOB);
    world.run();

    alice.messenger.typing(BOB, false); // nothing was said: nothing to take back
    alice.messenger.typing(BOB, true);
    world.advance(Duration.ofSeconds(1));
    alice.messenger.typing(BOB, true);
    world.advance(Duration.ofMillis(2500));
    alice.messenger.typing(BOB, true);
    alice.messenger.typing(BOB, false);
    world.run();

    assertThat(bob.received)
        .containsExactly(
            new ChannelMessage.Typing(true),
            new ChannelMessage.Typing(true),
            new ChannelMessage.Typing(false));
  }

  @Test
  void typingWithoutARefreshIsNoLongerShownAfterSixSeconds() {
    World.Client bob = world.client("bob").online();
    alice.messenger.connect(BOB);
    world.run();

    alice.messenger.typing(BOB, true);
    world.advance(Duration.ofSeconds(6));
    assertThat(bob.heard.typing).containsExactly(true);
    world.advance(Duration.ofSeconds(1));

    assertThat(bob.heard.typing).containsExactly(true, false);
  }

  @Test
  void typingNeverOpensALinkAndIsNeverQueued() {
    World.Client bob = world.client("bob").online();

    alice.messenger.typing(BOB, true);
    world.advance(Duration.ofSeconds(5));
    alice.messenger.connect(BOB);
    world.run();

    assertThat(alice.heard.linkOpened).hasSize(1);
    assertThat(bob.heard.typing).isEmpty();
  }

  @Test
  void aLinkThatClosesTakesTheTypingIndicatorWithIt() {
    World.Client bob = world.client("bob").online();
    alice.messenger.connect(BOB);
    world.run();
    alice.messenger.typing(BOB, true);
    world.run();

    world.network.cut(ALICE, BOB);
    world.run();

    assertThat(bob.heard.typing).containsExactly(true, false);
  }
}
