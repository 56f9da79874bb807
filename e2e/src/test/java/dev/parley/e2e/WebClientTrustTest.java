package dev.parley.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import dev.parley.client.chat.SafetyNumber;
import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.UserName;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Names belong to keys, keys are pinned, and two people can check each other's. */
@ExtendWith(ChromiumExtension.class)
@Timeout(180)
class WebClientTrustTest {
  static {
    PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
  }

  @TempDir Path data;

  private static ParleyServer start(Path data, int port) {
    return ParleyServer.start(ServerConfig.defaults().withPort(port).withDataDirectory(data));
  }

  private static String url(ParleyServer server) {
    return "http://127.0.0.1:" + server.port() + "/";
  }

  @Test
  void signingInAsANameThatBelongsToAnotherKeyIsRefusedWithAClearMessage(Browsers browsers) {
    try (ParleyServer server = start(data, 0)) {
      new WebChat(browsers.open(url(server))).signIn("alice");

      WebChat impostor = new WebChat(browsers.open(url(server)));
      impostor.tryToSignIn("Alice");

      assertThat(impostor.signInError()).isVisible();
      assertThat(impostor.signInError()).containsText("The name “Alice” belongs to someone else");
      assertThat(impostor.page().locator("#app")).isHidden();
      browsers.screenshot(impostor.page(), "web-signin-refused");
      impostor.signIn("mallory");
    }
  }

  @Test
  void theSafetyNumberMatchesTheTestVectorAndIsTheSameOnBothSides(Browsers browsers)
      throws Exception {
    try (ParleyServer server = start(data, 0)) {
      WebChat alice = new WebChat(browsers.open(url(server))).signIn("alice");
      Object vector =
          alice
              .page()
              .evaluate(
                  "async () => (await import('/js/safety.js')).safetyNumber("
                      + "'Alice', 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8',"
                      + " 'bob', 'ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8')");
      assertThat(vector)
          .isEqualTo("47725 85362 49896 62078 64057 74541 06879 13102 55235 64852 51079 67122");

      WebChat bob = new WebChat(browsers.open(url(server))).signIn("Bob");
      String expected = safetyNumber("alice", alice.publicKey(), "Bob", bob.publicKey());
      alice
          .open("Bob")
          .page()
          .getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Verify"))
          .click();
      assertThat(alice.page().locator("#safety-number")).hasAttribute("data-number", expected);
      browsers.screenshot(alice.page(), "web-safety-number");
      alice
          .page()
          .getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Mark as verified"))
          .click();
      assertThat(alice.page().locator("#verify")).hasAttribute("data-verified", "true");

      bob.open("alice").page().locator("#verify").click();
      assertThat(bob.page().locator("#safety-number")).hasAttribute("data-number", expected);
    }
  }

  @Test
  void aLinkIsCalledVerifiedOnlyOnceTheSafetyNumberIsMarkedAndTheMarkCanBeTakenBack(
      Browsers browsers) {
    try (ParleyServer server = start(data, 0)) {
      WebChat alice = new WebChat(browsers.open(url(server))).signIn("alice");
      new WebChat(browsers.open(url(server))).signIn("bob");
      Page page = alice.open("bob").page();
      alice.awaitLink();
      assertThat(alice.status()).hasText("Connected · end-to-end encrypted");
      assertThat(alice.verify()).hasAttribute("data-verified", "false");

      alice.verify().click();
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Mark as verified"))
          .click();
      assertThat(alice.status()).hasText("Connected · end-to-end encrypted · verified");
      assertThat(alice.verify()).hasAttribute("data-verified", "true");
      assertThat(page.locator("#toast")).containsText("You marked bob as verified.");
      browsers.screenshot(page, "web-verified-undo");

      // Undone from the toast, at once...
      page.locator("#toast")
          .getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Undo"))
          .click();
      assertThat(alice.verify()).hasAttribute("data-verified", "false");
      assertThat(alice.status()).hasText("Connected · end-to-end encrypted");

      // ...or later, from the safety number, and it stays undone.
      alice.verify().click();
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Mark as verified"))
          .click();
      assertThat(alice.verify()).hasAttribute("data-verified", "true");
      alice.verify().click();
      assertThat(page.locator("#safety-state")).hasText("You marked bob as verified.");
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Mark as not verified"))
          .click();
      assertThat(alice.verify()).hasAttribute("data-verified", "false");
      page.reload();
      alice.awaitLink();
      assertThat(alice.verify()).hasAttribute("data-verified", "false");
      assertThat(alice.status()).not().containsText("verified");
    }
  }

