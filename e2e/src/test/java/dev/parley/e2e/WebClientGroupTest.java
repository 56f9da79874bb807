package dev.parley.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Groups in the web client (docs/p2p.md, "Groups"): its bytes are the spec's test vector, and two
 * browsers and a Java client talk in one group, each seeing the others' messages in one order, with
 * a member that reloads keeping its history.
 */
@ExtendWith(ChromiumExtension.class)
@Timeout(240)
class WebClientGroupTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  static {
    PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
  }

  @TempDir Path data;

  /**
   * Signs the spec's four entries with the seeded keys in the page and compares: the payload of
   * bob's message and the end of his file's, the four hashes, the signatures (Ed25519 is
   * deterministic), and that the entries as the spec prints them are well formed and verify; then a
   * tampered text, an entry replayed into another group and an entry by a non-member are refused,
   * and so is a file renamed, while its stub still verifies.
   */
  static final String TEST_VECTOR =
      """
      async () => {
        const log = await import('/js/grouplog.js');
        const { toBase64Url, toHex } = await import('/js/bytes.js');
        const { verify } = await import('/js/identity.js');
        const seeded = async (first) => {
          const der = new Uint8Array(48);
          der.set([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]);
          for (let i = 0; i < 32; i++) der[16 + i] = first + i;
          const key = await crypto.subtle.importKey('pkcs8', der, 'Ed25519', true, ['sign']);
          const jwk = await crypto.subtle.exportKey('jwk', key);
          return { key, publicKey: jwk.x };
        };
        const sign = async (who, entry) => {
          const text = await log.payload(entry);
          entry.sig = toBase64Url(await crypto.subtle.sign('Ed25519', who.key, new TextEncoder().encode(text)));
          return { entry, text, hash: await log.sha256Hex(text) };
        };
        const [alice, bob, carol] = [await seeded(0), await seeded(32), await seeded(64)];
        const group = '6c1f0a2e-93b4-4d1e-8f7a-5b2c9d0e1f34';
        const create = await sign(alice, { v: 1, group, author: 'alice', seq: 1, ts: 1795525200000, parents: [], op: 'create', title: 'Climbing',
          members: [{ name: 'alice', key: alice.publicKey }, { name: 'bob', key: bob.publicKey }] });
        const hello = await sign(bob, { v: 1, group, author: 'bob', seq: 1, ts: 1795525260000, parents: [create.hash], op: 'message',
          body: await log.sha256Hex('hello'), text: 'hello' });
        const add = await sign(alice, { v: 1, group, author: 'alice', seq: 2, ts: 1795525300000, parents: [create.hash, hello.hash].sort(), op: 'add',
          member: 'carol', key: carol.publicKey });
        const bytes = new TextEncoder().encode('hello group');
        const file = await sign(bob, { v: 1, group, author: 'bob', seq: 2, ts: 1795525320000, parents: [hello.hash, add.hash].sort(), op: 'file',
          body: await log.fileBody('route.txt', 'text/plain'), sha256: toHex(await crypto.subtle.digest('SHA-256', bytes)), size: bytes.length,
          name: 'route.txt', mime: 'text/plain' });
        const checked = [];
        for (const line of SPEC) {
          const entry = log.wellFormed(JSON.parse(line).entry);
          const key = entry.author === 'alice' ? alice.publicKey : bob.publicKey;
          checked.push((await verify(key, await log.payload(entry), entry.sig)) && (await log.forgery(entry)) === undefined);
        }
        const forged = { ...hello.entry, text: 'goodbye' };
        const stub = log.stubOf(file.entry);
        const replayed = { ...hello.entry, group: '00000000-0000-4000-8000-000000000000' };
        return {
          keys: [alice.publicKey, bob.publicKey, carol.publicKey],
          helloPayload: hello.text,
          filePayload: file.text,
          fileFields: [file.entry.body, file.entry.sha256],
          hashes: [create.hash, hello.hash, add.hash, file.hash],
          sigs: [create.entry.sig, hello.entry.sig, add.entry.sig, file.entry.sig],
          specVerifies: checked,
          forgedBodyMatches: (await log.sha256Hex(forged.text)) === forged.body,
          replayVerifies: await verify(bob.publicKey, await log.payload(replayed), replayed.sig),
          renamedFile: (await log.forgery({ ...file.entry, name: 'other.txt' })) ?? 'not forged',
          stub: Object.keys(stub).sort(),
          stubVerifies: await verify(bob.publicKey, await log.payload(log.wellFormed(stub)), stub.sig),
          order: log.order(new Map([[file.hash, file.entry], [add.hash, add.entry], [hello.hash, hello.entry], [create.hash, create.entry]])),
        };
      }
      """;

  static final String SPEC_ENTRIES =
      """
      {"type":"group-entry","entry":{"v":1,"group":"6c1f0a2e-93b4-4d1e-8f7a-5b2c9d0e1f34","author":"alice","seq":1,"ts":1795525200000,"parents":[],"op":"create","title":"Climbing","members":[{"name":"alice","key":"A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg"},{"name":"bob","key":"Kay64UG8yvCyLhqU000LxzYeUm0L_hLIl5S8kyKWbdc"}],"sig":"HxUeSpzyLzmf9iyByrjeE5Unf56s4-o587S8v57uvG0pbsV8-v6w3X3jNGBpMbaeEDo9yFyh5ZIAde5bR9IzBg"}}
      {"type":"group-entry","entry":{"v":1,"group":"6c1f0a2e-93b4-4d1e-8f7a-5b2c9d0e1f34","author":"bob","seq":1,"ts":1795525260000,"parents":["e3861782b50f77d97c5dd621fe5fe40ee5f3a82c3134b202d0f1b4b62a5ad672"],"op":"message","body":"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824","text":"hello","sig":"moF6vwuMOTP7E9EF6WSVypT6iRmxM8Nj1wEKC5zGkgl_Jw-AmeDI_jglrwT-6_b-jtujYjPQctUSILYkYlPwBQ"}}
      {"type":"group-entry","entry":{"v":1,"group":"6c1f0a2e-93b4-4d1e-8f7a-5b2c9d0e1f34","author":"alice","seq":2,"ts":1795525300000,"parents":["0e29b64d82f423643f90192d7a8e2870ccef1e1724995344d6ba284756360119","e3861782b50f77d97c5dd621fe5fe40ee5f3a82c3134b202d0f1b4b62a5ad672"],"op":"add","member":"carol","key":"JUO5L_EJVRFHatyDadtt3JM2ZaEZeN2hQE7hBmypVZ0","sig":"LQICr9wT-OL712BEMMSnP6FOLABU8bJvNfSKpyOG-aPUfYHFSNgv7nkNh0ExwsNiUG4eb1Akl5pwOtPUQN7kAA"}}
      {"type":"group-entry","entry":{"v":1,"group":"6c1f0a2e-93b4-4d1e-8f7a-5b2c9d0e1f34","author":"bob","seq":2,"ts":1795525320000,"parents":["0e29b64d82f423643f90192d7a8e2870ccef1e1724995344d6ba284756360119","9ba2e966b32e3eec49572bc691c1f0ac7ce84e37d824a796d791a29cbe29e56d"],"op":"file","body":"a67b93cef838a924413aa7c1046fdbfd09d21cec4e2dd0ed5582d060b60532c4","sha256":"db5f1ca204dc9739bae80a9ebf37d789e892623fca74b9eff5415714f6bcdb0e","size":11,"name":"route.txt","mime":"text/plain","sig":"_kWa_0vhivTmQ2LJWhajRNW0Novm9Ddg-C63m3r2rRkDQr7rABYy-ryVy6LpSGU0EOWj0L8zoaj5ZHvKAOUQAg"}}
      """;

  @Test
  @SuppressWarnings("unchecked")
  void theBrowserBuildsTheSpecsTestVectorByteForByte(Browsers browsers) throws Exception {
    try (ParleyServer server = startServer()) {
      Page page = browsers.open("http://127.0.0.1:" + server.port() + "/");
      String[] lines = SPEC_ENTRIES.strip().split("\n");
      String spec =
          "[" + String.join(",", java.util.Arrays.stream(lines).map(l -> quote(l)).toList()) + "]";
      Map<String, Object> result =
          (Map<String, Object>)
              page.evaluate(TEST_VECTOR.replace("SPEC)", "JSON.parse(" + quote(spec) + "))"));

      assertThat((java.util.List<Object>) result.get("keys"))
          .containsExactly(
              "A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg",
              "Kay64UG8yvCyLhqU000LxzYeUm0L_hLIl5S8kyKWbdc",
              "JUO5L_EJVRFHatyDadtt3JM2ZaEZeN2hQE7hBmypVZ0");
      assertThat(result.get("helloPayload"))
          .isEqualTo(
              """
              parley-group-v1
              6c1f0a2e-93b4-4d1e-8f7a-5b2c9d0e1f34
              bob
              1
              1795525260000
              message
              e3861782b50f77d97c5dd621fe5fe40ee5f3a82c3134b202d0f1b4b62a5ad672
              2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824
              """);
      assertThat((String) result.get("filePayload"))
          .endsWith(
              """
              file
              0e29b64d82f423643f90192d7a8e2870ccef1e1724995344d6ba284756360119,9ba2e966b32e3eec49572bc691c1f0ac7ce84e37d824a796d791a29cbe29e56d
              a67b93cef838a924413aa7c1046fdbfd09d21cec4e2dd0ed5582d060b60532c4
              db5f1ca204dc9739bae80a9ebf37d789e892623fca74b9eff5415714f6bcdb0e 11
              """);
      assertThat((java.util.List<Object>) result.get("fileFields"))
          .containsExactly(
              "a67b93cef838a924413aa7c1046fdbfd09d21cec4e2dd0ed5582d060b60532c4",
              "db5f1ca204dc9739bae80a9ebf37d789e892623fca74b9eff5415714f6bcdb0e");
      assertThat((java.util.List<Object>) result.get("hashes"))
          .containsExactly(
              "e3861782b50f77d97c5dd621fe5fe40ee5f3a82c3134b202d0f1b4b62a5ad672",
              "0e29b64d82f423643f90192d7a8e2870ccef1e1724995344d6ba284756360119",
              "9ba2e966b32e3eec49572bc691c1f0ac7ce84e37d824a796d791a29cbe29e56d",
              "0f37fd96abf7557b11c415d8b9930ca41e74487adb96f293ce39e45b07a9f9f2");
      assertThat((java.util.List<Object>) result.get("sigs"))
          .containsExactly(
              "HxUeSpzyLzmf9iyByrjeE5Unf56s4-o587S8v57uvG0pbsV8-v6w3X3jNGBpMbaeEDo9yFyh5ZIAde5bR9IzBg",
              "moF6vwuMOTP7E9EF6WSVypT6iRmxM8Nj1wEKC5zGkgl_Jw-AmeDI_jglrwT-6_b-jtujYjPQctUSILYkYlPwBQ",
              "LQICr9wT-OL712BEMMSnP6FOLABU8bJvNfSKpyOG-aPUfYHFSNgv7nkNh0ExwsNiUG4eb1Akl5pwOtPUQN7kAA",
              "_kWa_0vhivTmQ2LJWhajRNW0Novm9Ddg-C63m3r2rRkDQr7rABYy-ryVy6LpSGU0EOWj0L8zoaj5ZHvKAOUQAg");
      assertThat((java.util.List<Object>) result.get("specVerifies"))
          .containsExactly(true, true, true, true);
      assertThat(result.get("forgedBodyMatches")).isEqualTo(false);
      assertThat(result.get("replayVerifies")).isEqualTo(false);
      assertThat(result.get("renamedFile"))
          .isEqualTo("forged: its file name and type are not the ones signed");
      assertThat((java.util.List<Object>) result.get("stub"))
          .containsExactly(
              "author", "body", "group", "op", "parents", "seq", "sha256", "sig", "size", "ts",
              "v");
      assertThat(result.get("stubVerifies")).isEqualTo(true);
      assertThat((java.util.List<Object>) result.get("order"))
          .containsExactly(
              "e3861782b50f77d97c5dd621fe5fe40ee5f3a82c3134b202d0f1b4b62a5ad672",
              "0e29b64d82f423643f90192d7a8e2870ccef1e1724995344d6ba284756360119",
              "9ba2e966b32e3eec49572bc691c1f0ac7ce84e37d824a796d791a29cbe29e56d",
              "0f37fd96abf7557b11c415d8b9930ca41e74487adb96f293ce39e45b07a9f9f2");
    }
  }

  /** Queues the group messages the Java client hears. */
  static final class Heard implements ChatListener {
    final BlockingQueue<LogEntry> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<LogEntry> changes = new LinkedBlockingQueue<>();

    @Override
    public void groupMessage(LogEntry message) {
      messages.add(message);
    }

    @Override
    public void groupChanged(LogEntry change) {
      changes.add(change);
    }
  }

  @Test
  void twoBrowsersAndAJavaClientTalkInAGroupAndAReloadedMemberKeepsItsHistory(Browsers browsers)
      throws Exception {
    try (ParleyServer server = startServer()) {
      String url = "http://127.0.0.1:" + server.port() + "/";
      WebChat alice = new WebChat(browsers.open(url)).signIn("alice");
      WebChat bob = new WebChat(browsers.open(url)).signIn("bob");
      Heard heard = new Heard();
      try (ParleyClient carol =
          ParleyClient.builder(
                  URI.create("ws://127.0.0.1:" + server.port() + "/ws"), new UserName("carol"))
              .profile(data.resolve("carol"))
              .downloads(data.resolve("downloads"))
              .listener(heard)
              .connect()) {
        Page a = alice.page();
        a.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("New group")).click();
        a.locator("#group-name").fill("Climbing");
        a.locator("#group-people").fill("bob, carol");
        browsers.screenshot(a, "web-group-new");
        a.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create").setExact(true))
            .click();
        assertThat(a.locator("#group-title")).hasText("Climbing");
        assertThat(a.locator("#group-members .member")).hasCount(3);

        sendToGroup(a, "Who is in for Saturday?");
        LogEntry first = next(heard.messages);
        assertThat(first.text()).contains("Who is in for Saturday?");
        GroupId group = first.group();

        Page b = bob.page();
        group(b, "Climbing").click();
        assertThat(groupMessage(b, "Who is in for Saturday?")).isVisible();
        sendToGroup(b, "Me! Bringing the rope.");
        assertThat(groupMessage(a, "Me! Bringing the rope.")).isVisible();
        assertThat(next(heard.messages).text()).contains("Me! Bringing the rope.");

        carol.groups().send(group, "Count me in, from the terminal");
        assertThat(groupMessage(a, "Count me in, from the terminal")).isVisible();
        assertThat(groupMessage(b, "Count me in, from the terminal")).isVisible();
        assertThat(
                a.locator("#group-messages .message")
                    .filter(new Locator.FilterOptions().setHasText("Count me in"))
                    .locator(".author"))
            .hasText("carol");
        assertThat(
                a.locator("#group-messages .message.out")
                    .filter(new Locator.FilterOptions().setHasText("Who is in for Saturday?"))
                    .locator(".state"))
            .hasText("Delivered to 2 of 2");

        browsers.screenshot(a, "web-group-conversation");

        // Three write at nearly the same moment (mostly before seeing each other's entries):
        // all three show the same order.
        String send = "([id, text]) => { window.parley.session.groups.send(id, text); }";
        a.evaluate(send, java.util.List.of(group.value(), "at once from alice"));
        b.evaluate(send, java.util.List.of(group.value(), "at once from bob"));
        carol.groups().send(group, "at once from carol");
        for (Page page : java.util.List.of(a, b)) {
          assertThat(page.locator("#group-messages .message")).hasCount(6);
        }
        next(heard.messages);
        next(heard.messages);
        java.util.List<String> order = texts(a);
        assertThat(texts(b)).isEqualTo(order);
        assertThat(order)
            .containsExactlyInAnyOrder(
                "Who is in for Saturday?",
                "Me! Bringing the rope.",
                "Count me in, from the terminal",
                "at once from alice",
                "at once from bob",
                "at once from carol");
        assertThat(
                carol.groups().history(group, 100).stream()
                    .filter(e -> e.text().isPresent())
                    .map(e -> e.text().orElseThrow())
                    .toList())
            .isEqualTo(order);

        // Bob reloads: the history is there once, and the group goes on.
        b.reload();
        bob.awaitOnline();
        assertThat(b.locator("#group-title")).hasText("Climbing");
        assertThat(b.locator("#group-messages .message")).hasCount(6);
        assertThat(texts(b)).isEqualTo(order);
        sendToGroup(a, "See you at nine");
        assertThat(groupMessage(b, "See you at nine")).isVisible();
        assertThat(b.locator("#group-messages .message")).hasCount(7);
        browsers.screenshot(b, "web-group-after-reload");

        // Bob leaves: the others see it, and he keeps the history.
        b.onDialog(dialog -> dialog.accept());
        b.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Leave")).click();
        assertThat(a.locator("#group-messages .change").last())
            .hasText(java.util.regex.Pattern.compile("^bob left"));
        assertThat(a.locator("#group-members .member")).hasCount(2);
        assertThat(b.locator("#group-status")).containsText("no longer a member");
        assertThat(b.locator("#group-messages .message")).hasCount(7);
      }
    }
  }

  /** An entry alice signs but does not send, for the test to forge its text. */
  static final String SIGNED_NOT_SENT =
      """
      async () => {
        const log = await import('/js/grouplog.js');
        const session = window.parley.session;
        const group = session.groups.list()[0];
        const entry = { v: 1, group: group.id, author: 'alice', seq: group.lastSeq('alice') + 1, ts: Date.now(),
          parents: group.heads('alice'), op: 'message', body: await log.sha256Hex('the real text'), text: 'the real text' };
        entry.sig = await session.identity.sign(await log.payload(entry));
        return entry;
      }
      """;

  /**
   * Entries that arrive over bob's link to alice but do not check: a text that is not the one
   * signed, an entry replayed into a group bob does not know, one by someone who is not a member,
   * and one that is not an entry at all. The first three are reported, none is shown, and the link
   * goes on.
   */
  static final String BAD_ENTRIES =
      """
      async (SIGNED) => {
        const log = await import('/js/grouplog.js');
        const { toBase64Url } = await import('/js/bytes.js');
        const session = window.parley.session;
        const group = session.groups.list()[0];
        const byAlice = [...group.nodes.values()].map((n) => n.entry).find((e) => e.op === 'message' && e.author === 'alice');
        const fromAlice = (entry) => session.links.emit('text', 'alice', JSON.stringify({ type: 'group-entry', entry }));
        fromAlice({ ...byAlice, text: 'a forged text' }); // the hash of one held: a duplicate, ignored
        fromAlice({ ...SIGNED, text: 'a forged text' });
        fromAlice({ ...byAlice, group: '00000000-0000-4000-8000-000000000000' });
        const pair = await crypto.subtle.generateKey('Ed25519', false, ['sign']);
        const mallory = { v: 1, group: group.id, author: 'mallory', seq: 1, ts: Date.now(), parents: [group.ordered().at(-1)],
          op: 'message', body: await log.sha256Hex('from a stranger'), text: 'from a stranger' };
        mallory.sig = toBase64Url(await crypto.subtle.sign('Ed25519', pair.privateKey, new TextEncoder().encode(await log.payload(mallory))));
        fromAlice(mallory);
        fromAlice({ v: 2, text: 'not an entry' });
      }
      """;

  @Test
  void entriesThatDoNotCheckAreReportedAndNeverShown(Browsers browsers) throws Exception {
    try (ParleyServer server = startServer()) {
      String url = "http://127.0.0.1:" + server.port() + "/";
      WebChat alice = new WebChat(browsers.open(url)).signIn("alice");
      WebChat bob = new WebChat(browsers.open(url)).signIn("bob");
      Page a = alice.page();
      Page b = bob.page();
      createGroup(a, "Board games", "bob");
      sendToGroup(a, "Catan on Friday?");
      group(b, "Board games").click();
      assertThat(groupMessage(b, "Catan on Friday?")).isVisible();

      b.evaluate(BAD_ENTRIES, a.evaluate(SIGNED_NOT_SENT));
      assertThat(b.locator("#toast")).containsText("mallory is not a member");
      sendToGroup(a, "Or Carcassonne");
      assertThat(groupMessage(b, "Or Carcassonne")).isVisible();
      assertThat(b.locator("#group-messages .bubble"))
          .hasText(new String[] {"Catan on Friday?", "Or Carcassonne"});
      assertThat(browsers.console(b))
          .anyMatch(line -> line.contains("forged: its text is not the one signed"))
          .anyMatch(line -> line.contains("a group we do not know"))
          .anyMatch(line -> line.contains("dropping a malformed group entry"));
      b.reload();
      bob.awaitOnline();
      assertThat(b.locator("#group-messages .bubble"))
          .hasText(new String[] {"Catan on Friday?", "Or Carcassonne"});
    }
  }

  @Test
  void aMemberBackOnlineCatchesUpFromABrowserWhileTheAuthorIsAway(Browsers browsers)
      throws Exception {
    try (ParleyServer server = startServer()) {
      String url = "http://127.0.0.1:" + server.port() + "/";
      WebChat alice = new WebChat(browsers.open(url)).signIn("alice");
      WebChat bob = new WebChat(browsers.open(url)).signIn("bob");
      URI ws = URI.create("ws://127.0.0.1:" + server.port() + "/ws");
      GroupId group;
      Heard heard = new Heard();
      try (ParleyClient carol =
          ParleyClient.builder(ws, new UserName("carol"))
              .profile(data.resolve("carol"))
              .downloads(data.resolve("downloads"))
              .listener(heard)
              .connect()) {
        createGroup(alice.page(), "Climbing", "bob, carol");
        sendToGroup(alice.page(), "first");
        group = next(heard.messages).group();
        assertThat(carol.groups().get(group)).isPresent();
      }
      // Carol is away; alice writes, bob gets it, and alice goes too.
      sendToGroup(alice.page(), "written while carol was away");
      group(bob.page(), "Climbing").click();
      assertThat(groupMessage(bob.page(), "written while carol was away")).isVisible();
      alice.page().close();

      Heard back = new Heard();
      try (ParleyClient carol =
          ParleyClient.builder(ws, new UserName("carol"))
              .profile(data.resolve("carol"))
              .downloads(data.resolve("downloads"))
              .listener(back)
              .connect()) {
        assertThat(next(back.messages).text()).contains("written while carol was away");
        assertThat(
                carol.groups().history(group, 100).stream()
                    .filter(e -> e.text().isPresent())
                    .map(e -> e.text().orElseThrow())
                    .toList())
            .isEqualTo(texts(bob.page()));
      }
    }
  }

  @Test
  void aMemberAddedLaterGetsTheGroupButNotWhatCameBeforeAndNothingAfterItsRemoval(Browsers browsers)
      throws Exception {
    try (ParleyServer server = startServer()) {
      String url = "http://127.0.0.1:" + server.port() + "/";
      WebChat alice = new WebChat(browsers.open(url)).signIn("alice");
      WebChat bob = new WebChat(browsers.open(url)).signIn("bob");
      Page a = alice.page();
      Page b = bob.page();
      createGroup(a, "Book club", "");
      sendToGroup(a, "before bob was added");
      a.getByLabel("Name to add").fill("bob");
      a.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add").setExact(true))
          .click();
      assertThat(a.locator("#group-members .member")).hasCount(2);
      sendToGroup(a, "welcome, bob");

      group(b, "Book club").click();
      assertThat(groupMessage(b, "welcome, bob")).isVisible();
      assertThat(b.locator("#group-messages .change")).hasCount(2); // created, added bob
      assertThat(groupMessage(b, "before bob was added")).hasCount(0);
      sendToGroup(b, "thanks");
      assertThat(groupMessage(a, "thanks")).isVisible();

      a.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Make bob an admin"))
          .click();
      assertThat(b.getByLabel("Name to add")).isVisible(); // an admin may add members
      a.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Remove bob")).click();
      assertThat(b.locator("#group-status")).containsText("no longer a member");
      assertThat(b.locator("#group-text")).isHidden();
      sendToGroup(a, "after bob was removed");
      // A one-to-one message on the same link comes after anything the group would have sent.
      alice.open("bob");
      alice.send("did you get it?");
      bob.open("alice");
      assertThat(bob.received("did you get it?")).isVisible();
      group(b, "Book club").click();
      assertThat(b.locator("#group-messages .bubble"))
          .hasText(new String[] {"welcome, bob", "thanks"});
    }
  }

  @Test
  void aFileSharedWithAGroupOfThreeBrowsersArrivesWithTheSameBytesEverywhere(Browsers browsers)
      throws Exception {
    try (ParleyServer server = startServer()) {
      String url = "http://127.0.0.1:" + server.port() + "/";
      Page a = new WebChat(browsers.open(url)).signIn("alice").page();
      Page b = new WebChat(browsers.open(url)).signIn("bob").page();
      Page c = new WebChat(browsers.open(url)).signIn("carol").page();
      createGroup(a, "Climbing", "bob, carol");
      group(b, "Climbing").click();
      group(c, "Climbing").click();

      byte[] topo = new byte[300_000];
      new Random(7).nextBytes(topo);
      a.locator("#group-file-input")
          .setInputFiles(new FilePayload("route topo.pdf", "application/pdf", topo));
      a.locator("#group-file-input")
          .setInputFiles(new FilePayload("empty.txt", "text/plain", new byte[0]));
      for (Page member : List.of(b, c)) {
        assertThat(groupFile(member, "route topo.pdf")).hasAttribute("data-bytes", "held");
        assertThat(groupFile(member, "route topo.pdf").locator(".file-size")).hasText("293 KB");
        assertThat(downloadedBytes(member, "route topo.pdf")).isEqualTo(topo);
        assertThat(groupFile(member, "empty.txt")).hasAttribute("data-bytes", "held");
        assertThat(downloadedBytes(member, "empty.txt")).isEmpty();
      }
      assertThat(groupFile(a, "route topo.pdf").locator(".state")).hasText("Delivered to 2 of 2");
      assertThat(group(b, "Climbing")).containsText("alice shared empty.txt");

      // Dropped on the group, as dragging one from the desktop does.
      byte[] notes = "belay, then climb\n".repeat(3000).getBytes(StandardCharsets.UTF_8);
      dropFile(c, "notes.txt", notes);
      assertThat(downloadedBytes(a, "notes.txt")).isEqualTo(notes);
      assertThat(downloadedBytes(b, "notes.txt")).isEqualTo(notes);
    }
  }

  @Test
  void aMemberWhoWasAwayGetsAFilesBytesFromAnotherMemberWhileTheAuthorIsAway(Browsers browsers)
      throws Exception {
    try (ParleyServer server = startServer()) {
      String url = "http://127.0.0.1:" + server.port() + "/";
      Page a = new WebChat(browsers.open(url)).signIn("alice").page();
      Page b = new WebChat(browsers.open(url)).signIn("bob").page();
      BrowserContext carolsBrowser = browsers.newContext();
      Page c = new WebChat(browsers.open(carolsBrowser, url)).signIn("carol").page();
      createGroup(a, "Climbing", "bob, carol");
      group(c, "Climbing").click();
      c.close();

      byte[] photo = new byte[500_000];
      new Random(11).nextBytes(photo);
      a.locator("#group-file-input")
          .setInputFiles(new FilePayload("summit.jpg", "image/jpeg", photo));
      group(b, "Climbing").click();
      assertThat(groupFile(b, "summit.jpg")).hasAttribute("data-bytes", "held");
      a.close();

      WebChat carol = new WebChat(browsers.open(carolsBrowser, url));
      carol.awaitOnline();
      c = carol.page();
      group(c, "Climbing").click();
      assertThat(groupFile(c, "summit.jpg")).hasAttribute("data-bytes", "held");
      assertThat(downloadedBytes(c, "summit.jpg")).isEqualTo(photo);
      assertThat(b.locator("#group-members .member[data-member=alice]"))
          .hasAttribute("data-online", "false");

      // The bytes stay in the browser's database.
      c.reload();
      carol.awaitOnline();
      assertThat(groupFile(c, "summit.jpg")).hasAttribute("data-bytes", "held");
      assertThat(downloadedBytes(c, "summit.jpg")).isEqualTo(photo);
    }
  }

  @Test
  void typingInAGroupShowsToTheOtherMembersUntilTheyStop(Browsers browsers) throws Exception {
    try (ParleyServer server = startServer()) {
      String url = "http://127.0.0.1:" + server.port() + "/";
      Page a = new WebChat(browsers.open(url)).signIn("alice").page();
      Page b = new WebChat(browsers.open(url)).signIn("bob").page();
      Page c = new WebChat(browsers.open(url)).signIn("carol").page();
      createGroup(a, "Climbing", "bob, carol");
      sendToGroup(a, "Saturday at nine?");
      group(b, "Climbing").click();
      group(c, "Climbing").click();
      // Each writes once: the links between every two of them are open.
      sendToGroup(b, "Yes");
      sendToGroup(c, "Yes, with the rope");
      assertThat(a.locator("#group-messages .message")).hasCount(3);
      assertThat(b.locator("#group-messages .message")).hasCount(3);
      byte[] topo = new byte[120_000];
      new Random(3).nextBytes(topo);
      c.locator("#group-file-input")
          .setInputFiles(new FilePayload("route topo.pdf", "application/pdf", topo));
      assertThat(groupFile(a, "route topo.pdf")).hasAttribute("data-bytes", "held");

      groupText(b).fill("I'll bring");
      assertThat(a.locator("#group-typing")).hasText("bob is typing…");
      assertThat(c.locator("#group-typing")).hasText("bob is typing…");
      assertThat(b.locator("#group-typing")).isEmpty();
      groupText(c).fill("Me");
      assertThat(a.locator("#group-typing")).hasText("bob and carol are typing…");
      browsers.screenshot(a, "web-group-file-typing");

      groupText(b).press("Enter"); // sends "I'll bring": bob no longer types
      assertThat(groupMessage(a, "I'll bring")).isVisible();
      assertThat(a.locator("#group-typing")).hasText("carol is typing…");
      groupText(c).fill("");
      assertThat(a.locator("#group-typing")).isEmpty();
      assertThat(b.locator("#group-typing")).isEmpty();
    }
  }

  @Test
  void bytesThatStopFor30SecondsAreGivenUpAndTheNextMemberAsked(Browsers browsers)
      throws Exception {
    try (ParleyServer server = startServer()) {
      String url = "http://127.0.0.1:" + server.port() + "/";
      Page a = new WebChat(browsers.open(url)).signIn("alice").page();
      Page b = new WebChat(browsers.open(url)).signIn("bob").page();
      Page c = new WebChat(browsers.open(url)).signIn("carol").page();
      createGroup(a, "Climbing", "bob, carol");
      group(b, "Climbing").click();
      group(c, "Climbing").click();
      // Bob and carol write once, so that the link between them is open: bytes never open one.
      sendToGroup(b, "Ready");
      sendToGroup(c, "Ready too");
      assertThat(b.locator("#group-messages .message")).hasCount(2);
      // Alice answers bob's asks for bytes that they follow, and then sends none.
      a.evaluate(
          "() => { const files = window.parley.session.groups.files; const heard = files.onMessage.bind(files);"
              + " files.onMessage = (peer, message) => {"
              + "  if (peer !== 'bob' || message.type !== 'group-file-get') return heard(peer, message);"
              + "  files.links.sendMessage(peer, { type: 'group-file', group: message.group,"
              + "    entry: message.entry, id: crypto.randomUUID() });"
              + "  return true; }; }");

      byte[] topo = new byte[200_000];
      new Random(5).nextBytes(topo);
      a.locator("#group-file-input")
          .setInputFiles(new FilePayload("route topo.pdf", "application/pdf", topo));
      assertThat(groupFile(c, "route topo.pdf")).hasAttribute("data-bytes", "held");
      assertThat(groupFile(b, "route topo.pdf")).hasAttribute("data-bytes", "fetching");
      assertThat(groupFile(b, "route topo.pdf"))
          .hasAttribute(
              "data-bytes", "held", new LocatorAssertions.HasAttributeOptions().setTimeout(60_000));
      assertThat(downloadedBytes(b, "route topo.pdf")).isEqualTo(topo);
      assertThat(browsers.console(b))
          .anyMatch(line -> line.contains("alice sent nothing of a file for 30 s"));
    }
  }

  /**
   * Entries alice signs but does not send: a file whose bytes no one holds, one too large for a
   * browser, and two forged ones (a name that is not the one signed, and no bytes with the hash of
   * some).
   */
  static final String FILES_NOBODY_HOLDS =
      """
      async () => {
        const log = await import('/js/grouplog.js');
        const session = window.parley.session;
        const group = session.groups.list()[0];
        const file = async (seq, parents, name, size, sha256) => {
          const entry = { v: 1, group: group.id, author: 'alice', seq, ts: Date.now(), parents, op: 'file',
            body: await log.fileBody(name, 'text/plain'), sha256, size, name, mime: 'text/plain' };
          entry.sig = await session.identity.sign(await log.payload(entry));
          return entry;
        };
        const hash = async (entry) => log.sha256Hex(await log.payload(entry));
        const seq = group.lastSeq('alice');
        const hello = await file(seq + 1, group.heads('alice'), 'hello.txt', 11, 'HELLO');
        const large = await file(seq + 2, [await hash(hello)], 'the whole climb.mov', 300 * 1024 * 1024, 'b'.repeat(64));
        const renamed = { ...(await file(seq + 3, [await hash(large)], 'a.txt', 1, 'c'.repeat(64))), name: 'b.txt' };
        const empty = await file(seq + 3, [await hash(large)], 'empty.txt', 0, 'd'.repeat(64));
        return { hash: await hash(hello), entries: [hello, large, renamed, empty] };
      }
      """
          .replace("'HELLO'", "'" + sha256("hello world") + "'");

  static final String ARRIVES_FROM =
      """
      ([from, entries]) => {
        for (const entry of entries) {
          window.parley.session.links.emit('text', from, JSON.stringify({ type: 'group-entry', entry }));
        }
      }
      """;

  @Test
  void aFileNoMemberHoldsWaitsAndIsAskedForAgainOnTheNextLinkUntilItsBytesCheck(Browsers browsers)
      throws Exception {
    try (ParleyServer server = startServer()) {
      String url = "http://127.0.0.1:" + server.port() + "/";
      WebChat alice = new WebChat(browsers.open(url)).signIn("alice");
      WebChat bob = new WebChat(browsers.open(url)).signIn("bob");
      Page a = alice.page();
      Page b = bob.page();
      createGroup(a, "Climbing", "bob");
      sendToGroup(a, "Files follow");
      group(b, "Climbing").click();
      assertThat(groupMessage(b, "Files follow")).isVisible();

      @SuppressWarnings("unchecked")
      Map<String, Object> signed = (Map<String, Object>) a.evaluate(FILES_NOBODY_HOLDS);
      java.util.List<Object> entries = (java.util.List<Object>) signed.get("entries");
      b.evaluate(ARRIVES_FROM, java.util.List.of("alice", entries));
      assertThat(groupFile(b, "hello.txt")).hasAttribute("data-bytes", "waiting");
      assertThat(groupFile(b, "hello.txt")).containsText("Waiting for a member who has it");
      assertThat(groupFile(b, "the whole climb.mov")).hasAttribute("data-bytes", "too-large");
      assertThat(groupFile(b, "the whole climb.mov")).containsText("Too large for this browser");
      assertThat(groupFile(b, "b.txt")).hasCount(0);
      assertThat(groupFile(b, "empty.txt")).hasCount(0);
      assertThat(browsers.console(b))
          .anyMatch(line -> line.contains("forged: its file name and type are not the ones signed"))
          .anyMatch(line -> line.contains("forged: a file of no bytes with the hash of some"));
      browsers.screenshot(b, "web-group-file-waiting");

      // Alice gets her entry back, and bytes that are not its own: bob, reloaded, asks her again
      // on his new link, refuses them and reports it.
      a.evaluate(ARRIVES_FROM, java.util.List.of("bob", entries.subList(0, 1)));
      String hold =
          "async ([hash, text]) => { const groups = window.parley.session.groups;"
              + " await groups.files.keep(groups.list()[0].id, hash, new Blob([text])); }";
      a.evaluate(hold, java.util.List.of(signed.get("hash"), "hello worle"));
      b.reload();
      bob.awaitOnline();
      group(b, "Climbing").click();
      assertThat(b.locator("#toast"))
          .containsText("The bytes of hello.txt that alice sent for Climbing were damaged");
      assertThat(groupFile(b, "hello.txt")).hasAttribute("data-bytes", "waiting");

      // With the right bytes, the next link brings them.
      a.evaluate(hold, java.util.List.of(signed.get("hash"), "hello world"));
      b.reload();
      bob.awaitOnline();
      group(b, "Climbing").click();
      assertThat(groupFile(b, "hello.txt")).hasAttribute("data-bytes", "held");
      assertThat(downloadedBytes(b, "hello.txt"))
          .isEqualTo("hello world".getBytes(StandardCharsets.UTF_8));
    }
  }

  private ParleyServer startServer() {
    return ParleyServer.start(
        ServerConfig.defaults().withPort(0).withDataDirectory(data.resolve("server")));
  }

  private static void createGroup(Page page, String title, String members) {
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("New group")).click();
    page.locator("#group-name").fill(title);
    page.locator("#group-people").fill(members);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create").setExact(true))
        .click();
  }

  private static Locator group(Page page, String title) {
    return page.locator("#groups .person").filter(new Locator.FilterOptions().setHasText(title));
  }

  private static void sendToGroup(Page page, String text) {
    Locator box = page.getByLabel("Group message", new Page.GetByLabelOptions().setExact(true));
    box.fill(text);
    box.press("Enter");
  }

  private static Locator groupMessage(Page page, String text) {
    return page.locator("#group-messages .bubble")
        .filter(new Locator.FilterOptions().setHasText(text));
  }

  private static java.util.List<String> texts(Page page) {
    return page.locator("#group-messages .bubble").allTextContents();
  }

  private static Locator groupText(Page page) {
    return page.getByLabel("Group message", new Page.GetByLabelOptions().setExact(true));
  }

  /** A file of the group; its {@code data-bytes} says what this member has of its bytes. */
  private static Locator groupFile(Page page, String name) {
    return page.locator("#group-messages .message[data-kind=file]")
        .filter(
            new Locator.FilterOptions()
                .setHas(page.getByText(name, new Page.GetByTextOptions().setExact(true))));
  }

  private static byte[] downloadedBytes(Page page, String name) throws Exception {
    Download download =
        page.waitForDownload(() -> groupFile(page, name).getByRole(AriaRole.LINK).click());
    assertThat(download.suggestedFilename()).isEqualTo(name);
    return Files.readAllBytes(download.path());
  }

  /** Drops a file on the group's conversation, as dragging one from the desktop does. */
  private static void dropFile(Page page, String name, byte[] content) {
    java.util.List<Integer> bytes = new java.util.ArrayList<>();
    for (byte b : content) {
      bytes.add(b & 0xff);
    }
    var transfer =
        page.evaluateHandle(
            "([name, bytes]) => { const t = new DataTransfer();"
                + " t.items.add(new File([new Uint8Array(bytes)], name, {type: 'text/plain'}));"
                + " return t; }",
            java.util.List.of(name, bytes));
    page.locator("#group-view").dispatchEvent("dragenter", Map.of("dataTransfer", transfer));
    assertThat(page.locator("#group-drop")).isVisible();
    page.locator("#group-view").dispatchEvent("drop", Map.of("dataTransfer", transfer));
  }

  private static String sha256(String text) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256")
                  .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }

  private static <T> T next(BlockingQueue<T> queue) throws InterruptedException {
    T event = queue.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(event).as("an event within %s", TIMEOUT).isNotNull();
    return event;
  }
}
