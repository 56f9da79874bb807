package dev.parley.app.chaos;

import static dev.parley.app.chaos.Chaos.TIMEOUT;
import static dev.parley.app.chaos.Chaos.command;
import static dev.parley.app.chaos.Chaos.occurrences;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.cli.ExitCode;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Identity;
import dev.parley.protocol.ServerMessage;
import dev.parley.testkit.SmallDisk;
import dev.parley.testkit.TestClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's data directory on a disk that fills up (a small tmpfs, filled to the last byte)
 * while it runs: known names still log in, new names are refused with {@code storage_full}, the
 * server says so once in its log and in {@code /health}, nothing stored is lost, and once there is
 * room new names register again, with no restart. A server started on a full disk says so in one
 * sentence.
 */
@Timeout(180)
class ServerFullDiskTest {
  private static final int DISK_MIB = 8;
  private static final int KNOWN = 5;

  /** More new names than a WAL file's worth of room: the disk must refuse one long before. */
  private static final int MOST_TRIES = 2_000;

  @TempDir Path dir;

  @Test
  void aFullDiskRefusesNewNamesLetsKnownNamesInAndLosesNothing() {
    try (SmallDisk disk = SmallDisk.mount(dir.resolve("server-disk"), DISK_MIB);
        ServerRun server =
            ServerRun.start(
                dir.resolve("logs"),
                disk.path().resolve("data"),
                "--registrations-per-hour",
                Integer.toString(10 * MOST_TRIES));
        Runs runs = new Runs(dir.resolve("logs"))) {
      Path alice = dir.resolve("alice"); // the profiles are on the machine's own disk
      assertThat(send(runs, server, "alice", alice)).isEqualTo(ExitCode.QUEUED);
      List<Identity> known = new ArrayList<>();
      for (int i = 0; i < KNOWN; i++) {
        known.add(Identity.generate());
        logIn(server, "known" + i, known.get(i)).close();
      }
      ParleyRun invite =
          runs.start(
              "invite", List.of("invite", "--data", server.data().toString(), "--count", "2"));
      assertThat(invite.awaitExit(TIMEOUT)).isZero();

      disk.fill();
      int squeezedIn = 0; // new names that went into room SQLite's files still had
      ServerMessage refusal = null;
      while (refusal == null && squeezedIn < MOST_TRIES) {
        ServerMessage answer = tryLogIn(server, "new" + squeezedIn, Identity.generate());
        if (answer instanceof ServerMessage.Welcome) {
          squeezedIn++;
        } else {
          refusal = answer;
        }
      }
      assertThat(refusal).as("a new name on a full disk").isNotNull();
      for (int round = 0; round < 4; round++) { // a flood of logins, all told in one log line
        for (int i = 0; i < KNOWN; i++) {
          assertThat(tryLogIn(server, "known" + i, known.get(i)))
              .as("known%d logs in on a full disk", i)
              .isInstanceOf(ServerMessage.Welcome.class);
        }
        assertThat(tryLogIn(server, "late" + round, Identity.generate()))
            .isInstanceOfSatisfying(
                ServerMessage.Error.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_FULL));
      }
      ParleyRun inviteWhenFull =
          runs.start(
              "invite-full", List.of("invite", "--data", server.data().toString(), "--count", "5"));
      int inviteWhenFullCode = inviteWhenFull.awaitExit(TIMEOUT);
      String healthWhenFull = server.health();
      int aliceWhenFull = send(runs, server, "alice", alice);
      ParleyRun carol = runs.start("carol", sendCommand(server, "carol", dir.resolve("carol")));
      int carolWhenFull = carol.awaitExit(TIMEOUT);
      String carolWasTold = carol.err().strip();

      disk.makeRoom();
      ServerMessage afterRoom = tryLogIn(server, "after-room", Identity.generate());
      String healthAfterRoom = server.health();
      int carolAfterRoom = send(runs, server, "carol", dir.resolve("carol"));
      String log = server.log();
      server.stop(); // it closes its database: SQLite removes its -wal and -shm files
      disk.fill();
      ParleyRun restart =
          runs.start(
              "server",
              List.of(
                  "server",
                  "--host",
                  "127.0.0.1",
                  "--port",
                  "0",
                  "--data",
                  server.data().toString(),
                  "--stun-port",
                  "off"));
      int restartCode = restart.awaitExit(TIMEOUT);
      String restartSaid = restart.err();
      disk.makeRoom();

      assertThat(((ServerMessage.Error) refusal).code()).isEqualTo(ErrorCode.STORAGE_FULL);
      assertThat(((ServerMessage.Error) refusal).message()).contains("disk is full");
      assertThat(healthWhenFull).contains("\"directory\":\"full\"", "\"status\":\"degraded\"");
      assertThat(aliceWhenFull).as("alice, known, on a full disk").isEqualTo(ExitCode.QUEUED);
      assertThat(carolWhenFull).as("carol, new, on a full disk").isEqualTo(ExitCode.UNREACHABLE);
      assertThat(carolWasTold)
          .isEqualTo(
              "parley: The Parley server at "
                  + server.address()
                  + " cannot register 'carol' now: its disk is full. Names registered before log"
                  + " in as usual; try again later, or tell the server's operator.");
      assertThat(inviteWhenFullCode).as("invite on a full disk").isEqualTo(ExitCode.FAILURE);
      assertThat(inviteWhenFull.out()).isEmpty();
      assertThat(inviteWhenFull.err().strip())
          .isEqualTo(
              "parley: The disk that holds the data directory "
                  + server.data()
                  + " is full, so no invite codes were made; make room and try again.");
      assertThat(afterRoom).isInstanceOf(ServerMessage.Welcome.class);
      assertThat(healthAfterRoom).contains("\"status\":\"ok\"").doesNotContain("full");
      assertThat(carolAfterRoom).isEqualTo(ExitCode.QUEUED);
      assertThat(occurrences(log, "SQLITE_FULL")).as(log).isEqualTo(1);
      assertThat(log).doesNotContain("WARN");
      assertThat(log).contains(server.data().toString(), "The directory writes again");
      assertThat(restartCode).as("a start on a full disk").isEqualTo(1);
      assertThat(restartSaid)
          .contains(
              "parley server: the disk that holds the data directory "
                  + server.data()
                  + " is full, so the database there cannot be opened; make room and start"
                  + " again (nothing stored is lost)");
      assertThat(Databases.integrity(server.database())).isEqualTo("ok");
      // alice, the known ones, those squeezed in, after-room and carol: none lost, none extra
      int users = 1 + KNOWN + squeezedIn + 2;
      assertThat(Databases.rows(server.database(), "users", "1=1")).isEqualTo(users);
      assertThat(Databases.rows(server.database(), "users", "name LIKE 'late%'")).isZero();
      assertThat(Databases.rows(server.database(), "invites", "used_at IS NULL")).isEqualTo(2);
      Chaos.figure(
          "server's disk full",
          squeezedIn
              + " new names registered after the disk was filled, then each refused with"
              + " storage_full; "
              + (KNOWN * 4 + 1)
              + " logins of known names went on; SQLITE_FULL logged once; "
              + users
              + " users and 2 invites kept; integrity ok; registration worked again with room;"
              + " a start on the full disk refused with exit code "
              + restartCode
              + ";"
              + " the server logged: "
              + log.lines().filter(l -> l.contains("SQLITE_FULL")).findFirst().orElse(""));
    }
  }

  private static TestClient logIn(ServerRun server, String name, Identity identity) {
    return TestClient.login(server.webSocket(), name, identity);
  }

  /** Logs in as {@code name} and leaves: the server's answer, a welcome or an error. */
  private static ServerMessage tryLogIn(ServerRun server, String name, Identity identity) {
    try (TestClient client = TestClient.connect(server.webSocket())) {
      client.sendLogin(name, identity);
      return client.await(
          ServerMessage.class,
          m -> m instanceof ServerMessage.Welcome || m instanceof ServerMessage.Error);
    }
  }

  private static int send(Runs runs, ServerRun server, String name, Path profile) {
    return runs.start(name, sendCommand(server, name, profile)).awaitExit(TIMEOUT);
  }

  private static List<String> sendCommand(ServerRun server, String name, Path profile) {
    return command("send", server.address(), name, profile, "--to", "bob", "hello");
  }
}
