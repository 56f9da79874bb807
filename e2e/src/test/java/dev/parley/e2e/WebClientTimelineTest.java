package dev.parley.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** How a conversation reads: times in the reader's own format, once per run of messages. */
@ExtendWith(ChromiumExtension.class)
@Timeout(180)
class WebClientTimelineTest {
  static {
    PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
  }

  /** 9:05 in the morning, UTC. */
  private static final String MORNING = "2026-03-02T09:05:00Z";

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

  private BrowserContext browserIn(Browsers browsers, String locale) {
    BrowserContext context =
        browsers.newContext(new Browser.NewContextOptions().setLocale(locale).setTimezoneId("UTC"));
    context.clock().setFixedTime(MORNING);
    return context;
  }

  @Test
  void timesAreWrittenAsTheLocaleWritesThemWithoutAForcedLeadingZero(Browsers browsers) {
    WebChat alice = new WebChat(browsers.open(browserIn(browsers, "en-US"), url())).signIn("alice");
    WebChat bob = new WebChat(browsers.open(browserIn(browsers, "de-DE"), url())).signIn("bob");
    alice.open("bob").send("good morning");
    assertThat(alice.stateOf("good morning")).hasAttribute("data-state", "delivered");
    // Chromium's ICU puts a narrow no-break space before "AM".
    assertThat(alice.shownTimes()).hasText(Pattern.compile("^9:05[\\s\\u202f]AM$"));
    bob.open("alice");
    assertThat(bob.shownTimes()).hasText("09:05");

    Object afternoon =
        alice
            .page()
            .evaluate(
                "async () => (await import('/js/dom.js')).formatTime(Date.parse('"
                    + "2026-03-02T17:40:00Z'))");
    assertThat(afternoon.toString()).matches("5:40[\\s\\u202f]PM");
  }

  @Test
  void aRunOfMessagesFromOneSideShowsItsTimeOnceUnderTheLast(Browsers browsers) {
    WebChat alice = new WebChat(browsers.open(url())).signIn("alice");
    WebChat bob = new WebChat(browsers.open(url())).signIn("bob");
    alice.open("bob");
    for (String text : List.of("one", "two", "three")) {
      alice.send(text);
      assertThat(alice.stateOf(text)).hasAttribute("data-state", "delivered");
    }
    bob.open("alice");
    assertThat(bob.messages()).hasCount(3);
    assertThat(bob.shownTimes()).hasCount(1);
    assertThat(bob.page().locator("#messages .message:not(.continued)")).containsText("three");
    bob.send("four");
    assertThat(bob.stateOf("four")).hasAttribute("data-state", "delivered");
    assertThat(bob.shownTimes()).hasCount(2);
    assertThat(alice.shownTimes()).hasCount(2);
    assertThat(alice.page().locator(".message.out.continued")).hasCount(2);
    browsers.screenshot(bob.page(), "web-message-runs");

    // The rule itself: a run ends at the other side, after five minutes, at midnight, and where
    // our messages' delivery states part.
    Object ends =
        alice
            .page()
            .evaluate(
                "async () => { const { continues } = await import('/js/messages.js');"
                    + " const at = (iso, dir = 'out', state = 'delivered') =>"
                    + "   ({ ts: Date.parse(iso), dir, state });"
                    + " return ["
                    + "  continues(at('2026-03-02T12:00:00'), at('2026-03-02T12:04:59')),"
                    + "  continues(at('2026-03-02T12:00:00'), at('2026-03-02T12:05:01')),"
                    + "  continues(at('2026-03-02T12:00:00'), at('2026-03-02T12:01:00', 'in')),"
                    + "  continues(at('2026-03-02T23:59:00'), at('2026-03-03T00:01:00')),"
                    + "  continues(at('2026-03-02T12:00:00'), at('2026-03-02T12:01:00', 'out',"
                    + "   'queued')),"
                    + "  continues(at('2026-03-02T12:00:00', 'in', 'received'),"
                    + "   at('2026-03-02T12:01:00', 'in', 'received')),"
                    + "  continues(at('2026-03-02T12:00:00'), undefined)]; }");
    assertThat(ends).isEqualTo(List.of(true, false, false, false, false, true, false));
  }
}
