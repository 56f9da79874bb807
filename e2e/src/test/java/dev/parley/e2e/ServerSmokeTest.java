package dev.parley.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the end-to-end harness: Debian's Chromium shows the real server's web client, loads a
 * package that npm installed at test time, connects WebRTC peers with host candidates alone, and
 * keeps a profile on disk across a restart.
 */
@ExtendWith(ChromiumExtension.class)
@Timeout(120)
class ServerSmokeTest {
  private static final String MESSAGE = "hello over a data channel";

  @Test
  void chromiumShowsTheStartPageOfARealServer(Browsers browsers, @TempDir Path data) {
    try (ParleyServer server =
        ParleyServer.start(ServerConfig.defaults().withPort(0).withDataDirectory(data))) {
      Page page = browsers.open("http://127.0.0.1:" + server.port() + "/");

      assertThat(page).hasTitle("Parley");
      assertThat(
              page.getByRole(
                  AriaRole.HEADING,
                  new Page.GetByRoleOptions().setName("Talk directly with the people you know")))
          .isVisible();
      assertThat(page.getByLabel("Your name")).isVisible();
      browsers.screenshot(page, "start-page");
    }
  }

  @Test
  void twoPeersInOnePageEchoOverADataChannelWithoutStun(Browsers browsers) {
    Path peerJs = NpmPackages.file("peerjs", "1.5.5", "dist/peerjs.min.js");
    try (StaticSite site =
        StaticSite.start().file("/peerjs.min.js", peerJs).resource("/", "webrtc-smoke.html")) {
      Page page = browsers.open(site.url("/"));
      assertThat(page.locator("#peerjs")).hasText("function");

      page.evaluate("message => { echoBetweenTwoPeers(message).catch(fail); }", MESSAGE);

      assertThat(page.locator("#echo"))
          .hasText("echo: " + MESSAGE, new LocatorAssertions.HasTextOptions().setTimeout(20_000));
      assertThat(page.locator("#candidates")).hasText("host");
      browsers.screenshot(page, "webrtc-smoke");
    }
  }

  @Test
  void aPersistentProfileKeepsLocalStorageAcrossABrowserRestart(Browsers browsers) {
    try (StaticSite site = StaticSite.start().text("/", "<title>Storage</title>")) {
      Path profile = browsers.newProfile();
      BrowserContext before = browsers.launchPersistentContext(profile);
      browsers.open(before, site.url("/")).evaluate("localStorage.setItem('kept', 'yes')");
      before.close();

      BrowserContext after = browsers.launchPersistentContext(profile);
      Object kept = browsers.open(after, site.url("/")).evaluate("localStorage.getItem('kept')");
      Object elsewhere = browsers.open(site.url("/")).evaluate("localStorage.getItem('kept')");

      assertThat(kept).isEqualTo("yes");
      assertThat(elsewhere).as("a fresh context shares no storage").isNull();
    }
  }
}
