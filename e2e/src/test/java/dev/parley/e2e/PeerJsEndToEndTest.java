package dev.parley.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Chromium pages load the stock {@code peerjs} client from npm and talk through Parley's PeerJS
 * endpoint: signaling goes through the server, the data flows directly between the pages.
 */
@ExtendWith(ChromiumExtension.class)
@Timeout(120)
class PeerJsEndToEndTest {
  private static final double WAIT_MS = 20_000;
  private static final int LARGE = 300_000;

  @TempDir Path data;
  private ParleyServer server;
  private StaticSite site;

  @BeforeEach
  void start() {
    server = ParleyServer.start(ServerConfig.defaults().withPort(0).withDataDirectory(data));
    Path peerJs = NpmPackages.file("peerjs", "1.5.5", "dist/peerjs.min.js");
    site = StaticSite.start().file("/peerjs.min.js", peerJs).resource("/", "peerjs-chat.html");
  }

  @AfterEach
  void stop() {
    site.close();
    server.close();
  }

  private Page open(Browsers browsers, String id) {
    Page page = browsers.open(browsers.newContext(), site.url("/?port=" + server.port()));
    assertThat(page.evaluate("id => start(id)", id)).isEqualTo(id);
    return page;
  }

  private static void awaitReceived(Page page, String predicate) {
    page.waitForFunction(
        "() => state.received.some(d => " + predicate + ")",
        null,
        new Page.WaitForFunctionOptions().setTimeout(WAIT_MS));
  }

  @Test
  void twoStockPeerJsClientsTalkBothWaysThroughParley(Browsers browsers) {
    Page alice = open(browsers, "alice");
    Page bob = open(browsers, "bob");

    assertThat(alice.evaluate("connect('bob')")).isEqualTo("bob");
    alice.evaluate("send('hello bob')");
    awaitReceived(bob, "d === 'hello bob'");
    bob.evaluate("send('hello alice')");
    awaitReceived(alice, "d === 'hello alice'");

    // Far over one data-channel message: PeerJS splits it into chunks and joins them again.
    alice.evaluate("n => send('x'.repeat(n) + 'END')", LARGE);
    awaitReceived(
        bob, "typeof d === 'string' && d.length === " + (LARGE + 3) + " && d.endsWith('END')");

    // The server carried the handshake only: a few dozen messages, not the 300 KB.
    long relayed = server.metrics().peerJsRelayedTotal();
    assertThat(relayed).isPositive().isLessThan(100);
    assertThat((java.util.List<?>) alice.evaluate("state.errors")).isEmpty();
    assertThat((java.util.List<?>) bob.evaluate("state.errors")).isEmpty();
    browsers.screenshot(bob, "peerjs-bob");
  }

  @Test
  void aReconnectWithTheSameIdAndTokenReceivesOpen(Browsers browsers) {
    Page alice = open(browsers, "alice");
    Page bob = open(browsers, "bob");
    alice.evaluate("connect('bob')");
    Object token = alice.evaluate("peer.options.token");

    alice.evaluate("peer.disconnect()");
    alice.waitForFunction("() => state.disconnected === 1");
    assertThat(alice.evaluate("reconnect()")).isEqualTo("alice");
    assertThat(alice.evaluate("state.opens")).isEqualTo(2);
    assertThat(alice.evaluate("peer.options.token")).isEqualTo(token);

    // A socket with the same id and token while the old one is still open replaces it, with OPEN
    // (the stock server sends nothing and leaves the client hanging).
    assertThat(alice.evaluate("replaceSocket()")).isEqualTo("OPEN");
    alice.waitForFunction(
        "() => state.disconnected === 2",
        null,
        new Page.WaitForFunctionOptions().setTimeout(WAIT_MS));
    assertThat(alice.evaluate("reconnect()")).isEqualTo("alice");

    // The direct link never needed the server: it carried on throughout.
    bob.evaluate("send('still here')");
    awaitReceived(alice, "d === 'still here'");
    // And signaling works again after the reconnects.
    Page carol = open(browsers, "carol");
    assertThat(carol.evaluate("connect('alice')")).isEqualTo("alice");
    carol.evaluate("send('hi from carol')");
    awaitReceived(alice, "d === 'hi from carol'");
  }
}
