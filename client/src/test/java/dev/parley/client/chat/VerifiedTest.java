package dev.parley.client.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.client.trust.KeyChangedException;
import dev.parley.protocol.Identity;
import dev.parley.protocol.IdentityKey;
import org.junit.jupiter.api.Test;

/** The user's mark on a peer's key after comparing safety numbers, as the client API gives it. */
class VerifiedTest extends WorldTest {

  @Test
  void nobodyWeHaveNeverMetCanBeMarkedVerified() {
    World.Client alice = world.client("alice").online();

    assertThat(alice.messenger.markVerified(BOB)).isEmpty();

    assertThat(alice.messenger.isVerified(BOB)).isFalse();
    assertThat(alice.profile.pins().pinned(BOB)).isEmpty();
  }

  @Test
  void aPeerIsVerifiedOnceMarkedUntilTheMarkIsTakenBack() {
    World.Client alice = world.client("alice").online();
    World.Client bob = world.client("bob").online();
    // What the two compare out of band; looking at it pins bob's key.
    assertThat(alice.messenger.safetyNumber(BOB)).isEqualTo(bob.messenger.safetyNumber(ALICE));
    assertThat(alice.messenger.isVerified(BOB)).as("trusted on first use, not verified").isFalse();

    assertThat(alice.messenger.markVerified(BOB)).contains(bob.profile.identity().publicKey());

    assertThat(alice.messenger.isVerified(BOB)).isTrue();
    bob.offline();
    assertThat(alice.messenger.isVerified(BOB)).as("the mark is the key's, online or not").isTrue();
    assertThat(alice.messenger.unmarkVerified(BOB)).isTrue();
    assertThat(alice.messenger.isVerified(BOB)).isFalse();
    assertThat(alice.messenger.unmarkVerified(BOB)).isFalse();
  }

  @Test
  void aKeyChangeIsNeverShownAsVerifiedAndTheNewKeyMustBeAcceptedBeforeItIsMarked() {
    World.Client alice = world.client("alice").online();
    World.Client bob = world.client("bob").online();
    IdentityKey old = bob.profile.identity().publicKey();
    assertThat(alice.messenger.safetyNumber(BOB)).isPresent();
    assertThat(alice.messenger.markVerified(BOB)).contains(old);
    IdentityKey fresh = Identity.generate().publicKey();

    bob.offline();
    bob.session.present(fresh);
    bob.online();

    assertThat(alice.heard.keyChanged).containsExactly(fresh);
    assertThat(alice.messenger.isVerified(BOB)).isFalse();
    assertThat(alice.profile.pins().isVerified(BOB)).as("the old key keeps its mark").isTrue();
    assertThatThrownBy(() -> alice.messenger.markVerified(BOB))
        .isInstanceOfSatisfying(
            KeyChangedException.class,
            e -> {
              assertThat(e.pinned()).isEqualTo(old);
              assertThat(e.presented()).isEqualTo(fresh);
            });

    assertThat(alice.messenger.acceptKey(BOB)).contains(fresh);

    assertThat(alice.messenger.isVerified(BOB)).as("the new key is not verified").isFalse();
    assertThat(alice.messenger.markVerified(BOB)).contains(fresh);
    assertThat(alice.messenger.isVerified(BOB)).isTrue();
  }
}
