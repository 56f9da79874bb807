package dev.parley.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Starting out: nobody to talk to yet, and conversations with people who are not online. */
@ExtendWith(ChromiumExtension.class)
@Timeout(180)
class WebClientNewConversationTest {
  static {
    PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
  }

  private static final Browser.NewContextOptions PHONE =
      new Browser.NewContextOptions()
          .setViewportSize(390, 844)
          .setDeviceScaleFactor(2)
          .setIsMobile(true)
          .setHasTouch(true);

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
  void withNobodyToTalkToThePageSaysSoOnceAndWhatToDoNext(Browsers browsers) {
    WebChat alone = new WebChat(browsers.open(url())).signIn("alice");
    Page page = alone.page();
    assertThat(alone.nobodyYet()).isVisible();
    assertThat(alone.nobodyYet()).containsText("Nobody to talk to yet");
    assertThat(page.getByText("Choose someone on the left")).isHidden();
    assertThat(page.getByText("online yet")).hasCount(0);
    browsers.screenshot(page, "web-nobody-yet");

    new WebChat(browsers.open(url())).signIn("bob");
    assertThat(alone.person("bob")).isVisible();
    assertThat(alone.nobodyYet()).isHidden();
    assertThat(page.locator("#people-hint")).isHidden(); // everyone online is listed
    assertThat(page.getByText("Choose someone on the left")).isVisible();
  }

  @Test
  void onAPhoneWithNobodyToTalkToTheEmptyStateTakesTheListsPlace(Browsers browsers) {
    WebChat phone = new WebChat(browsers.open(browsers.newContext(PHONE), url())).signIn("carol");
    assertThat(phone.nobodyYet()).isVisible();
    assertThat(
            phone
                .nobodyYet()
                .getByRole(
                    AriaRole.BUTTON,
                    new Locator.GetByRoleOptions().setName("Start a conversation")))
        .isVisible();
    assertThat(phone.page().locator(".sidebar")).isHidden();
    browsers.screenshot(phone.page(), "web-nobody-yet-phone");

    new WebChat(browsers.open(url())).signIn("alice");
    assertThat(phone.person("alice")).isVisible();
    assertThat(phone.nobodyYet()).isHidden();
    assertThat(phone.page().locator(".sidebar")).isVisible();
  }

  @Test
  void aConversationStartedByNameWithSomeoneOfflineWhoNeverWroteWaitsForThem(Browsers browsers) {
    BrowserContext bobsBrowser = browsers.newContext();
    Page bobsTab = browsers.open(bobsBrowser, url());
    new WebChat(bobsTab).signIn("Bob");
    bobsTab.close();

    WebChat alice = new WebChat(browsers.open(url())).signIn("alice");
    Page page = alice.page();
    assertThat(alice.nobodyYet()).isVisible();
    alice
        .nobodyYet()
        .getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Start a conversation"))
        .click();
    alice.askFor("nobody");
    assertThat(alice.newConversationError())
        .hasText("Nobody is registered on this server as “nobody”. Check the spelling with them.");
    browsers.screenshot(page, "web-new-conversation-unknown");
    alice.askFor("no spaces");
    assertThat(alice.newConversationError()).containsText("A name is 1 to 32 letters");
    alice.askFor("ALICE");
    assertThat(alice.newConversationError()).containsText("That is your own name");

    // The name in any case; the conversation takes the spelling Bob registered.
    alice.askFor("bob");
    assertThat(page.locator("#new-dialog")).isHidden();
    assertThat(page.locator("#peer-name")).hasText("Bob");
    assertThat(alice.status()).hasAttribute("data-state", "offline");
    alice.send("welcome, for when you are first back");
    assertThat(alice.stateOf("welcome, for when")).hasAttribute("data-state", "queued");
    page.reload();
    alice.awaitOnline();
    assertThat(alice.person("Bob")).isVisible();
    assertThat(alice.stateOf("welcome, for when")).hasAttribute("data-state", "queued");

    WebChat bob = new WebChat(browsers.open(bobsBrowser, url()));
    bob.awaitOnline();
    assertThat(alice.stateOf("welcome, for when")).hasAttribute("data-state", "delivered");
    bob.open("alice");
    assertThat(bob.received("welcome, for when you are first back")).hasCount(1);

    // Someone already in the list opens at once, from the list's own button.
    alice.startConversation("BOB");
    assertThat(page.locator("#new-dialog")).isHidden();
    assertThat(page.locator("#peer-name")).hasText("Bob");
  }
}
