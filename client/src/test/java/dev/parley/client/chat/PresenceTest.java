package dev.parley.client.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.Identity;
import dev.parley.protocol.IdentityKey;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the user is told of peers coming and going (docs/client.md, "Presence"): a reconnect, ours
 * or a peer's, within the grace is no news; on the loop's clock, which the test moves.
 */
class PresenceTest extends WorldTest {
  private static final Duration GRACE = Messenger.Options.DEFAULTS.presenceGrace();
  private static final Duration TICK = Duration.ofSeconds(1);

  @Test
  void theGraceIsAFewSecondsByDefault() {
    assertThat(GRACE).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void aPeerWhoseConnectionDropsAndComesBackWithinTheGraceNeverLeft() {
    World.Client alice = world.client("alice").online();
    World.Client bob = world.client("bob").online();
    assertThat(alice.heard.presence()).containsExactly("bob joined");

    bob.offline(); // the server announces bob left, then joined
    world.advance(GRACE.minus(TICK));
    bob.online();
    world.advance(Duration.ofMinutes(1));

    assertThat(alice.heard.presence()).containsExactly("bob joined");
  }

  @Test
  void aPeerWhoStaysAwayIsReportedGoneOnceTheGraceHasPassed() {
    World.Client alice = world.client("alice").online();
    World.Client bob = world.client("bob").online();
    Duration left = world.now();

    bob.offline();
    world.advance(GRACE.minusMillis(1));
    assertThat(alice.heard.presence()).containsExactly("bob joined");
    world.advance(TICK);

    assertThat(alice.heard.presence)
        .last()
        .satisfies(
            heard -> {
              assertThat(heard.what()).isEqualTo("bob left");
              assertThat(heard.at().minus(left)).isBetween(GRACE, GRACE.plus(TICK));
            });
    bob.online();
    assertThat(alice.heard.presence()).containsExactly("bob joined", "bob left", "bob joined");
  }

  @Test
  void aPeerBackWithAnotherKeyIsReportedLeftAndJoinedAsItHappened() {
    World.Client alice = world.client("alice").online();
    World.Client bob = world.client("bob").online();
    assertThat(alice.messenger.safetyNumber(BOB)).isPresent(); // pins the key bob has now
    IdentityKey other = Identity.generate().publicKey();

    bob.offline();
    bob.session.present(other);
    bob.online();

    assertThat(alice.heard.presence()).containsExactly("bob joined", "bob left", "bob joined");
    assertThat(alice.heard.keyChanged).containsExactly(other);
  }

  /**
   * After a restart of the server the welcome lacks whoever has not reconnected yet: our session
   * reports them gone, and back a moment later.
   */
  @Test
  void peersNotYetBackWhenWeReconnectAreNotReportedGoneIfTheyFollowWithinTheGrace() {
    World.Client alice = world.client("alice").online();
    World.Client bob = world.client("bob").online();

    alice.offline(); // the server goes away; bob does not hear of it yet
    bob.offline();
    world.advance(Duration.ofSeconds(2));
    alice.online(); // back first: bob is missing from the welcome
    world.advance(Duration.ofSeconds(2));
    bob.online();
    world.advance(Duration.ofMinutes(1));

    assertThat(alice.heard.presence()).containsExactly("bob joined");
    assertThat(bob.heard.presence()).isEmpty(); // alice was online before bob first logged in
  }

  @Test
  void theGraceCountsOnlyWhileWeAreConnectedSoALongOutageDoesNotReportEveryoneGone() {
    World.Client alice = world.client("alice").online();
    World.Client bob = world.client("bob").online();

    bob.offline(); // heard just before the server went away
    alice.offline();
    world.advance(Duration.ofMinutes(10));
    assertThat(alice.heard.presence()).containsExactly("bob joined");

    alice.online();
    Duration back = world.now();
    world.advance(Duration.ofMinutes(1));

    assertThat(alice.heard.presence()).containsExactly("bob joined", "bob left");
    assertThat(alice.heard.presence)
        .last()
        .satisfies(heard -> assertThat(heard.at().minus(back)).isBetween(GRACE, GRACE.plus(TICK)));
  }

  /** As a watch in contacts mode is answered: the names offline are in "left". */
  @Test
  void aLeaveOfSomeoneNeverSaidToBeOnlineIsNoNews() {
    Heard heard = new Heard(world.loop, true);
    Presence presence = new Presence(GRACE, heard);
    presence.connected(Map.of(), 0);

    presence.left(BOB, 0);
    presence.expire(GRACE.multipliedBy(2).toNanos());

    assertThat(heard.presence()).isEmpty();
  }

  @Test
  void aZeroGraceReportsEveryLeaveAtOnce() {
    World.Client alice =
        world.client("alice", Messenger.Options.DEFAULTS.withPresenceGrace(Duration.ZERO)).online();
    World.Client bob = world.client("bob").online();

    bob.offline();
    bob.online();

    assertThat(alice.heard.presence()).containsExactly("bob joined", "bob left", "bob joined");
  }
}
