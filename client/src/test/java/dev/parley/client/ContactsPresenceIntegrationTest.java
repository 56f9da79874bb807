package dev.parley.client;

import static dev.parley.client.PeerLinkIntegrationTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.chat.Messenger;
import dev.parley.client.profile.Delivery;
import dev.parley.client.server.ServerState;
import dev.parley.protocol.PresenceMode;
import dev.parley.protocol.UserName;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real clients of a real server in contacts presence mode: they hear only of the people they have
 * conversations with, and of them as they would in everyone mode, across restarts of the server.
 */
@Timeout(120)
class ContactsPresenceIntegrationTest {
  private static final UserName ALICE = new UserName("alice");
  private static final UserName BOB = new UserName("bob");
  private static final Messenger.Options NO_GRACE =
      Messenger.Options.DEFAULTS.withPresenceGrace(Duration.ZERO);

  @TempDir Path data;
  private TestBed bed;

  @BeforeEach
  void start() {
    bed = new TestBed(data, PresenceMode.CONTACTS);
  }

  @AfterEach
  void stop() {
    bed.close();
  }

  @Test
  void twoPeopleWhoTalkSeeEachOtherComeAndGoAndSomeoneTheyNeverTalkedToIsNotSeen() {
    bed.login("carol");
    TestBed.Peer alice = bed.login("alice", bed.ws(), NO_GRACE);
    TestBed.Peer bob = bed.login("bob", bed.ws(), NO_GRACE);
    assertThat(alice.client().presenceMode()).isEqualTo(PresenceMode.CONTACTS);
    assertThat(alice.client().online()).isEmpty();

    await(alice.client().send(BOB, "hello").delivered());
    assertThat(Recorder.next(bob.events().received).text()).isEqualTo("hello");
    assertThat(Recorder.next(alice.events().joined)).isEqualTo(BOB);
    assertThat(Recorder.next(bob.events().joined)).as("bob watches who wrote").isEqualTo(ALICE);

    bob.client().close();
    assertThat(Recorder.next(alice.events().left)).isEqualTo(BOB);
    bed.login("dave"); // before bob is back: were alice told of him, it would come first
    TestBed.Peer back = bed.login("bob", bed.ws(), NO_GRACE);
    assertThat(back.client().online()).as("watched from the profile at login").contains(ALICE);
    assertThat(Recorder.next(alice.events().joined)).isEqualTo(BOB);

    var unused = alice.client().history(BOB, 1); // a turn of alice's loop: her events are in
    assertThat(alice.events().joined).isEmpty();
    assertThat(alice.events().left).isEmpty();
    assertThat(alice.client().online()).containsExactly(BOB);
  }

  @Test
  void aMessageToSomeoneOfflineIsDeliveredWhenTheyComeOnline() {
    TestBed.Peer alice = bed.login("alice");
    var sending = alice.client().send(BOB, "see you later");
    assertThat(sending.entry().state()).isEqualTo(Delivery.QUEUED);

    TestBed.Peer bob = bed.login("bob");

    assertThat(await(sending.delivered()).state()).isEqualTo(Delivery.DELIVERED);
    assertThat(Recorder.next(bob.events().received).text()).isEqualTo("see you later");
  }

  /**
   * Watches end with the connection: after the restart each client watches again and waits for the
   * answer before it says it is online, so who is online is right at once, and bob, back a moment
   * after alice, is neither reported gone nor back; that he is still watched shows when he leaves.
   */
  @Test
  void afterAServerRestartTheWatchesAreRenewedAndPresenceIsRight() {
    TestBed.Peer alice = bed.login("alice");
    TestBed.Peer bob =
        bed.login(
            "bob",
            bed.ws(),
            Messenger.Options.DEFAULTS,
            b -> b.reconnect(Duration.ofSeconds(2), Duration.ofSeconds(2)));
    await(alice.client().send(BOB, "hello").delivered());
    Recorder.until(alice.events().joined, BOB::equals);
    Recorder.until(bob.events().joined, ALICE::equals);

    bed.stopServer();
    bed.restartServer();

    Recorder.until(alice.events().states, s -> s == ServerState.RECONNECTING);
    Recorder.until(alice.events().states, s -> s == ServerState.ONLINE);
    Recorder.until(bob.events().states, s -> s == ServerState.RECONNECTING);
    Recorder.until(bob.events().states, s -> s == ServerState.ONLINE);
    assertThat(bob.client().online()).as("the answer to bob's watch, at once").contains(ALICE);
    Awaitility.await().atMost(Recorder.TIMEOUT).until(() -> alice.client().online().contains(BOB));
    var unused = alice.client().history(BOB, 1); // a turn of alice's loop: her events are in
    assertThat(alice.events().joined).isEmpty();
    assertThat(alice.events().left).as("bob came back within the grace").isEmpty();

    bob.client().close();
    assertThat(Recorder.next(alice.events().left)).isEqualTo(BOB);
    assertThat(alice.events().joined).isEmpty();
  }
}
