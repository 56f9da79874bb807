package dev.parley.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.ConsoleMessage;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.PresenceMode;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web client on a server in contacts mode (docs/protocol.md, "Presence modes"), which tells
 * each client only of the names it watches: the page watches the people it has conversations with.
 */
@ExtendWith(ChromiumExtension.class)
@Timeout(180)
class WebClientContactsPresenceTest {
  static {
    PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
  }

  /**
   * Stores conversations with {@code names}, each with one message, the latest with the last name,
   * as if they had been had in this browser; the page reads them at its next load.
   */
  private static final String SEED_CONVERSATIONS =
      """
      async (names) => {
        const { store, session } = window.parley;
        const account = session.account;
        await Promise.all(names.map((name, i) => {
          const peer = name.toLowerCase();
          const id = `seed-${i}`;
          return Promise.all([
            store.put('conversations', { account, peer, name, unread: 0 }),
            store.put('messages', {
              key: `${account}|${peer}|in|${id}`, account, peer, id, dir: 'in', kind: 'text',
              text: `hello from ${name}`, ts: Date.now(), seq: i + 1, state: 'received',
            }),
          ]);
        }));
      }
      """;

  @TempDir Path data;
  private ParleyServer server;

  @BeforeEach
  void start() {
    server = ParleyServer.start(contactsMode().withPort(0));
  }

