package dev.parley.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import dev.parley.protocol.InviteCode;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerConfig;
import dev.parley.server.directory.Directory;
import dev.parley.server.directory.InviteCodes;
import dev.parley.server.session.Registration;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Signing up in the browser on a server that takes new names by invitation only. */
@ExtendWith(ChromiumExtension.class)
@Timeout(180)
class WebClientInviteTest {
  static {
    PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
  }

  @TempDir Path data;

  @Test
  void theSignInFormAsksForTheCodeWhenTheServerNeedsOneAndSignsInWithIt(Browsers browsers) {
    ServerConfig config =
        ServerConfig.defaults().toBuilder()
            .port(0)
            .dataDirectory(data)
            .registration(Registration.Mode.INVITE)
            .build();
    try (ParleyServer server = ParleyServer.start(config)) {
      String url = "http://127.0.0.1:" + server.port() + "/";
      InviteCode code;
      try (Directory directory = ParleyServer.openDirectory(config)) {
        code =
            InviteCodes.issue(directory, 1, InviteCodes.DEFAULT_LIFETIME, Instant.now()).getFirst();
      }

      WebChat dora = new WebChat(browsers.open(url));
      Page page = dora.page();
      assertThat(inviteField(page)).isHidden();
      dora.tryToSignIn("dora");

      assertThat(dora.signInError())
          .containsText(
              "“dora” is not registered on this server, and it takes new names by"
                  + " invitation only. Enter the invite code you were given to register it.");
      assertThat(inviteField(page)).isVisible();
      assertThat(inviteField(page)).isFocused();
      assertThat(page.locator("#app")).isHidden();
      browsers.screenshot(page, "web-signin-invite");

      inviteField(page).fill("H4QM-7ZKD-WX2B-9RTA");
      signIn(page);
      assertThat(dora.signInError()).containsText("The server did not take this invite code");
      assertThat(inviteField(page)).hasAttribute("aria-invalid", "true");

      inviteField(page).fill(code.value().toLowerCase(Locale.ROOT));
      signIn(page);
      dora.awaitOnline();
      assertThat(page.locator("#me-name")).hasText("dora");

      WebChat eve = new WebChat(browsers.open(url));
      eve.tryToSignIn("eve");
      inviteField(eve.page()).fill(code.value());
      signIn(eve.page());
      assertThat(eve.signInError()).containsText("The server did not take this invite code");
    }
  }

  private static Locator inviteField(Page page) {
    return page.getByLabel("Invite code");
  }

  private static void signIn(Page page) {
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
  }
}
