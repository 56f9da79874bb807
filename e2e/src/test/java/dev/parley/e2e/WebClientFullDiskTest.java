package dev.parley.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Identity;
import dev.parley.protocol.ServerMessage;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerConfig;
import dev.parley.testkit.SmallDisk;
import dev.parley.testkit.TestClient;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signing up in the browser while the server's disk is full (a small tmpfs under its data
 * directory, filled to the last byte): the person is told why in a sentence, and signs up once the
 * operator has made room, with nothing reloaded.
 */
@ExtendWith(ChromiumExtension.class)
@Timeout(180)
class WebClientFullDiskTest {
  static {
    PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
  }

  /** More new names than SQLite's files have room for once the disk is full. */
  private static final int MOST_TRIES = 2_000;

  @TempDir Path dir;

  @Test
  void aNewNameOnAFullDiskIsToldWhyAndSignsUpOnceThereIsRoom(Browsers browsers) {
    try (SmallDisk disk = SmallDisk.mount(dir.resolve("disk"), 8)) {
      ServerConfig config =
          ServerConfig.defaults().toBuilder()
              .port(0)
              .dataDirectory(disk.path().resolve("data"))
              .registrationsPerHour(10 * MOST_TRIES)
              .build();
      try (ParleyServer server = ParleyServer.start(config)) {
        URI ws = URI.create("ws://127.0.0.1:" + server.port() + "/ws");
        disk.fill();
        int squeezedIn = 0; // new names that went into room SQLite's files still had
        while (!refusedForAFullDisk(ws, "filler" + squeezedIn)) {
          squeezedIn++;
          if (squeezedIn == MOST_TRIES) {
            throw new AssertionError(MOST_TRIES + " new names registered on a full disk");
          }
        }

        WebChat dora = new WebChat(browsers.open("http://127.0.0.1:" + server.port() + "/"));
        dora.tryToSignIn("dora");
        assertThat(dora.signInError())
            .hasText(
                "The server cannot register “dora” now: its disk is full. Names registered before"
                    + " sign in as usual; try again later, or tell the server's operator.");
        assertThat(dora.page().locator("#app")).isHidden();
        assertThat(dora.page().getByLabel("Your name")).hasValue("dora");
        browsers.screenshot(dora.page(), "web-signin-storage-full");

        disk.makeRoom();
        dora.tryToSignIn("dora");
        dora.awaitOnline();
        assertThat(dora.page().locator("#me-name")).hasText("dora");
      }
    }
  }

  /** Whether a login of the new {@code name} was refused with storage_full (or else welcomed). */
  private static boolean refusedForAFullDisk(URI ws, String name) {
    try (TestClient client = TestClient.connect(ws)) {
      client.sendLogin(name, Identity.generate());
      ServerMessage answer =
          client.await(
              ServerMessage.class,
              m -> m instanceof ServerMessage.Welcome || m instanceof ServerMessage.Error);
      if (answer instanceof ServerMessage.Error error) {
        if (error.code() != ErrorCode.STORAGE_FULL) {
          throw new AssertionError("refused for another reason: " + error);
        }
        return true;
      }
      return false;
    }
  }
}
