package dev.parley.client.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.profile.Delivery;
import dev.parley.client.profile.Entry;
import org.junit.jupiter.api.Test;

/**
 * Which received entries the user was shown, remembered in the profile: a process killed between
 * storing a message and showing it shows it at its next start, once (docs/chaos.md).
 */
class ShownTest extends WorldTest {

  @Test
  void entriesStoredButNeverShownAreShownAtTheNextStartOnceOldestFirst() {
    World.Client bob = world.client("bob");
    // What a kill between storing and showing leaves: stored (and acknowledged), never shown.
    bob.profile.store().add(theirs("m1", "first, never shown"));
    bob.profile.store().add(theirs("m2", "second, never shown"));

    World.Client again = world.restart(bob);
    World.Client third = world.restart(again);

    assertThat(again.heard.received)
        .extracting(Entry::text)
        .containsExactly("first, never shown", "second, never shown");
    assertThat(third.heard.received).isEmpty();
    assertThat(third.profile.store().unshown()).isEmpty();
  }

  @Test
  void aMessageShownAsItArrivesIsNotShownAgainAtTheNextStart() {
    World.Client alice = world.client("alice").online();
    World.Client bob = world.client("bob").online();
    var unused = alice.messenger.send(BOB, "shown once");
    world.run();

    World.Client again = world.restart(bob);

    assertThat(bob.heard.received).extracting(Entry::text).containsExactly("shown once");
    assertThat(again.heard.received).isEmpty();
  }

  @Test
  void whatArrivesWhileNothingIsShownWaitsForTheNextClientThatShows() {
    World.Client alice = world.client("alice").online();
    World.Client bob = world.clientShowingNothing("bob").online();
    var unused = alice.messenger.send(BOB, "for later");
    world.run();

    World.Client showing = world.restart(bob);

    assertThat(bob.heard.received).extracting(Entry::text).containsExactly("for later");
    assertThat(showing.heard.received).extracting(Entry::text).containsExactly("for later");
  }

  private static Entry theirs(String id, String text) {
    return new Entry(0, ALICE, id, false, 1, text, null, Delivery.RECEIVED, "");
  }
}
