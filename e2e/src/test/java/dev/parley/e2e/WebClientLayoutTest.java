package dev.parley.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.FilePayload;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerConfig;
import dev.parley.server.tls.TlsSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The web client on a phone-sized screen, with the keyboard alone, and over HTTPS. */
@ExtendWith(ChromiumExtension.class)
@Timeout(180)
class WebClientLayoutTest {
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

  @Test
  void onAPhoneTheListAndTheConversationTakeTheWholeScreenInTurn(Browsers browsers) {
    try (ParleyServer server =
        ParleyServer.start(ServerConfig.defaults().withPort(0).withDataDirectory(data))) {
      String url = "http://127.0.0.1:" + server.port() + "/";
      Page phone = browsers.open(browsers.newContext(PHONE), url);
      browsers.screenshot(phone, "web-signin-phone");
      WebChat alice = new WebChat(phone).signIn("alice");
      WebChat bob = new WebChat(browsers.open(url)).signIn("bob");
      WebChat carol = new WebChat(browsers.open(url)).signIn("carol");
      carol.open("alice").send("lunch at noon?");
      assertThat(alice.person("carol")).hasAttribute("aria-label", "carol, online, 1 unread");
      browsers.screenshot(phone, "web-people-phone");

      alice.open("bob");
      assertThat(phone.locator(".sidebar")).isHidden();
      bob.open("alice");
      bob.send("Are you coming to the meeting? I have the slides.");
      alice.send("Yes! Send them over, please.");
      bob.page()
          .locator("#file-input")
          .setInputFiles(
              new FilePayload(
                  "slides.pdf",
                  "application/pdf",
                  "%PDF-1.4 slides".getBytes(StandardCharsets.UTF_8)));
      assertThat(alice.page().locator(".message.in .download")).isVisible();
      bob.page().getByLabel("Message", new Page.GetByLabelOptions().setExact(true)).fill("…");
      assertThat(alice.typing()).hasText("bob is typing…");
      browsers.screenshot(phone, "web-conversation-phone");

      phone.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Verify")).click();
      browsers.screenshot(phone, "web-safety-number-phone");
      phone.keyboard().press("Escape");
      phone
          .getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Back to people"))
          .click();
      assertThat(phone.locator(".sidebar")).isVisible();
      assertThat(alice.person("carol")).isVisible();
    }
  }

  @Test
  void theAboutPageSaysInPlainWordsWhatAnotherBrowserMayNotDo(Browsers browsers) {
    try (ParleyServer server =
        ParleyServer.start(ServerConfig.defaults().withPort(0).withDataDirectory(data))) {
      Page page = browsers.open("http://127.0.0.1:" + server.port() + "/about.html");
      assertThat(page.locator("h1")).hasText("About this Parley server");
      assertThat(page.getByText("Another browser, or a private window, is another identity"))
          .containsText(
              "is another identity, and the server will not let it sign in with the names that"
                  + " belong to yours.");
      browsers.screenshot(page, "web-about");
    }
  }

  @Test
  void theKeyboardAloneSignsInOpensAConversationAndSends(Browsers browsers) {
    try (ParleyServer server =
        ParleyServer.start(ServerConfig.defaults().withPort(0).withDataDirectory(data))) {
      String url = "http://127.0.0.1:" + server.port() + "/";
      WebChat bob = new WebChat(browsers.open(url)).signIn("bob");
      Page page = browsers.open(url);
      assertThat(page.getByLabel("Your name")).isFocused();
      page.keyboard().type("alice");
      page.keyboard().press("Enter");
      WebChat alice = new WebChat(page);
      alice.awaitOnline();
      assertThat(alice.person("bob")).isVisible();

      alice.person("bob").focus();
      page.keyboard().press("Enter");
      assertThat(page.getByLabel("Message", new Page.GetByLabelOptions().setExact(true)))
          .isFocused();
      page.keyboard().type("typed, not clicked");
      page.keyboard().press("Enter");
      bob.open("alice");
      assertThat(bob.received("typed, not clicked")).isVisible();
    }
  }

  @Test
  void overHttpsWithASelfSignedCertificateThePageIsASecureContextAndChats(Browsers browsers) {
    try (ParleyServer server =
        ParleyServer.start(
            ServerConfig.defaults()
                .withPort(0)
                .withDataDirectory(data)
                .withTls(
                    Optional.of(new TlsSettings.SelfSigned(List.of("localhost", "127.0.0.1")))))) {
      String url = "https://127.0.0.1:" + server.port() + "/";
      Browser.NewContextOptions trusting =
          new Browser.NewContextOptions().setIgnoreHTTPSErrors(true);
      WebChat alice =
          new WebChat(browsers.open(browsers.newContext(trusting), url)).signIn("alice");
      WebChat bob = new WebChat(browsers.open(browsers.newContext(trusting), url)).signIn("bob");
      assertThat(alice.page().evaluate("() => window.isSecureContext")).isEqualTo(true);

      alice.open("bob").send("over wss");
      bob.open("alice");
      assertThat(bob.received("over wss")).isVisible();
    }
  }
}
