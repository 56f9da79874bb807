package dev.parley.client.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.profile.Delivery;
import dev.parley.protocol.PresenceMode;
import dev.parley.protocol.UserName;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Presence from a server in contacts mode (docs/client.md, "Presence modes"): a client hears only
 * of the names it watches, and watches everyone it has a conversation with; within that, comings
 * and goings are told as in everyone mode.
 */
class ContactsPresenceTest extends WorldTest {
  private static final UserName CAROL = new UserName("carol");
  private static final Duration GRACE = Messenger.Options.DEFAULTS.presenceGrace();
  private static final Duration TICK = Duration.ofSeconds(1);

  @Override
  PresenceMode mode() {
    return PresenceMode.CONTACTS;
  }

  @Test
  void nobodyIsSeenBeforeAConversationStarts() {
    World.Client alice = world.client("alice").online();
    world.client("bob").online();

    assertThat(alice.session.online()).isEmpty();
    assertThat(alice.heard.presence()).isEmpty();
  }

  @Test
  void twoPeopleWhoTalkSeeEachOtherComeAndGoAndNobodyElse() {
    World.Client alice = world.client("alice").online();
    World.Client bob = world.client("bob").online();
    World.Client carol = world.client("carol").online();

    var hello = alice.messenger.send(BOB, "hello");
    world.run();
    assertThat(hello.delivered())
        .isCompletedWithValueMatching(e -> e.state() == Delivery.DELIVERED);
    assertThat(alice.heard.presence()).containsExactly("bob joined"); // the answer to her watch
    assertThat(bob.heard.presence())
        .as("bob watches whoever writes to him")
        .containsExactly("alice joined");

    carol.offline();
    carol.online();
    bob.offline();
    world.advance(GRACE.plus(TICK));
    bob.online();

    assertThat(alice.heard.presence()).containsExactly("bob joined", "bob left", "bob joined");
    assertThat(alice.session.online()).containsExactly(BOB);
    assertThat(carol.heard.presence()).isEmpty();
  }

  @Test
  void aMessageToSomeoneOfflineGoesOutWhenTheyComeOnline() {
    World.Client alice = world.client("alice").online();
    var later = alice.messenger.send(BOB, "see you later");
    world.run();
    assertThat(later.entry().state()).isEqualTo(Delivery.QUEUED);
    assertThat(alice.heard.presence()).as("offline is no news").isEmpty();

    World.Client bob = world.client("bob").online();

    assertThat(later.delivered())
        .isCompletedWithValueMatching(e -> e.state() == Delivery.DELIVERED);
    assertThat(bob.heard.received).extracting(e -> e.text()).containsExactly("see you later");
    assertThat(alice.heard.presence()).containsExactly("bob joined");
  }

  @Test
  void atStartThePeopleOwedAMessageAreWatchedFirstThenTheOthersMostRecentFirst() {
    World.Client alice = world.client("alice").online();
    world.client("bob").online();
    alice.messenger.send(CAROL, "waiting for carol");
    alice.messenger.send(BOB, "to bob, delivered");
    world.run();

    World.Client again = world.restart(alice);

    assertThat(again.session.watches()).first().isEqualTo(List.of(CAROL, BOB));
  }

  @Test
  void openingAConversationWatchesItsPeer() {
    World.Client alice = world.client("alice").online();
    world.client("carol").online();

    alice.messenger.connect(CAROL);
    world.run();

    assertThat(alice.session.online()).containsExactly(CAROL);
    assertThat(alice.heard.presence()).containsExactly("carol joined");
  }

  /** Watches go with the connection; the client's session watches again after each login. */
  @Test
  void aReconnectWithinTheGraceIsNoNewsAsInEveryoneMode() {
    World.Client alice = world.client("alice").online();
    World.Client bob = world.client("bob").online();
    alice.messenger.send(BOB, "hello");
    world.run();

    alice.offline(); // the server goes away; bob does not hear of it yet
    bob.offline();
    world.advance(Duration.ofSeconds(2));
    alice.online(); // back first: bob is not online yet
    world.advance(Duration.ofSeconds(2));
    bob.online();
    world.advance(Duration.ofMinutes(1));

    assertThat(alice.heard.presence()).containsExactly("bob joined");
    assertThat(bob.heard.presence()).containsExactly("alice joined");
    assertThat(alice.session.online()).containsExactly(BOB);
  }
}
