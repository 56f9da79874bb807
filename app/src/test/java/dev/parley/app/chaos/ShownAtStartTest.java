package dev.parley.app.chaos;

import static dev.parley.app.chaos.Chaos.TIMEOUT;
import static dev.parley.app.chaos.Chaos.command;
import static dev.parley.app.chaos.Chaos.messages;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.profile.Delivery;
import dev.parley.client.profile.Entry;
import dev.parley.client.profile.Profile;
import dev.parley.protocol.UserName;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A message stored but not shown, as a kill between the two leaves it (made here through the
 * profile, as the window is microseconds wide): {@code receive} prints it at its next start, once,
 * and the run after that does not print it again.
 */
@Timeout(120)
class ShownAtStartTest {
  @TempDir Path dir;

  @Test
  void aMessageStoredButNotShownIsPrintedAtTheNextStartOnce() {
    Path bob = dir.resolve("bob");
    try (Profile profile = Profile.open(bob)) {
      profile
          .store()
          .add(
              new Entry(
                  0,
                  new UserName("alice"),
                  "m1",
                  false,
                  1_700_000_000_000L,
                  "stored, never shown",
                  null,
                  Delivery.RECEIVED,
                  ""));
    }
    try (ParleyServer server =
            ParleyServer.start(
                ServerConfig.defaults().withPort(0).withDataDirectory(dir.resolve("server")));
        Runs runs = new Runs(dir.resolve("logs"))) {
      String address = "127.0.0.1:" + server.port();

      List<String> first = receiveUntilOnline(runs, address, bob);
      List<String> second = receiveUntilOnline(runs, address, bob);

      assertThat(first).containsExactly("stored, never shown");
      assertThat(second).isEmpty();
      assertThat(Databases.rows(bob.resolve("parley.db"), "entries", "shown = 0")).isZero();
    }
  }

  /**
   * What {@code receive} printed by the time it says it is online: what was stored and not shown is
   * printed before that.
   */
  private static List<String> receiveUntilOnline(Runs runs, String address, Path profile) {
    ParleyRun run = runs.start("bob", command("receive", address, "bob", profile, "--json"));
    run.awaitErr("online as bob", TIMEOUT);
    run.terminate();
    return messages(run.out());
  }
}
