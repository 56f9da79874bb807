package dev.parley.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.FilePayload;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Two people in two browsers, chatting through the web client the server serves at "/". */
@ExtendWith(ChromiumExtension.class)
@Timeout(180)
class WebClientChatTest {
  static {
    PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
  }

  /** The title of the path badge of a link between two host candidates on this machine. */
  static final Pattern TWO_HOSTS =
      Pattern.compile(
          "^direct: host [0-9a-f.:\\[\\]]+:\\d+ udp \u21c4 host [0-9a-f.:\\[\\]]+:\\d+ udp$");

  @TempDir Path data;
  private ParleyServer server;

  @BeforeEach
  void start() {
    server = ParleyServer.start(ServerConfig.defaults().withPort(0).withDataDirectory(data));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String url() {
    return "http://127.0.0.1:" + server.port() + "/";
  }

  @Test
  void twoBrowsersChatBothWaysWithDeliveryStatesUnreadCountsAndTyping(Browsers browsers) {
    WebChat alice = new WebChat(browsers.open(url())).signIn("alice");
    browsers.screenshot(alice.page(), "web-people-empty");
    WebChat bob = new WebChat(browsers.open(url())).signIn("bob");

    assertThat(alice.person("bob")).containsText("bob");
    alice.open("bob");
    alice.send("hello bob, over a direct link");
    assertThat(alice.stateOf("hello bob")).hasAttribute("data-state", "delivered");
    assertThat(alice.path()).hasText("direct");
    assertThat(alice.path()).hasAttribute("data-kind", "direct");
    assertThat(alice.path()).hasAttribute("title", TWO_HOSTS);
    alice.path().click(); // the pair for those who cannot hover: keyboards, phones
    assertThat(alice.page().locator("#toast")).hasText(TWO_HOSTS);

    assertThat(bob.person("alice")).hasAttribute("aria-label", "alice, online, 1 unread");
    bob.open("alice");
    assertThat(bob.received("hello bob, over a direct link")).isVisible();
    assertThat(bob.person("alice")).hasAttribute("aria-label", "alice, online");

    bob.page().getByLabel("Message", new Page.GetByLabelOptions().setExact(true)).fill("typing");
    assertThat(alice.typing()).hasText("bob is typing…");
    bob.send("hi alice <b>not bold</b>");
    assertThat(alice.typing()).isEmpty();
    assertThat(alice.received("hi alice <b>not bold</b>")).isVisible();
    assertThat(alice.page().locator("#messages b")).hasCount(0);
    assertThat(bob.stateOf("hi alice")).hasAttribute("data-state", "delivered");
    alice.page().getByLabel("Message", new Page.GetByLabelOptions().setExact(true)).fill("…");
    assertThat(bob.typing()).hasText("alice is typing…");
    browsers.screenshot(bob.page(), "web-conversation-desktop");
  }

  @Test
  void aFileGoesEachWayWithProgressAndArrivesAsADownloadWithTheSameBytes(Browsers browsers)
      throws IOException {
    WebChat alice = new WebChat(browsers.open(url())).signIn("alice");
    WebChat bob = new WebChat(browsers.open(url())).signIn("bob");
    alice.open("bob");
    bob.open("alice");
    alice.awaitLink();

    byte[] photo = new byte[700_000];
    new Random(7).nextBytes(photo);
    alice
        .page()
        .locator("#file-input")
        .setInputFiles(new FilePayload("holiday photo.jpg", "image/jpeg", photo));
    assertThat(alice.stateOf("holiday photo.jpg")).hasAttribute("data-state", "delivered");
    assertThat(bob.page().locator(".message.in .file-name")).hasText("holiday photo.jpg");
    assertThat(bob.page().locator(".message.in .file-size")).hasText("684 KB");
    assertThat(downloadedBytes(bob.page(), "holiday photo.jpg")).isEqualTo(photo);
    browsers.screenshot(bob.page(), "web-file-received");

    byte[] notes =
        "minutes of the meeting\n".repeat(2000).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    dropFile(bob.page(), "notes.txt", notes);
    assertThat(bob.stateOf("notes.txt")).hasAttribute("data-state", "delivered");
    assertThat(downloadedBytes(alice.page(), "notes.txt")).isEqualTo(notes);
  }

  @Test
  void aMessageForSomeoneOfflineWaitsInTheOutboxAndGoesOutWhenTheyReturn(Browsers browsers) {
    WebChat alice = new WebChat(browsers.open(url())).signIn("alice");
    BrowserContext bobsBrowser = browsers.newContext();
    Page bobsTab = browsers.open(bobsBrowser, url());
    new WebChat(bobsTab).signIn("bob");
    alice.open("bob");
    bobsTab.close();
    assertThat(alice.page().locator("#peer-status")).containsText("Offline");

    alice.send("for when you are back");
    assertThat(alice.stateOf("for when you are back")).hasAttribute("data-state", "queued");
    alice.page().reload();
    assertThat(alice.stateOf("for when you are back")).hasAttribute("data-state", "queued");
    browsers.screenshot(alice.page(), "web-outbox-queued");

    WebChat bob = new WebChat(browsers.open(bobsBrowser, url()));
    bob.awaitOnline();
    assertThat(alice.stateOf("for when you are back")).hasAttribute("data-state", "delivered");
    bob.open("alice");
    assertThat(bob.received("for when you are back")).hasCount(1);
  }

  @Test
  void aReloadAndABrowserRestartKeepTheIdentityAndTheHistory(Browsers browsers) {
    Path profile = browsers.newProfile();
    BrowserContext first = browsers.launchPersistentContext(profile);
    WebChat alice = new WebChat(browsers.open(first, url())).signIn("alice");
    String key = alice.publicKey();
    WebChat bob = new WebChat(browsers.open(url())).signIn("bob");
    alice.open("bob");
    alice.send("remember this");
    assertThat(alice.stateOf("remember this")).hasAttribute("data-state", "delivered");
    bob.open("alice");
    bob.send("and this");
    assertThat(alice.received("and this")).isVisible();

    alice.page().reload();
    alice.awaitOnline();
    assertThat(alice.page().locator("#me-name")).hasText("alice");
    assertThat(alice.publicKey()).isEqualTo(key);
    assertThat(alice.page().locator("#peer-name")).hasText("bob");
    assertThat(alice.messages()).hasCount(2);

    first.close();
    BrowserContext again = browsers.launchPersistentContext(profile);
    WebChat restarted = new WebChat(browsers.open(again, url()));
    restarted.awaitOnline();
    assertThat(restarted.publicKey()).isEqualTo(key);
    restarted.open("bob");
    assertThat(restarted.stateOf("remember this")).hasAttribute("data-state", "delivered");
    assertThat(restarted.received("and this")).isVisible();
  }

  @Test
  void openLinksKeepWorkingWhileTheServerIsGone(Browsers browsers) {
    WebChat alice = new WebChat(browsers.open(url())).signIn("alice");
    WebChat bob = new WebChat(browsers.open(url())).signIn("bob");
    alice.open("bob");
    bob.open("alice");
    alice.awaitLink();
    bob.awaitLink();

    server.close();
    assertThat(alice.connection()).hasAttribute("data-state", "reconnecting");
    assertThat(alice.connection()).containsText("direct chats still work");
    // The header says what the link does, not what a server that is gone last said.
    assertThat(alice.status()).hasAttribute("data-state", "connected");
    assertThat(alice.status()).hasText("Connected · end-to-end encrypted");
    assertThat(alice.person("bob").locator(".presence")).hasAttribute("data-online", "true");
    alice.send("the server is down, we are not");
    assertThat(bob.received("the server is down, we are not")).isVisible();
    assertThat(alice.stateOf("the server is down")).hasAttribute("data-state", "delivered");
    browsers.screenshot(alice.page(), "web-server-gone");

    // Bob stays away from the server: when it is back it counts him offline, yet the link works.
    bob.page().evaluate("() => window.parley.session.server.stop()");
    server =
        ParleyServer.start(ServerConfig.defaults().withPort(portOf(alice)).withDataDirectory(data));
    alice.awaitOnline();
    assertThat(alice.status()).hasAttribute("data-state", "connected");
    assertThat(alice.person("bob")).hasAttribute("aria-label", "bob, online");
    alice.send("the server thinks you left");
    assertThat(bob.received("the server thinks you left")).isVisible();
    assertThat(alice.stateOf("the server thinks")).hasAttribute("data-state", "delivered");
    browsers.screenshot(alice.page(), "web-server-back-peer-away");
  }

  private static int portOf(WebChat chat) {
    return Integer.parseInt(
        chat.page().url().replaceAll("^http://127\\.0\\.0\\.1:(\\d+)/.*$", "$1"));
  }

  private static byte[] downloadedBytes(Page page, String name) throws IOException {
    Download download =
        page.waitForDownload(
            () ->
                page.locator(".message.in")
                    .filter(new com.microsoft.playwright.Locator.FilterOptions().setHasText(name))
                    .getByRole(com.microsoft.playwright.options.AriaRole.LINK)
                    .click());
    assertThat(download.suggestedFilename()).isEqualTo(name);
    return Files.readAllBytes(download.path());
  }

  /** Drops a file on the conversation, as dragging one from the desktop does. */
  private static void dropFile(Page page, String name, byte[] content) {
    List<Integer> bytes = new java.util.ArrayList<>();
    for (byte b : content) {
      bytes.add(b & 0xff);
    }
    var transfer =
        page.evaluateHandle(
            "([name, bytes]) => { const t = new DataTransfer();"
                + " t.items.add(new File([new Uint8Array(bytes)], name, {type: 'text/plain'}));"
                + " return t; }",
            List.of(name, bytes));
    page.locator("#conversation-view")
        .dispatchEvent("dragenter", java.util.Map.of("dataTransfer", transfer));
    assertThat(page.locator("#drop")).isVisible();
    page.locator("#conversation-view")
        .dispatchEvent("drop", java.util.Map.of("dataTransfer", transfer));
  }
}
