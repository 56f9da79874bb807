package dev.parley.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.parley.client.ParleyClient;
import dev.parley.client.link.ChannelMessage;
import dev.parley.client.link.PeerLink;
import dev.parley.client.trust.MemoryKeyPins;
import dev.parley.protocol.Identity;
import dev.parley.protocol.UserName;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A person in a browser and one on the Java client talk directly: either side may open the link,
 * each checks the other's signed DTLS fingerprint, and messages are acknowledged both ways.
 */
@ExtendWith(ChromiumExtension.class)
@Timeout(180)
class WebClientJavaInteropTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  static {
    PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
  }

  @TempDir Path data;

  /** Queues what the Java client hears. */
  static final class Heard implements ParleyClient.Listener {
    final BlockingQueue<PeerLink> opened = new LinkedBlockingQueue<>();
    final BlockingQueue<ChannelMessage.Chat> messages = new LinkedBlockingQueue<>();

    @Override
    public void opened(PeerLink link) {
      opened.add(link);
    }

    @Override
    public void message(PeerLink link, ChannelMessage.Chat message) {
      messages.add(message);
    }
  }

  @Test
  void aBrowserAndAJavaClientChatBothWaysWhicheverSideOpensTheLink(Browsers browsers)
      throws InterruptedException {
    try (ParleyServer server =
        ParleyServer.start(ServerConfig.defaults().withPort(0).withDataDirectory(data))) {
      String url = "http://127.0.0.1:" + server.port() + "/";
      WebChat alice = new WebChat(browsers.open(url)).signIn("alice");
      Heard heard = new Heard();
      try (ParleyClient bob =
          ParleyClient.connect(
              URI.create("ws://127.0.0.1:" + server.port() + "/ws"),
              new UserName("bob"),
              Identity.generate(),
              new MemoryKeyPins(),
              heard)) {
        // The browser offers; the Java client answers.
        alice.open("bob");
        alice.send("hello from a browser");
        assertThat(next(heard.messages).text()).isEqualTo("hello from a browser");
        assertThat(alice.stateOf("hello from a browser")).hasAttribute("data-state", "delivered");
        PeerLink link = next(heard.opened);
        await(link.send("hello from Java"));
        assertThat(alice.received("hello from Java")).isVisible();
        browsers.screenshot(alice.page(), "web-with-java-client");

        // The Java client hangs up, then offers a new link itself; the browser answers.
        link.close();
        await(link.closed());
        assertThat(alice.page().locator("#peer-status")).not().containsText("direct");
        PeerLink second = await(bob.link(new UserName("alice")));
        assertThat(second.id()).isNotEqualTo(link.id());
        await(second.send("a second link, offered from Java"));
        assertThat(alice.received("a second link, offered from Java")).isVisible();
        alice.send("and answered by the browser");
        assertThat(next(heard.messages).text()).isEqualTo("and answered by the browser");
      }
    }
  }

  private static <T> T next(BlockingQueue<T> queue) throws InterruptedException {
    T event = queue.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(event).as("an event within %s", TIMEOUT).isNotNull();
    return event;
  }

  private static <T> T await(CompletableFuture<T> future) {
    return future.orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
  }
}
