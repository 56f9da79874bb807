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
import dev.parley.client.group.GroupId;
import dev.parley.client.group.LogEntry;
import dev.parley.protocol.UserName;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The story groups are done by (issue 18): two people in browsers and one with the Java client (the
 * terminal's library) make a group, talk, and send files both ways; the Java member goes offline
 * while the others keep talking and sharing, the author leaves too, and on return the Java member
 * gets everything, bytes included, from the one who is there, in the same order as everyone.
 */
@ExtendWith(ChromiumExtension.class)
@Timeout(240)
class WebClientGroupStoryTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  static {
    PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
  }

  @TempDir Path data;

  /** What the Java member hears of its groups. */
  static final class Heard implements ChatListener {
    final BlockingQueue<LogEntry> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<Path> files = new LinkedBlockingQueue<>();

    @Override
    public void groupMessage(LogEntry message) {
      messages.add(message);
    }

    @Override
    public void groupFileSaved(LogEntry file, Path path) {
      files.add(path);
    }
  }

  @Test
  void twoBrowsersAndAJavaMemberTalkShareFilesAndTheOneAwayGetsEverythingFromWhoeverIsThere(
      Browsers browsers) throws Exception {
    try (ParleyServer server =
        ParleyServer.start(
            ServerConfig.defaults().withPort(0).withDataDirectory(data.resolve("server")))) {
      String url = "http://127.0.0.1:" + server.port() + "/";
      URI ws = URI.create("ws://127.0.0.1:" + server.port() + "/ws");
      Page a = new WebChat(browsers.open(url)).signIn("alice").page();
      Page b = new WebChat(browsers.open(url)).signIn("bob").page();
      byte[] topo = random(400_000, 1);
      byte[] notes = random(250_000, 2);
      byte[] map = random(700_000, 3);
      GroupId group;

      Heard heard = new Heard();
      try (ParleyClient carol = carol(ws, heard)) {
        // alice makes the group; the three talk.
        a.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("New group")).click();
        a.locator("#group-name").fill("Weekend trip");
        a.locator("#group-people").fill("bob, carol");
        a.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create").setExact(true))
            .click();
        send(a, "Who is in for Saturday?");
        group = next(heard.messages).group();
        b.locator("#groups .person")
            .filter(new Locator.FilterOptions().setHasText("Weekend trip"))
            .click();
        send(b, "Me, with the rope");
        carol.groups().send(group, "Me too, from the terminal");
        assertThat(bubble(a, "Me too, from the terminal")).isVisible();
        assertThat(bubble(b, "Me too, from the terminal")).isVisible();
        assertThat(b.locator("#group-status")).hasText("3 members · 3 online");

        // Files both ways: from a browser to the Java member, and from it to the browsers.
        a.locator("#group-file-input")
            .setInputFiles(new FilePayload("topo.pdf", "application/pdf", topo));
        assertThat(Files.readAllBytes(next(heard.files))).isEqualTo(topo);
        Path mine = Files.write(data.resolve("notes.txt"), notes);
        carol.groups().sendFile(group, mine);
        assertThat(downloaded(b, "notes.txt")).isEqualTo(notes);
        assertThat(downloaded(a, "notes.txt")).isEqualTo(notes);
        assertThat(downloaded(b, "topo.pdf")).isEqualTo(topo);
      }

      // carol is away: alice and bob talk, alice shares a map, and then alice leaves too.
      send(a, "Written while carol was away");
      a.locator("#group-file-input").setInputFiles(new FilePayload("map.png", "image/png", map));
      send(b, "Bob, while carol was away");
      assertThat(file(b, "map.png")).hasAttribute("data-bytes", "held");
      assertThat(bubble(a, "Bob, while carol was away")).isVisible();
      a.close();

      Heard back = new Heard();
      try (ParleyClient carol = carol(ws, back)) {
        assertThat(Files.readAllBytes(next(back.files))).isEqualTo(map);
        List<String> order =
            b.evaluate("() => window.parley.session.groups.list()[0].ordered()")
                    instanceof List<?> hashes
                ? hashes.stream().map(String::valueOf).toList()
                : List.of();
        assertThat(carol.groups().history(group, 100).stream().map(LogEntry::hash).toList())
            .isEqualTo(order)
            .hasSize(9); // the create, five messages and three files, nothing twice
        assertThat(
                carol.groups().history(group, 100).stream()
                    .flatMap(e -> e.text().stream())
                    .toList())
            .containsSubsequence("Written while carol was away")
            .containsSubsequence("Bob, while carol was away");
        browsers.screenshot(b, "web-group-story");
      }
    }
  }

  private ParleyClient carol(URI ws, ChatListener listener) {
    return ParleyClient.builder(ws, new UserName("carol"))
        .profile(data.resolve("carol"))
        .downloads(data.resolve("carol-downloads"))
        .listener(listener)
        .connect();
  }

  private static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static void send(Page page, String text) {
    Locator box = page.getByLabel("Group message", new Page.GetByLabelOptions().setExact(true));
    box.fill(text);
    box.press("Enter");
  }

  private static Locator bubble(Page page, String text) {
    return page.locator("#group-messages .bubble")
        .filter(new Locator.FilterOptions().setHasText(text));
  }

  private static Locator file(Page page, String name) {
    return page.locator("#group-messages .message[data-kind=file]")
        .filter(
            new Locator.FilterOptions()
                .setHas(page.getByText(name, new Page.GetByTextOptions().setExact(true))));
  }

  private static byte[] downloaded(Page page, String name) throws Exception {
    assertThat(file(page, name)).hasAttribute("data-bytes", "held");
    Download download =
        page.waitForDownload(() -> file(page, name).getByRole(AriaRole.LINK).click());
    return Files.readAllBytes(download.path());
  }

  private static <T> T next(BlockingQueue<T> queue) throws InterruptedException {
    T event = queue.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(event).as("an event within %s", TIMEOUT).isNotNull();
    return event;
  }
}
