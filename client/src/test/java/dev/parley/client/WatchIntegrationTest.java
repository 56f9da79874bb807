package dev.parley.client;

import static dev.parley.client.PeerLinkIntegrationTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.server.ServerConnection;
import dev.parley.client.server.ServerListener;
import dev.parley.client.server.ServerSession;
import dev.parley.client.server.ServerState;
import dev.parley.protocol.ClientMessage;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Identity;
import dev.parley.protocol.OnlineUser;
import dev.parley.protocol.PresenceMode;
import dev.parley.protocol.ServerMessage;
import dev.parley.protocol.UserName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Watching, below the conversations, against a real server in contacts mode: the session keeps
 * within the server's limits, and a connection refused a watch says so and goes on.
 */
@Timeout(60)
class WatchIntegrationTest {
  private static final UserName ALICE = new UserName("alice");
  private static final UserName BOB = new UserName("bob");

  @TempDir Path data;
  private TestBed bed;
  private final List<AutoCloseable> opened = new ArrayList<>();

  @BeforeEach
  void start() {
    bed = new TestBed(data, PresenceMode.CONTACTS);
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : opened.reversed()) {
      c.close();
    }
    bed.close();
  }

  /** What a connection or session reported, for a test to wait on. */
  private static final class Heard implements ServerListener {
    final BlockingQueue<UserName> joined = new LinkedBlockingQueue<>();
    final BlockingQueue<UserName> left = new LinkedBlockingQueue<>();
    final BlockingQueue<ServerMessage.Error> errors = new LinkedBlockingQueue<>();

    @Override
    public void joined(OnlineUser user) {
      joined.add(user.name());
    }

    @Override
    public void left(UserName name) {
      left.add(name);
    }

    @Override
    public void error(ServerMessage.Error error) {
      errors.add(error);
    }
  }

  private ServerConnection online(UserName name, Heard heard) {
    ServerConnection connection = new ServerConnection(bed.ws(), name, Identity.generate());
    connection.addListener(heard);
    opened.add(connection);
    connection.login();
    return connection;
  }

  private static List<UserName> names(int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> new UserName("n" + i)).toList();
  }

  @Test
  void aSessionWatchesTheThousandNamesAskedForLastAndIsNeverRefused() {
    List<UserName> asked = names(0, ClientMessage.Watch.MAX_WATCHED + 50);
    UserName first = asked.getFirst();
    UserName beyond = asked.getLast(); // past the limit: not watched
    online(beyond, new Heard());
    ServerSession session = new ServerSession(bed.ws(), ALICE, Identity.generate());
    opened.add(session);
    Heard heard = new Heard();
    session.addListener(heard);
    var unused = session.watch(asked);

    session.login(); // watches, in 11 messages, and waits for the answers

    assertThat(session.presenceMode()).isEqualTo(PresenceMode.CONTACTS);
    assertThat(session.online()).as("%s is online, but not watched", beyond).isEmpty();
    online(first, new Heard());
    assertThat(Recorder.next(heard.joined)).isEqualTo(first);

    await(session.watch(List.of(beyond))); // the most recent now; the least recent goes
    assertThat(session.online()).containsExactlyInAnyOrder(first, beyond);
    assertThat(heard.joined).as("the answer to the watch").containsExactly(beyond);
    assertThat(heard.errors).isEmpty();
    assertThat(heard.left).isEmpty();
  }

  @Test
  void aWatchPastTheLimitIsRefusedWithoutBreakingTheConnection() {
    Heard heard = new Heard();
    ServerConnection alice = online(ALICE, heard);
    online(BOB, new Heard());
    List<UserName> thousand = names(0, ClientMessage.Watch.MAX_WATCHED);
    await(alice.watch(thousand));
    assertThat(heard.left).as("names offline are no news").isEmpty();

    await(alice.watch(List.of(BOB)));

    ServerMessage.Error refused = Recorder.next(heard.errors);
    assertThat(refused.code()).isEqualTo(ErrorCode.WATCH_LIMIT);
    assertThat(alice.isOpen()).isTrue();
    assertThat(alice.online()).isEmpty();

    alice.unwatch(thousand.subList(0, 1));
    await(alice.watch(List.of(BOB)));
    assertThat(alice.online()).containsExactly(BOB);
    assertThat(Recorder.next(heard.joined)).isEqualTo(BOB);
  }

  /**
   * The welcome lists nobody in contacts mode; the session watches again and waits for the answer
   * before it is online, so a peer who stayed online is not reported gone and back. The events of
   * one reconnect come on the reconnecting thread before the next one's, so a second cut makes sure
   * the first reconnect's are all in.
   */
  @Test
  void aReconnectWatchesAgainAndReportsNoChangeForSomeoneWhoStayedOnline() {
    online(BOB, new Heard());
    try (TamperingProxy network = new TamperingProxy(bed.ws(), frame -> frame)) {
      Duration retry = Duration.ofMillis(100);
      ServerSession session =
          new ServerSession(network.ws(), ALICE, Identity.generate(), retry, retry);
      opened.add(session);
      List<String> timeline = new CopyOnWriteArrayList<>();
      session.addListener(
          new ServerListener() {
            @Override
            public void stateChanged(ServerState state) {
              timeline.add(state == ServerState.ONLINE ? "online " + session.online() : "" + state);
            }

            @Override
            public void joined(OnlineUser user) {
              timeline.add(user.name() + " joined");
            }

            @Override
            public void left(UserName name) {
              timeline.add(name + " left");
            }
          });
      var unused = session.watch(List.of(BOB));
      session.login();

      for (int cuts = 1; cuts <= 2; cuts++) {
        network.cut();
        int onlines = cuts + 1;
        Awaitility.await()
            .atMost(Recorder.TIMEOUT)
            .until(() -> timeline.stream().filter(e -> e.startsWith("online")).count() == onlines);
      }

      assertThat(timeline.subList(0, 5))
          .containsExactly(
              "online [bob]", "RECONNECTING", "online [bob]", "RECONNECTING", "online [bob]");
    }
  }

  /**
   * Whoever asks, while the answer to a watch is being taken in, whether the names were answered
   * waits for that answer. Before, the watch stopped being pending before its joins were in: {@code
   * parley send}, asking from its own thread as the answer arrived, found nothing pending, read who
   * was online too early and queued a message for someone online (CI, once).
   */
  @Test
  void anAnswerBeingTakenInStillCountsAsPending() {
    online(BOB, new Heard());
    ServerConnection alice = new ServerConnection(bed.ws(), ALICE, Identity.generate());
    opened.add(alice);
    List<Boolean> answeredWhileJoining = new CopyOnWriteArrayList<>();
    alice.addListener(
        new ServerListener() {
          @Override
          public void joined(OnlineUser user) {
            // Called while the answer is taken in, on the connection's thread.
            answeredWhileJoining.add(alice.answered(List.of(BOB)).isDone());
          }
        });
    alice.login();

    await(alice.watch(List.of(BOB)));

    assertThat(answeredWhileJoining).containsExactly(false);
    assertThat(alice.answered(List.of(BOB))).isDone();
    assertThat(alice.online()).containsExactly(BOB);
  }
}
