package dev.parley.app.chaos;

import static dev.parley.app.chaos.Chaos.TIMEOUT;
import static dev.parley.app.chaos.Chaos.burst;
import static dev.parley.app.chaos.Chaos.command;
import static dev.parley.app.chaos.Chaos.line;
import static dev.parley.app.chaos.Chaos.messages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.server.ParleyServer;
import dev.parley.server.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client killed with SIGKILL at the worst moments: a sender with messages in its outbox, and a
 * receiver that has stored messages whose acknowledgements never reached the sender. After each
 * restart every message is in the receiver's history once, with no gap, and shown once. Alice types
 * into {@code parley chat}, bob runs {@code parley receive --json}, each a process.
 */
@Timeout(180)
class ClientKillTest {
  /** How often the test tries to stop a process inside the window it means to kill it in. */
  private static final int ATTEMPTS = 5;

  @TempDir Path dir;
  private ParleyServer server;
  private Runs runs;
  private final Path alice = Path.of("alice");
  private final Path bob = Path.of("bob");

  @BeforeEach
  void startServer() {
    runs = new Runs(dir.resolve("logs"));
    server =
        ParleyServer.start(
            ServerConfig.defaults().withPort(0).withDataDirectory(dir.resolve("server-data")));
  }

  @AfterEach
  void stopAll() {
    runs.close();
    server.close();
  }

  @Test
  void aSenderKilledWithMessagesInItsOutboxLosesNoneAndRepeatsNone() {
    ParleyRun first = aliceChats();
    IntStream.range(0, 100).forEach(n -> first.type(line(n))); // bob is offline: all queued
    await("100 messages in alice's outbox")
        .atMost(TIMEOUT)
        .ignoreExceptions() // while her chat makes the profile
        .until(() -> Databases.outbox(profile(alice)) == 100);
    first.kill();
    String afterFirstKill = Databases.integrity(database(alice));
    int queuedAtFirstKill = Databases.outbox(profile(alice));

    ParleyRun receiver = bobReceives();
    ParleyRun second = aliceChats();
    IntStream.range(100, 400).forEach(n -> second.type(line(n)));
    int pendingAtSecondKill = 0;
    for (int attempt = 1; attempt <= ATTEMPTS && pendingAtSecondKill == 0; attempt++) {
      int target = 100 + 50 * attempt;
      await()
          .atMost(TIMEOUT)
          .pollInterval(Duration.ofMillis(5))
          .until(() -> messages(receiver.out()).size() >= target);
      second.pause();
      pendingAtSecondKill = Databases.outbox(profile(alice));
      if (pendingAtSecondKill == 0) {
        second.resume();
      }
    }
    assertThat(pendingAtSecondKill).as("alice's outbox when she was killed mid-burst").isPositive();
    second.kill();
    String afterSecondKill = Databases.integrity(database(alice));
    List<String> stored = Databases.history(profile(alice), "bob", true);
    assertThat(stored).as("what alice stored, in order").isEqualTo(burst(0, stored.size()));

    ParleyRun third = aliceChats(); // alice types again what the killed chat never took
    IntStream.range(stored.size(), 400).forEach(n -> third.type(line(n)));
    await().atMost(TIMEOUT).until(() -> messages(receiver.out()).size() >= 400);
    await("alice's outbox empties")
        .atMost(TIMEOUT)
        .until(() -> Databases.outbox(profile(alice)) == 0);
    third.endInput();
    assertThat(third.awaitExit()).isZero();

    assertThat(Databases.history(profile(bob), "alice", false)).isEqualTo(burst(0, 400));
    assertThat(messages(receiver.out())).isEqualTo(burst(0, 400));
    assertThat(Databases.delivered(profile(alice))).isEqualTo(400);
    assertThat(queuedAtFirstKill).isEqualTo(100);
    assertThat(List.of(afterFirstKill, afterSecondKill)).containsOnly("ok");
    assertThat(Databases.integrity(database(alice))).isEqualTo("ok");
    assertThat(Databases.integrity(database(bob))).isEqualTo("ok");
    Chaos.figure(
        "sender killed twice",
        "400 messages sent, 400 delivered (each once, in order); killed with 100 queued (bob"
            + " offline), then with "
            + pendingAtSecondKill
            + " unacknowledged mid-burst ("
            + stored.size()
            + " stored by then); "
            + Chaos.occurrences(receiver.err(), Chaos.DUPLICATE)
            + " duplicates suppressed; profiles ok after each kill");
  }