  private ServerConfig contactsMode() {
    return ServerConfig.defaults().withDataDirectory(data).withPresenceMode(PresenceMode.CONTACTS);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String url() {
    return "http://127.0.0.1:" + server.port() + "/";
  }

  @Test
  void twoPeopleWhoStartAConversationByNameSeeEachOtherComeAndGoAndNobodyElse(Browsers browsers) {
    Page davesTab = browsers.open(url());
    new WebChat(davesTab).signIn("dave");
    davesTab.close();
    WebChat carol = new WebChat(browsers.open(url())).signIn("carol");
    BrowserContext bobsBrowser = browsers.newContext();
    WebChat bob = new WebChat(browsers.open(bobsBrowser, url())).signIn("bob");
    WebChat alice = new WebChat(browsers.open(url())).signIn("alice");

    // Bob is online, but the server tells alice only of the people she talks to: nobody yet.
    assertThat(alice.nobodyYet()).isVisible();
    assertThat(alice.nobodyYet()).containsText("lists only the people you have conversations with");
    assertThat(alice.page().getByText("Nobody else is online")).isHidden();
    assertThat(alice.person("bob")).hasCount(0);
    browsers.screenshot(alice.page(), "web-contacts-nobody-yet");

    alice.startConversation("dave");
    assertThat(alice.status()).hasAttribute("data-state", "offline");
    assertThat(alice.presence("dave")).hasAttribute("data-online", "false");
    assertThat(alice.page().locator("#people-hint")).isVisible();
    alice.startConversation("bob");
    assertThat(alice.status()).hasAttribute("data-state", "online");
    assertThat(alice.presence("bob")).hasAttribute("data-online", "true");
    alice.send("hello bob, I found you by name");
    assertThat(alice.stateOf("hello bob")).hasAttribute("data-state", "delivered");
    // Bob watched nobody: alice's offer had him watch her.
    assertThat(bob.person("alice")).hasAttribute("aria-label", "alice, online, 1 unread");

    bob.page().close();
    assertThat(alice.presence("bob")).hasAttribute("data-online", "false");
    assertThat(alice.status()).hasAttribute("data-state", "offline");
    // Back, signed in again by itself: bob watches alice again, alice hears of his return.
    bob = new WebChat(browsers.open(bobsBrowser, url()));
    bob.awaitOnline();
    assertThat(bob.presence("alice")).hasAttribute("data-online", "true");
    assertThat(alice.presence("bob")).hasAttribute("data-online", "true");

    // After a reload alice watches bob again: she hears of him leaving and coming back.
    alice.page().reload();
    alice.awaitOnline();
    assertThat(alice.presence("bob")).hasAttribute("data-online", "true");
    assertThat(alice.status()).hasAttribute("data-state", "online");
    assertThat(alice.presence("dave")).hasAttribute("data-online", "false");
    browsers.screenshot(alice.page(), "web-contacts-people");
    bob.page().close();
    assertThat(alice.presence("bob")).hasAttribute("data-online", "false");
    bob = new WebChat(browsers.open(bobsBrowser, url()));
    bob.awaitOnline();
    assertThat(alice.presence("bob")).hasAttribute("data-online", "true");

    // Carol was online all along, before each of the changes above reached alice and bob.
    assertThat(alice.person("carol")).hasCount(0);
    assertThat(bob.person("carol")).hasCount(0);
    assertThat(alice.page().evaluate("() => window.parley.session.server.isOnline('carol')"))
        .isEqualTo(false);
    assertThat(carol.person("alice")).hasCount(0);
    assertThat(carol.nobodyYet()).isVisible();
  }

  @Test
  void afterTheServerComesBackThePageWatchesAgain(Browsers browsers) {
    BrowserContext bobsBrowser = browsers.newContext();
    WebChat bob = new WebChat(browsers.open(bobsBrowser, url())).signIn("bob");
    WebChat alice = new WebChat(browsers.open(url())).signIn("alice");
    // Nothing written, so no link: only the server says whether bob is there.
    alice.startConversation("bob");
    assertThat(alice.presence("bob")).hasAttribute("data-online", "true");

    int port = server.port();
    server.close();
    assertThat(alice.connection()).hasAttribute("data-state", "reconnecting");
    assertThat(alice.presence("bob")).hasAttribute("data-online", "false");
    server = ParleyServer.start(contactsMode().withPort(port));
    alice.awaitOnline();
    bob.awaitOnline();
    assertThat(alice.presence("bob")).hasAttribute("data-online", "true");
    bob.page().close();
    assertThat(alice.presence("bob")).hasAttribute("data-online", "false");
  }

  @Test
  void theLatestThousandConversationsAreWatchedAndANewOneTakesTheOldestPlace(Browsers browsers) {
    for (String name : List.of("bob", "dave", "erin", "frank")) {
      new WebChat(browsers.open(url())).signIn(name);
    }
    WebChat alice = new WebChat(browsers.open(url())).signIn("alice");
    // 1,101 conversations: bob's the oldest, then 1,099 with names nobody registered, dave's last.
    List<String> names = new ArrayList<>(List.of("bob"));
    for (int i = 0; i < 1099; i++) {
      names.add(String.format("c%04d", i));
    }
    names.add("dave");
    alice.page().evaluate(SEED_CONVERSATIONS, names);
    alice.page().reload();
    alice.awaitOnline();

    // Sent in messages of at most 100 names (the server refuses more in one), the latest first.
    await().atMost(Duration.ofSeconds(30)).until(() -> watches() == 1000);
    assertThat(alice.presence("dave")).hasAttribute("data-online", "true");
    assertThat(alice.presence("bob")).hasAttribute("data-online", "false");
    assertThat(server.metrics().errors(ErrorCode.WATCH_LIMIT)).isZero();

    // A new conversation is watched at once, in place of the oldest watched one.
    alice.startConversation("erin");
    assertThat(alice.presence("erin")).hasAttribute("data-online", "true");
    assertThat(alice.status()).hasAttribute("data-state", "online");
    assertThat(watches()).isEqualTo(1000);
    assertThat(server.metrics().errors(ErrorCode.WATCH_LIMIT)).isZero();

    // Should the page ever count fewer watches than the server, the server's watch_limit leaves
    // the new name unknown (offline), and the page works on.
    alice.page().evaluate("() => window.parley.session.watches.watched.delete('c0500')");
    ConsoleMessage warning =
        alice
            .page()
            .waitForConsoleMessage(
                new Page.WaitForConsoleMessageOptions()
                    .setPredicate(message -> message.text().contains("refused to watch frank")),
                () -> alice.startConversation("frank"));
    assertThat(warning.text()).contains("watch_limit");
    assertThat(server.metrics().errors(ErrorCode.WATCH_LIMIT)).isEqualTo(1);
    assertThat(alice.page().locator("#peer-name")).hasText("frank");
    assertThat(alice.status()).hasAttribute("data-state", "offline");
    alice.send("for when the server tells me of you");
    assertThat(alice.stateOf("for when the server")).hasAttribute("data-state", "queued");
    assertThat(alice.presence("dave")).hasAttribute("data-online", "true");
    assertThat(browsers.console(alice.page())).noneMatch(line -> line.startsWith("uncaught"));
  }

  /** The names watched on the server, summed over its connections ({@code parley_watches}). */
  private long watches() {
    return server
        .metrics()
        .prometheusText()
        .lines()
        .filter(line -> line.startsWith("parley_watches "))
        .mapToLong(line -> Long.parseLong(line.substring("parley_watches ".length())))
        .findFirst()
        .orElseThrow();
  }
}