  @Test
  void aChangedKeyIsABlockingWarningAndNothingIsSentUntilItIsAccepted(
      Browsers browsers, @TempDir Path otherData) {
    BrowserContext alicesBrowser = browsers.newContext();
    int port;
    WebChat alice;
    try (ParleyServer first = start(data, 0)) {
      port = first.port();
      alice = new WebChat(browsers.open(alicesBrowser, url(first))).signIn("alice");
      WebChat bob = new WebChat(browsers.open(url(first))).signIn("bob");
      alice.open("bob");
      alice.send("first bob");
      assertThat(alice.stateOf("first bob")).hasAttribute("data-state", "delivered");
      bob.page().context().close();
    }
    // The same address, a directory that forgot everyone: "bob" is registered anew, to a new key.
    try (ParleyServer second = start(otherData, port)) {
      WebChat newBob = new WebChat(browsers.open(url(second))).signIn("bob");
      Page page = alice.page();
      assertThat(page.locator("#key-dialog")).isVisible();
      assertThat(page.locator("#key-title-text")).hasText("bob's identity key has changed");
      browsers.screenshot(page, "web-key-changed");
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Not now")).click();
      assertThat(page.locator("#key-banner")).isVisible();

      alice.send("are you really bob?");
      assertThat(alice.stateOf("are you really bob?")).hasAttribute("data-state", "queued");
      assertThat(newBob.person("alice")).isVisible();
      assertThat(newBob.page().locator("#people .person-preview")).not().containsText("really");

      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Review")).click();
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Accept the new key"))
          .click();
      assertThat(page.locator("#key-banner")).isHidden();
      assertThat(alice.stateOf("are you really bob?")).hasAttribute("data-state", "delivered");
      newBob.open("alice");
      assertThat(newBob.received("are you really bob?")).isVisible();
    }
  }

  @Test
  void junkOnTheDataChannelIsIgnoredAndTooLargeFilesAreRefused(Browsers browsers) {
    try (ParleyServer server = start(data, 0)) {
      WebChat alice = new WebChat(browsers.open(url(server))).signIn("alice");
      WebChat bob = new WebChat(browsers.open(url(server))).signIn("bob");
      alice.open("bob");
      alice.awaitLink();
      alice
          .page()
          .evaluate(
              "() => { const s = window.parley.session; window.heard = [];"
                  + " s.links.on('text', (peer, text) => window.heard.push(JSON.parse(text)));"
                  + " const link = s.links.get('bob');"
                  + " for (const junk of ['not json', '[]', 'null', '{\"type\":\"message\"}',"
                  + "   '{\"type\":\"message\",\"id\":5,\"text\":\"x\"}', '{\"type\":\"ack\"}',"
                  + "   '{\"type\":\"file\",\"id\":\"nope\",\"size\":-1}', '{\"type\":\"novel\",\"x\":1}',"
                  + "   '{\"type\":\"typing\",\"active\":\"yes\"}']) link.send(junk);"
                  + " link.send(new Uint8Array([1, 2, 3]));"
                  + " link.send(new Uint8Array(40).fill(7));"
                  + " link.send(JSON.stringify({type: 'file', id: '9b2e7c10-5a44-4f0e-8d7f-0c3e2a1b4d59',"
                  + "   ts: 1, name: '../../etc/passwd', size: 2 ** 40, sha256: '0'.repeat(64), mime: ''}));"
                  + " }");
      alice
          .page()
          .waitForCondition(
              () ->
                  Boolean.TRUE.equals(
                      alice.page().evaluate("() => window.heard.some(m => m.type === 'nack')")));
      Object nack = alice.page().evaluate("() => window.heard.find(m => m.type === 'nack')");
      assertThat(nack.toString())
          .contains("reason=too_large", "9b2e7c10-5a44-4f0e-8d7f-0c3e2a1b4d59");

      alice.send("still talking");
      bob.open("alice");
      assertThat(bob.received("still talking")).isVisible();
      assertThat(bob.messages()).hasCount(1);
      assertThat(browsers.console(bob.page())).noneMatch(line -> line.startsWith("uncaught"));
    }
  }

  /** The safety number as the Java client computes it, for the keys the pages hold. */
  static String safetyNumber(String nameA, String keyA, String nameB, String keyB) {
    return SafetyNumber.of(
        new UserName(nameA), new IdentityKey(keyA), new UserName(nameB), new IdentityKey(keyB));
  }
}