  /**
   * Bob's acknowledgements are dropped on their way (every UDP datagram his process sends is
   * dropped) while alice's messages still reach him, so he stores messages that alice never hears
   * he has: then he is killed, in that window, and started again.
   */
  @Test
  void aReceiverKilledBetweenReceivingAndAcknowledgingShowsEveryMessageOnce() {
    ParleyRun first = bobReceives();
    ParleyRun sender = aliceChats();
    IntStream.range(0, 300).forEach(n -> sender.type(line(n)));
    await().atMost(TIMEOUT).until(() -> messages(first.out()).size() >= 100);
    int stored;
    int acknowledged;
    Silenced silenced = Silenced.udpOf(first.pid());
    try {
      IntStream.range(300, 600).forEach(n -> sender.type(line(n)));
      int heard = Chaos.settled(() -> Databases.delivered(profile(alice)));
      await("bob stores messages alice does not hear he has")
          .atMost(TIMEOUT)
          .until(() -> Databases.received(profile(bob)) > heard);
      first.kill();
      stored = Databases.received(profile(bob));
      // Bob is gone, so no acknowledgement arrives now; alice may still be storing the last ones
      // that did (on a busy machine, for a while).
      acknowledged = Chaos.settled(() -> Databases.delivered(profile(alice)));
    } finally {
      silenced.close();
    }
    assertThat(stored).isGreaterThan(acknowledged);
    String afterKill = Databases.integrity(database(bob));
    List<String> shownBefore = messages(first.out());

    ParleyRun second = bobReceives();
    await()
        .atMost(TIMEOUT)
        .until(() -> Databases.history(profile(bob), "alice", false).size() >= 600);
    await("alice's outbox empties")
        .atMost(TIMEOUT)
        .until(() -> Databases.outbox(profile(alice)) == 0);
    sender.endInput();
    assertThat(sender.awaitExit()).isZero();

    List<String> shown = new ArrayList<>(shownBefore);
    shown.addAll(messages(second.out()));
    int duplicates = Chaos.occurrences(second.err(), Chaos.DUPLICATE);
    assertThat(Databases.history(profile(bob), "alice", false)).isEqualTo(burst(0, 600));
    assertThat(Chaos.repeated(shown)).as("messages bob was shown twice").isEmpty();
    assertThat(shown)
        .as("messages bob was shown")
        .containsExactlyInAnyOrderElementsOf(burst(0, 600));
    assertThat(duplicates).isGreaterThanOrEqualTo(stored - acknowledged);
    assertThat(Databases.delivered(profile(alice))).isEqualTo(600);
    assertThat(afterKill).isEqualTo("ok");
    assertThat(Databases.integrity(database(alice))).isEqualTo("ok");
    assertThat(Databases.integrity(database(bob))).isEqualTo("ok");
    Chaos.figure(
        "receiver killed between receiving and acknowledging",
        "600 messages sent, 600 delivered (each once in bob's history, in order; "
            + shown.size()
            + " shown, each once); killed with "
            + stored
            + " stored of which alice had "
            + acknowledged
            + " acknowledged; "
            + duplicates
            + " duplicates suppressed after the restart; profiles ok");
  }

  private ParleyRun aliceChats() {
    return runs.start("alice", command("chat", address(), "alice", profile(alice), "--to", "bob"));
  }

  private ParleyRun bobReceives() {
    ParleyRun run =
        runs.start(
            "bob", command("receive", address(), "bob", profile(bob), "--json", "--verbose"));
    run.awaitErr("online as bob", TIMEOUT);
    return run;
  }

  private String address() {
    return "127.0.0.1:" + server.port();
  }

  private Path profile(Path name) {
    return dir.resolve(name);
  }

  private Path database(Path name) {
    return profile(name).resolve("parley.db");
  }
}
