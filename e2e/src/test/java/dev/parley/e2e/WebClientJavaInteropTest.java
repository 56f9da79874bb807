package dev.parley.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.FilePayload;
import dev.parley.client.ParleyClient;
import dev.parley.client.chat.ChatListener;
import dev.parley.client.link.LinkPath;
import dev.parley.client.link.NoPathException;
import dev.parley.client.link.PeerLink;
import dev.parley.client.profile.Entry;
import dev.parley.protocol.UserName;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A person in a browser and one on the Java client talk directly: either side may open the link,
 * each checks the other's signed DTLS fingerprint, messages and files are acknowledged both ways
 * (many at once in batches from Java), and both show the same safety number.
 */
@ExtendWith(ChromiumExtension.class)
@Timeout(180)
class WebClientJavaInteropTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final UserName ALICE = new UserName("alice");

  static {
    PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
  }

  @TempDir Path data;

  /** Counts the batches (text messages that are JSON arrays) the page's data channels receive. */
  private static final String COUNT_BATCHES =
      """
      window.batchesSeen = 0;
      const onmessage = Object.getOwnPropertyDescriptor(RTCDataChannel.prototype, 'onmessage');
      Object.defineProperty(RTCDataChannel.prototype, 'onmessage', {
        configurable: true,
        get() { return onmessage.get.call(this); },
        set(handler) {
          onmessage.set.call(this, (event) => {
            if (typeof event.data === 'string' && event.data.startsWith('[')) window.batchesSeen++;
            return handler(event);
          });
        },
      });
      """;

  /** Queues what the Java client hears. */
  static final class Heard implements ChatListener {
    final BlockingQueue<UserName> opened = new LinkedBlockingQueue<>();
    final BlockingQueue<Entry> received = new LinkedBlockingQueue<>();
    final BlockingQueue<Boolean> typing = new LinkedBlockingQueue<>();

    /** What happened to the client's links, in order: what a failure report needs. */
    final List<String> links = Collections.synchronizedList(new ArrayList<>());

    /** Runs once, on the client's loop, when the next message arrives (then it is queued). */
    final AtomicReference<Runnable> onNextMessage = new AtomicReference<>();

    @Override
    public void linkOpened(UserName peer, Optional<LinkPath> path) {
      note("opened to " + peer + " " + path);
      opened.add(peer);
    }

    @Override
    public void linkClosed(UserName peer) {
      note("closed to " + peer);
    }

    @Override
    public void noPath(UserName peer, NoPathException why) {
      note("no path to " + peer + ": " + why.getMessage());
    }

    @Override
    public void problem(UserName peer, String message) {
      note("problem with " + peer + ": " + message);
    }

    private void note(String event) {
      links.add(Instant.now() + " " + event);
    }

    @Override
    public void received(Entry entry) {
      Runnable next = onNextMessage.getAndSet(null);
      if (next != null) {
        next.run();
      }
      received.add(entry);
    }

    @Override
    public void typing(UserName peer, boolean active) {
      typing.add(active);
    }
  }

  @Test
  void aBrowserAndAJavaClientChatAndSendFilesBothWaysWhicheverSideOpensTheLink(Browsers browsers)
      throws Exception {
    try (ParleyServer server =
        ParleyServer.start(
            ServerConfig.defaults().withPort(0).withDataDirectory(data.resolve("server")))) {
      String url = "http://127.0.0.1:" + server.port() + "/";
      Page page = browsers.open(url);
      page.addInitScript(COUNT_BATCHES);
      page.reload();
      WebChat alice = new WebChat(page).signIn("alice");
      Heard heard = new Heard();
      try (ParleyClient bob =
          ParleyClient.builder(
                  URI.create("ws://127.0.0.1:" + server.port() + "/ws"), new UserName("bob"))
              .profile(data.resolve("bob"))
              .downloads(data.resolve("downloads"))
              .listener(heard)
              .connect()) {
        // The browser offers; the Java client answers.
        alice.open("bob");
        alice.send("hello from a browser");
        assertThat(next(heard.received).text()).isEqualTo("hello from a browser");
        assertThat(alice.stateOf("hello from a browser")).hasAttribute("data-state", "delivered");
        assertThat(alice.path()).hasText("direct");
        assertThat(alice.path()).hasAttribute("title", WebClientChatTest.TWO_HOSTS);
        assertThat(next(heard.opened)).isEqualTo(ALICE);
        await(bob.send(ALICE, "hello from Java").delivered());
        assertThat(alice.received("hello from Java")).isVisible();
        bob.typing(ALICE, true);
        assertThat(alice.typing()).isVisible();
        browsers.screenshot(alice.page(), "web-with-java-client");

        // Both show the same safety number.
        alice
            .page()
            .getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Verify"))
            .click();
        assertThat(alice.page().locator("#safety-number"))
            .hasAttribute("data-number", bob.safetyNumber(ALICE).orElseThrow());
        alice.page().keyboard().press("Escape");

        // A file each way, verified by its hash on arrival.
        byte[] photo = new byte[400_000];
        new Random(5).nextBytes(photo);
        alice
            .page()
            .locator("#file-input")
            .setInputFiles(new FilePayload("from-browser.bin", "application/octet-stream", photo));
        Entry file = next(heard.received);
        assertThat(file.text()).isEqualTo("from-browser.bin");
        assertThat(Files.readAllBytes(file.fileInfo().orElseThrow().path())).isEqualTo(photo);
        assertThat(alice.stateOf("from-browser.bin")).hasAttribute("data-state", "delivered");
        Path notes = data.resolve("from-java.txt");
        byte[] text =
            "written in Java\n".repeat(5000).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Files.write(notes, text);
        await(bob.sendFile(ALICE, notes).delivered());
        assertThat(downloaded(alice.page(), "from-java.txt")).isEqualTo(text);

        // The Java client hangs up, then offers a new link itself; the browser answers.
        PeerLink link = await(bob.link(ALICE));
        link.close();
        await(link.closed());
        assertThat(alice.status()).not().hasAttribute("data-state", "connected");
        assertThat(alice.path()).isHidden();
        PeerLink second = await(bob.link(ALICE));
        assertThat(second.id()).isNotEqualTo(link.id());
        await(bob.send(ALICE, "a second link, offered from Java").delivered());
        assertThat(alice.received("a second link, offered from Java")).isVisible();
        alice.send("and answered by the browser");
        assertThat(next(heard.received).text()).isEqualTo("and answered by the browser");

        // Many at once: the Java client sends them in batches, which the browser reads. Sent in
        // one turn of bob's loop (from his listener, as an answer), so that they are gathered
        // however fast this thread would have called send.
        CompletableFuture<List<CompletableFuture<Entry>>> burst = new CompletableFuture<>();
        heard.onNextMessage.set(
            () -> {
              List<CompletableFuture<Entry>> sent = new ArrayList<>();
              for (int i = 0; i < 300; i++) {
                sent.add(bob.send(ALICE, "burst " + i).delivered());
              }
              burst.complete(sent);
            });
        alice.send("send me a burst");
        assertThat(next(heard.received).text()).isEqualTo("send me a burst");
        await(CompletableFuture.allOf(await(burst).toArray(CompletableFuture[]::new)));
        assertThat(alice.received("burst 299")).isVisible();
        assertThat(
                alice
                    .page()
                    .locator(".message.in")
                    .filter(new Locator.FilterOptions().setHasText("burst ")))
            .hasCount(300);
        assertThat(((Number) page.evaluate("window.batchesSeen")).intValue())
            .as(
                "batches the browser received; the Java client's links: %s; the browser's: %s",
                heard.links,
                browsers.console(page).stream().filter(line -> line.contains("link")).toList())
            .isPositive();
      }
    }
  }

  private static byte[] downloaded(Page page, String name) throws IOException {
    Download download =
        page.waitForDownload(
            () ->
                page.locator(".message.in")
                    .filter(new Locator.FilterOptions().setHasText(name))
                    .getByRole(AriaRole.LINK)
                    .click());
    return Files.readAllBytes(download.path());
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
