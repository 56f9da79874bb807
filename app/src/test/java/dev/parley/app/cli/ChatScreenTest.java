package dev.parley.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.client.group.GroupId;
import dev.parley.client.link.LinkPath;
import dev.parley.client.profile.Delivery;
import dev.parley.client.profile.Entry;
import dev.parley.protocol.UserName;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jline.reader.LineReaderBuilder;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What {@code parley chat} prints for what the client reports, on a terminal in memory. */
class ChatScreenTest {
  private static final UserName ALICE = new UserName("alice");
  private static final UserName BOB = new UserName("bob");

  private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
  private final List<String> printed = new CopyOnWriteArrayList<>();
  private final Set<UserName> online = ConcurrentHashMap.newKeySet();
  private Terminal terminal;
  private Console console;
  private EntryLines lines;
  private ChatScreen chat;

  @BeforeEach
  void start() throws IOException {
    terminal =
        TerminalBuilder.builder()
            .streams(new ByteArrayInputStream(new byte[0]), screen)
            .type(Terminal.TYPE_DUMB)
            .build();
    console =
        new Console(
            LineReaderBuilder.builder().terminal(terminal).build(),
            line -> printed.add(line.toString()));
    lines = new EntryLines(console, online::contains);
    chat = new ChatScreen(console, lines);
  }

  @AfterEach
  void stop() throws IOException {
    lines.close();
    terminal.close();
  }

  @Test
  void aMessageToSomeoneOnlineIsOneLineWithTheStateItReached() {
    online.add(BOB);

    chat.updated(ours("m1", "hello bob", Delivery.QUEUED));
    chat.updated(ours("m1", "hello bob", Delivery.SENT));
    assertThat(printed()).doesNotContain("hello bob");
    chat.updated(ours("m1", "hello bob", Delivery.DELIVERED));

    assertThat(printed()).containsOnlyOnce("hello bob").contains("✓✓ delivered");
    assertThat(printed()).doesNotContain("queued");
  }

  @Test
  void aMessageHeldTooLongIsShownWithItsStateAndItsDeliveryWithoutTheTextAgain() {
    online.add(BOB);

    chat.updated(ours("m2", "are you there", Delivery.QUEUED));
    chat.updated(ours("m2", "are you there", Delivery.SENT));
    await()
        .atMost(EntryLines.HOLD.plus(Duration.ofSeconds(5)))
        .until(() -> printed().contains("are you there  ✓ sent"));
    chat.updated(ours("m2", "are you there", Delivery.DELIVERED));

    assertThat(printed()).containsOnlyOnce("are you there").contains("✓✓ delivered (your");
  }

  @Test
  void aMessageToSomeoneOfflineIsQueuedAtOnce() {
    chat.updated(ours("m3", "for later", Delivery.QUEUED));

    assertThat(printed()).contains("for later  · queued");
  }

  @Test
  void aMessageWithNoConversationOpenOpensTheWritersAndAnotherSaysHowToAnswer() {
    chat.received(theirs(ALICE, "hi there"));

    assertThat(console.current()).isEqualTo(ALICE);
    assertThat(console.prompt()).isEqualTo("alice> ");
    assertThat(printed()).contains("Talking to alice now: type to answer.");

    chat.received(theirs(BOB, "me too"));

    assertThat(console.current()).isEqualTo(ALICE);
    assertThat(console.lastWriter()).isEqualTo(BOB);
    assertThat(printed()).contains("(/reply to answer bob.)");
  }

  @Test
  void typingShowsOnTheRightAndNeverChangesThePromptBeforeTheCursor() {
    console.open(ALICE);
    chat.typing(ALICE, true);

    assertThat(console.prompt()).isEqualTo("alice> ");
    assertThat(console.rightPrompt()).isEqualTo("typing…");

    chat.received(theirs(ALICE, "done"));
    assertThat(console.rightPrompt()).isEmpty();
  }

  @Test
  void typingInTheOpenGroupShowsWhoOnTheRightUntilTheyStop() {
    GroupId climbing = GroupId.random();
    console.openGroup(climbing, "Climbing");

    chat.groupTyping(GroupId.random(), BOB, true);
    assertThat(console.rightPrompt()).isEmpty();
    chat.groupTyping(climbing, BOB, true);
    assertThat(console.prompt()).isEqualTo("#Climbing> ");
    assertThat(console.rightPrompt()).isEqualTo("bob typing…");

    chat.groupTyping(climbing, BOB, false);
    assertThat(console.rightPrompt()).isEmpty();
  }

  @Test
  void aFailedFirstLoginIsNotAlsoReportedAsTheServerClosingOnUs() {
    chat.stateChanged(dev.parley.client.server.ServerState.CLOSED);
    assertThat(printed()).doesNotContain("closed our session");

    chat.connected();
    chat.stateChanged(dev.parley.client.server.ServerState.CLOSED);
    assertThat(printed()).contains("closed our session");
  }

  @Test
  void aLinkThatFindsABetterReadingOfItsPathSaysSo() {
    LinkPath.Candidate ours =
        new LinkPath.Candidate("host", Optional.of("192.0.2.2"), 5000, "udp", Optional.empty());
    LinkPath.Candidate unnamed =
        new LinkPath.Candidate("prflx", Optional.empty(), 6000, "udp", Optional.empty());
    LinkPath.Candidate named =
        new LinkPath.Candidate("host", Optional.of("192.0.2.2"), 6000, "udp", Optional.empty());

    chat.linkOpened(BOB, Optional.of(new LinkPath(LinkPath.Kind.NAT, ours, unnamed)));
    chat.linkPathChanged(BOB, new LinkPath(LinkPath.Kind.DIRECT, ours, named));

    assertThat(printed())
        .contains("Link to bob open: direct through NAT (/info bob for details)")
        .endsWith("Link to bob is now direct");
  }

  private String printed() {
    return String.join("\n", printed);
  }

  private static Entry ours(String id, String text, Delivery state) {
    return new Entry(1, BOB, id, true, 1_700_000_000_000L, text, null, state, "");
  }

  private static Entry theirs(UserName from, String text) {
    return new Entry(2, from, text, false, 1_700_000_000_000L, text, null, Delivery.RECEIVED, "");
  }
}
