package dev.parley.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.FilePayload;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's pictures of the web client, in {@code docs/images/}: sign-in, a conversation on a
 * desktop and on a phone. What they show is fixed (names, words, the clock, the locale), and no key
 * or safety number is in view, so a run with an unchanged page rewrites the same images.
 */
@ExtendWith(ChromiumExtension.class)
@Timeout(180)
class WebClientReadmeImagesTest {
  static {
    PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
  }

  /** A Friday afternoon, for every browser of the test. */
  private static final String NOW = "2026-06-12T17:05:00Z";

  private static final long MAX_IMAGE_BYTES = 100_000;

  @TempDir Path data;

  private static BrowserContext browser(Browsers browsers, Browser.NewContextOptions options) {
    BrowserContext context = browsers.newContext(options.setLocale("en-US").setTimezoneId("UTC"));
    context.clock().setFixedTime(NOW);
    return context;
  }

  private static Browser.NewContextOptions desktop() {
    return new Browser.NewContextOptions().setViewportSize(1000, 600).setDeviceScaleFactor(1);
  }

  /** A phone, drawn at one pixel per CSS pixel to keep the image small. */
  private static Browser.NewContextOptions phone() {
    return new Browser.NewContextOptions()
        .setViewportSize(390, 844)
        .setDeviceScaleFactor(1)
        .setIsMobile(true)
        .setHasTouch(true);
  }

  @Test
  void signInAndAConversationOnADesktopAndOnAPhone(Browsers browsers) throws IOException {
    try (ParleyServer server =
        ParleyServer.start(ServerConfig.defaults().withPort(0).withDataDirectory(data))) {
      String url = "http://127.0.0.1:" + server.port() + "/";

      Page signIn = browsers.open(browser(browsers, desktop()), url);
      signIn.getByLabel("Your name").fill("alice");
      // The card alone: the page around it is a gradient, which takes many bytes and says little.
      assertSmall(ReadmeImages.save(signIn, "web-signin", signIn.locator(".signin-card"), 32));

      WebChat carol =
          new WebChat(browsers.open(browser(browsers, new Browser.NewContextOptions()), url))
              .signIn("carol");
      WebChat bob = new WebChat(browsers.open(browser(browsers, phone()), url)).signIn("bob");
      WebChat alice = new WebChat(browsers.open(browser(browsers, desktop()), url)).signIn("alice");

      carol.open("alice").send("Lunch tomorrow at noon?");
      assertThat(carol.stateOf("Lunch tomorrow")).hasAttribute("data-state", "delivered");

      bob.open("alice");
      bob.send("Are you coming to the meeting?");
      bob.send("I have the slides.");
      assertThat(bob.stateOf("I have the slides.")).hasAttribute("data-state", "delivered");
      alice.open("bob");
      alice.send("Yes! Send them over, please.");
      assertThat(alice.stateOf("Send them over")).hasAttribute("data-state", "delivered");
      bob.page()
          .locator("#file-input")
          .setInputFiles(
              new FilePayload(
                  "slides.pdf",
                  "application/pdf",
                  "%PDF-1.4 the slides\n".repeat(3000).getBytes(StandardCharsets.UTF_8)));
      assertThat(bob.stateOf("slides.pdf")).hasAttribute("data-state", "delivered");
      assertThat(alice.page().locator(".message.in .download")).isVisible();
      alice.send("Got them, thanks. See you there!");
      assertThat(alice.stateOf("Got them")).hasAttribute("data-state", "delivered");
      assertThat(bob.received("Got them")).isVisible();

      assertThat(alice.path()).hasText("direct");
      assertThat(bob.path()).hasText("direct");
      assertThat(alice.person("carol")).hasAttribute("aria-label", "carol, online, 1 unread");
      assertSmall(ReadmeImages.save(alice.page(), "web-conversation"));
      assertSmall(ReadmeImages.save(bob.page(), "web-conversation-phone"));
    }
  }

  private static void assertSmall(Path file) throws IOException {
    assertThat(Files.size(file)).as("the size of %s", file).isLessThan(MAX_IMAGE_BYTES);
  }
}
