package dev.parley.app.chaos;

import static dev.parley.app.chaos.Chaos.TIMEOUT;
import static dev.parley.app.chaos.Chaos.burst;
import static dev.parley.app.chaos.Chaos.command;
import static dev.parley.app.chaos.Chaos.line;
import static dev.parley.app.chaos.Chaos.messages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.app.cli.ExitCode;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerConfig;
import dev.parley.testkit.SmallDisk;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A profile on a disk that fills up (a small tmpfs, filled to the last byte): the client says so in
 * one sentence, keeps what it stored, and what it could not take waits in the sender's outbox until
 * there is room again.
 */
@Timeout(180)
class FullDiskTest {
  private static final int DISK_MIB = 8;

  @TempDir Path dir;
  private ParleyServer server;
  private Runs runs;

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

  /**
   * Bob stops, his disk fills up, and alice writes to him: he cannot start on a full disk, says why
   * in one sentence, and keeps what he has; once there is room he gets what waited in alice's
   * outbox. (A receiver that is running when its disk fills up says the same sentence for each
   * message it cannot store, which stays in the sender's outbox; SQLite goes on writing into room
   * its files already have for a long while, so a test cannot make that happen at a chosen time.)
   */
  @Test
  void aReceiverWhoseDiskIsFullSaysSoAndMissesNothing() {
    Path alice = dir.resolve("alice");
    try (SmallDisk disk = SmallDisk.mount(dir.resolve("bob-disk"), DISK_MIB)) {
      Path bob = disk.path().resolve("bob");
      ParleyRun before = bobReceives(bob);
      ParleyRun sender =
          runs.start("alice", command("chat", address(), "alice", alice, "--to", "bob"));
      IntStream.range(0, 20).forEach(n -> sender.type(line(n)));
      await().atMost(TIMEOUT).until(() -> messages(before.out()).size() >= 20);
      before.terminate(); // it closes its database: SQLite removes its -wal and -shm files

      disk.fill();
      IntStream.range(20, 40).forEach(n -> sender.type(line(n))); // bob is away: queued
      await().atMost(TIMEOUT).until(() -> Databases.outbox(alice) == 20);
      ParleyRun full = runs.start("bob", command("receive", address(), "bob", bob, "--json"));
      int code = full.awaitExit(TIMEOUT);
      String said = full.err().strip();

      disk.makeRoom(); // SQLite cannot even read a WAL database on a disk with no room for -shm
      List<String> kept = Databases.history(bob, "alice", false);
      String integrity = Databases.integrity(bob.resolve("parley.db"));
      ParleyRun after = bobReceives(bob);
      await("what bob could not take comes")
          .atMost(TIMEOUT)
          .until(() -> messages(after.out()).size() >= 20);
      await().atMost(TIMEOUT).until(() -> Databases.outbox(alice) == 0);
      sender.endInput();
      assertThat(sender.awaitExit()).isZero();
      after.close();

      assertThat(code).isEqualTo(ExitCode.PROFILE);
      assertSaysTheDiskIsFull(said);
      assertThat(kept).isEqualTo(burst(0, 20));
      assertThat(integrity).isEqualTo("ok");
      assertThat(messages(after.out())).isEqualTo(burst(20, 40));
      assertThat(Databases.history(bob, "alice", false)).isEqualTo(burst(0, 40));
      assertThat(Databases.integrity(bob.resolve("parley.db"))).isEqualTo("ok");
      Chaos.figure(
          "receiver's disk full",
          "40 messages sent, 40 delivered once each; 20 stored before the disk filled were kept;"
              + " 20 waited in the sender's outbox; refused with: "
              + said);
    }
  }

  @Test
  void aSenderWhoseDiskIsFullSaysSoAndKeepsItsHistory() {
    try (SmallDisk disk = SmallDisk.mount(dir.resolve("alice-disk"), DISK_MIB)) {
      Path alice = disk.path().resolve("alice");
      assertThat(send(alice, "before the disk filled up")).isEqualTo(ExitCode.QUEUED);

      disk.fill();
      ParleyRun full =
          runs.start("alice", command("send", address(), "alice", alice, "--to", "bob", "x"));
      int code = full.awaitExit(TIMEOUT);
      String said = full.err().strip();

      disk.makeRoom(); // SQLite cannot even read a WAL database on a disk with no room for -shm
      List<String> kept = Databases.history(alice, "bob", true);
      String integrity = Databases.integrity(alice.resolve("parley.db"));
      assertThat(send(alice, "once there was room")).isEqualTo(ExitCode.QUEUED);

      assertThat(code).isEqualTo(ExitCode.PROFILE);
      assertSaysTheDiskIsFull(said);
      assertThat(kept).containsExactly("before the disk filled up");
      assertThat(integrity).isEqualTo("ok");
      assertThat(Databases.history(alice, "bob", true))
          .containsExactly("before the disk filled up", "once there was room");
      assertThat(Databases.outbox(alice)).isEqualTo(2);
      Chaos.figure("sender's disk full", "refused with: " + said);
    }
  }

  private ParleyRun bobReceives(Path profile) {
    ParleyRun run = runs.start("bob", command("receive", address(), "bob", profile, "--json"));
    run.awaitErr("online as bob", TIMEOUT);
    return run;
  }

  private int send(Path profile, String text) {
    return runs.start("alice", command("send", address(), "alice", profile, "--to", "bob", text))
        .awaitExit(TIMEOUT);
  }

  private String address() {
    return "127.0.0.1:" + server.port();
  }

  /** One sentence, in Parley's words, saying the disk is full. */
  private static void assertSaysTheDiskIsFull(String said) {
    assertThat(said)
        .startsWith("parley: ")
        .contains("is full; nothing new can be stored until there is room")
        .doesNotContain("\n")
        .doesNotContain("Exception");
  }
}
