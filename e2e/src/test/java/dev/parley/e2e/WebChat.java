package dev.parley.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;

/**
 * The web client in one page, driven the way a person uses it: by labels, roles and visible text.
 * Each method waits (up to Playwright's assertion timeout) for what it needs.
 */
final class WebChat {
  private final Page page;

  WebChat(Page page) {
    this.page = page;
  }

  Page page() {
    return page;
  }

  /** Signs in as {@code name} and waits until the server has welcomed us. */
  WebChat signIn(String name) {
    tryToSignIn(name);
    awaitOnline();
    return this;
  }

  void tryToSignIn(String name) {
    page.getByLabel("Your name").fill(name);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
  }

  void awaitOnline() {
    assertThat(page.locator("#connection")).hasAttribute("data-state", "online");
  }

  Locator signInError() {
    return page.locator("#signin-error");
  }

  Locator connection() {
    return page.locator("#connection");
  }

  /** The row of {@code name} in the list of people. */
  Locator person(String name) {
    return page.locator(".person[data-peer=\"" + name.toLowerCase(java.util.Locale.ROOT) + "\"]");
  }

  /** The presence dot on {@code name}'s row: {@code data-online} is whether they can be reached. */
  Locator presence(String name) {
    return person(name).locator(".presence");
  }

  WebChat open(String name) {
    person(name).click();
    assertThat(page.locator("#peer-name")).hasText(name);
    return this;
  }

  /** Waits until the conversation on screen has its link open. */
  void awaitLink() {
    assertThat(status()).hasAttribute("data-state", "connected");
  }

  /**
   * The line under the peer's name: its {@code data-state} is {@code connected} (a link is open),
   * {@code connecting}, {@code online}, {@code offline} or {@code unknown} (no link and no server).
   */
  Locator status() {
    return page.locator("#peer-status");
  }

  /** The button that shows the safety number; {@code data-verified} says if it was marked. */
  Locator verify() {
    return page.locator("#verify");
  }

  /** Opens the "New conversation" dialog from the list's button and asks for {@code name}. */
  void startConversation(String name) {
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("New conversation"))
        .click();
    askFor(name);
  }

  /** In the open "New conversation" dialog, asks for {@code name}. */
  void askFor(String name) {
    page.getByLabel("Their name").fill(name);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Start").setExact(true))
        .click();
  }

  /** Why the "New conversation" dialog did not start one. */
  Locator newConversationError() {
    return page.locator("#new-error");
  }

  /** The main pane's empty state when there is nobody to list, with what to do next. */
  Locator nobodyYet() {
    return page.locator("#empty-nobody");
  }

  /**
   * The badge next to the peer's name that says how the open link goes: its text is the kind of
   * path ("direct", "direct through NAT", "relayed"), its {@code data-kind} {@code direct}, {@code
   * nat} or {@code relayed}, its title the candidate pair. Hidden while no link is open.
   */
  Locator path() {
    return page.locator("#peer-path");
  }

  /** The note under the last queued message that says why no link could be made. */
  Locator deliveryNote() {
    return page.locator(".message.out .delivery-note");
  }

  void send(String text) {
    Locator box = page.getByLabel("Message", new Page.GetByLabelOptions().setExact(true));
    box.fill(text);
    box.press("Enter");
  }

  /** The delivery state shown for our message {@code text}. */
  Locator stateOf(String text) {
    return page.locator(".message.out")
        .filter(new Locator.FilterOptions().setHasText(text))
        .locator(".state");
  }

  Locator received(String text) {
    return page.locator(".message.in .bubble").filter(new Locator.FilterOptions().setHasText(text));
  }

  Locator messages() {
    return page.locator("#messages .message");
  }

  /** The times shown under messages: one per run of messages from one side. */
  Locator shownTimes() {
    return page.locator("#messages .message:not(.continued) .meta time");
  }

  Locator typing() {
    return page.locator("#typing");
  }

  /** This browser's identity key, as the page holds it. */
  String publicKey() {
    return (String) page.evaluate("() => window.parley.session.identity.publicKey");
  }
}
