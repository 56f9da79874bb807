package dev.parley.client.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.profile.Entry;
import dev.parley.protocol.Identity;
import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.UserName;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A key that changed under a pinned name (docs/p2p.md, "The fingerprint signature"), in memory. */
class KeyChangeTest extends WorldTest {

  @Test
  void aChangedKeyIsRefusedAndReportedOnceUntilTheUserAcceptsItThenMessagesFlow() {
    World.Client carol = world.client("carol");
    IdentityKey old = Identity.generate().publicKey();
    carol.profile.pins().accept(BOB, old); // carol met a bob with another key before
    carol.online();
    World.Client bob = world.client("bob").online();
    assertThat(carol.heard.keyChanged).containsExactly(bob.profile.identity().publicKey());

    Messenger.Sending sending = carol.messenger.send(BOB, "are you really bob?");
    world.advance(Duration.ofMinutes(1));

    assertThat(sending.delivered()).isNotDone();
    assertThat(carol.heard.keyChanged).hasSize(1); // not retried, not reported again
    assertThat(carol.heard.linkOpened).isEmpty();
    assertThat(bob.heard.received).isEmpty();
    String before = carol.messenger.safetyNumber(BOB).orElseThrow();

    assertThat(carol.messenger.acceptKey(BOB)).contains(bob.profile.identity().publicKey());
    world.run();

    assertThat(sending.delivered()).isCompleted();
    assertThat(bob.heard.received).extracting(Entry::text).containsExactly("are you really bob?");
    assertThat(carol.messenger.safetyNumber(BOB).orElseThrow())
        .isNotEqualTo(before)
        .isEqualTo(bob.messenger.safetyNumber(new UserName("carol")).orElseThrow());
  }

  @Test
  void aLinkOfferedBySomeoneWhoseKeyChangedIsRefusedOnBothSides() {
    World.Client alice = world.client("alice");
    alice.profile.pins().accept(BOB, Identity.generate().publicKey());
    alice.online();
    World.Client bob = world.client("bob").online();

    Messenger.Sending sending = bob.messenger.send(ALICE, "it is me");
    world.run();

    assertThat(alice.heard.keyChanged).isNotEmpty();
    assertThat(bob.heard.problems)
        .extracting(Heard.At::what)
        .singleElement()
        .asString()
        .startsWith("alice hung up: key_changed");
    assertThat(sending.delivered()).isNotDone();
    assertThat(alice.heard.received).isEmpty();
  }

  @Test
  void aPeerThatCannotProveTheKeyTheServerPresentsIsRefused() {
    World.Client alice = world.client("alice").online();
    World.Client bob = world.client("bob");
    bob.session.present(Identity.generate().publicKey()); // a server that lies about bob
    bob.online();

    Messenger.Sending sending = alice.messenger.send(BOB, "hello?");
    world.run();

    assertThat(alice.heard.problems)
        .extracting(Heard.At::what)
        .singleElement()
        .asString()
        .contains("is not the identity key pinned for bob");
    assertThat(bob.heard.problems)
        .extracting(Heard.At::what)
        .singleElement()
        .asString()
        .startsWith("alice hung up: bad_fingerprint");
    assertThat(sending.delivered()).isNotDone();
    assertThat(bob.heard.received).isEmpty();
  }

  @Test
  void anOpenLinkEndsWhenTheServerPresentsAnotherKeyForThePeer() {
    World.Client alice = world.client("alice").online();
    World.Client bob = world.client("bob").online();
    var unused = alice.messenger.send(BOB, "hello").delivered();
    world.run();
    assertThat(alice.heard.linkOpened).hasSize(1);

    bob.offline();
    bob.session.present(Identity.generate().publicKey());
    bob.online();

    assertThat(alice.heard.linkClosed).containsExactly(BOB);
    assertThat(alice.heard.keyChanged).hasSize(1);
  }
}
