package dev.parley.client;

import static dev.parley.client.PeerLinkIntegrationTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.chat.Messenger;
import dev.parley.client.server.ServerState;
import dev.parley.protocol.UserName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Losing the server does not stop conversations on open links; clients come back by themselves, and
 * their coming back is not reported to the others as leaving and joining.
 */
@Timeout(120)
class ReconnectIntegrationTest {
  private static final UserName ALICE = new UserName("alice");
  private static final UserName BOB = new UserName("bob");
  private static final UserName DAVE = new UserName("dave");

  @TempDir Path data;
  private TestBed bed;

  @BeforeEach
  void start() {
    bed = new TestBed(data);
  }

  @AfterEach
  void stop() {
    bed.close();
  }

  @Test
  void openLinksKeepDeliveringWhileTheServerIsDownAndClientsReconnect() {
    TestBed.Peer alice = bed.login("alice");
    TestBed.Peer bob = bed.login("bob");
    Recorder.until(alice.events().states, s -> s == ServerState.ONLINE);
    Recorder.until(bob.events().states, s -> s == ServerState.ONLINE);
    await(alice.client().send(BOB, "before").delivered());
    Recorder.next(bob.events().received);

    bed.stopServer();

    Recorder.until(alice.events().states, s -> s == ServerState.RECONNECTING);
    Recorder.until(bob.events().states, s -> s == ServerState.RECONNECTING);
    await(alice.client().send(BOB, "while the server is down").delivered());
    assertThat(Recorder.next(bob.events().received).text()).isEqualTo("while the server is down");
    await(bob.client().send(ALICE, "still here").delivered());
    assertThat(Recorder.next(alice.events().received).text()).isEqualTo("still here");

    bed.restartServer();

    Recorder.until(alice.events().states, s -> s == ServerState.ONLINE);
    Recorder.until(bob.events().states, s -> s == ServerState.ONLINE);
    TestBed.Peer carol = bed.login("carol");
    assertThat(Recorder.until(alice.events().joined, n -> n.equals(new UserName("carol"))))
        .isEqualTo(new UserName("carol"));
    await(carol.client().send(ALICE, "hello after the restart").delivered());
    assertThat(Recorder.next(alice.events().received).text()).isEqualTo("hello after the restart");
    assertThat(alice.client().online()).contains(BOB, new UserName("carol"));
  }

  /**
   * The welcome after the restart lacks whoever has not reconnected yet, and a client used to
   * report them gone and back a moment later. Bob reconnects a second or two after alice; dave, who
   * stays away, is reported gone once the grace has passed; bob, back by then, never is.
   */
  @Test
  void aServerRestartIsNotReportedAsPeersLeavingAndComingBack() {
    TestBed.Peer alice = bed.login("alice");
    TestBed.Peer bob =
        bed.login(
            "bob",
            bed.ws(),
            Messenger.Options.DEFAULTS,
            b -> b.reconnect(Duration.ofSeconds(2), Duration.ofSeconds(2)));
    TestBed.Peer dave = bed.login("dave");
    Recorder.until(alice.events().joined, DAVE::equals);
    alice.events().joined.clear();

    bed.stopServer();
    dave.client().close();
    bed.restartServer();
    Recorder.until(alice.events().states, s -> s == ServerState.RECONNECTING);
    Recorder.until(alice.events().states, s -> s == ServerState.ONLINE);
    assertThat(alice.client().online())
        .as("as the server says, without waiting")
        .doesNotContain(DAVE);

    assertThat(leftUntil(alice, DAVE)).containsExactly(DAVE);
    Recorder.until(bob.events().states, s -> s == ServerState.RECONNECTING);
    Recorder.until(bob.events().states, s -> s == ServerState.ONLINE);
    Awaitility.await().atMost(Recorder.TIMEOUT).until(() -> alice.client().online().contains(BOB));
    var unused = alice.client().history(BOB, 1); // a turn of alice's loop: her events are in
    assertThat(alice.events().joined).isEmpty();
  }

  /** The server announces a dropped connection as a leave, and its return as a join. */
  @Test
  void aPeerWhoseConnectionDropsAndComesBackAtOnceIsNotReportedGone() {
    try (TamperingProxy network = new TamperingProxy(bed.ws(), frame -> frame)) {
      TestBed.Peer alice = bed.login("alice");
      TestBed.Peer bob = bed.login("bob", network.ws(), Messenger.Options.DEFAULTS);
      TestBed.Peer dave = bed.login("dave");
      Recorder.until(alice.events().joined, DAVE::equals);
      alice.events().joined.clear();

      network.cut();
      dave.client().close();

      assertThat(leftUntil(alice, DAVE)).containsExactly(DAVE);
      Recorder.until(bob.events().states, s -> s == ServerState.RECONNECTING); // it did drop
      Recorder.until(bob.events().states, s -> s == ServerState.ONLINE);
      Awaitility.await()
          .atMost(Recorder.TIMEOUT)
          .until(() -> alice.client().online().contains(BOB));
      var unused = alice.client().history(BOB, 1);
      assertThat(alice.events().joined).isEmpty();
    }
  }

  /**
   * Every leave {@code peer} hears up to {@code last}'s, which comes once the grace has passed; and
   * then whatever the same turn of the client's loop reported after it.
   */
  private static List<UserName> leftUntil(TestBed.Peer peer, UserName last) {
    List<UserName> heard = new ArrayList<>();
    Recorder.until(
        peer.events().left,
        name -> {
          heard.add(name);
          return name.equals(last);
        });
    // A call through the loop returns after the turn that reported the leave: its events are in.
    var unused = peer.client().history(last, 1);
    peer.events().left.drainTo(heard);
    return heard;
  }
}
