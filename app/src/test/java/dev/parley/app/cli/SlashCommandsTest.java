package dev.parley.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.client.ParleyClient;
import dev.parley.protocol.UserName;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jline.reader.LineReaderBuilder;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code parley chat}'s commands about keys print, on a terminal in memory, for a client
 * logged in to a real server with a peer online.
 */
@Timeout(120)
class SlashCommandsTest {
  private static final UserName BOB = new UserName("bob");
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  private final List<String> printed = new CopyOnWriteArrayList<>();
  private final List<ParleyClient> clients = new ArrayList<>();
  private ParleyServer server;
  private int port;
  private Terminal terminal;
  private ParleyClient alice;
  private ParleyClient bob;
  private SlashCommands slash;
  private Console console;

  @BeforeEach
  void start() throws IOException {
    server = startServer(0, "server");
    port = server.port();
    alice = login("alice", "alice");
    bob = login("bob", "bob");
    await().atMost(WAIT).until(() -> alice.online().contains(BOB));
    terminal =
        TerminalBuilder.builder()
            .streams(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream())
            .type(Terminal.TYPE_DUMB)
            .build();
    console =
        new Console(
            LineReaderBuilder.builder().terminal(terminal).build(),
            line -> printed.add(line.toString()));
    slash = new SlashCommands(alice, console);
  }

  @AfterEach
  void stop() throws IOException {
    clients.forEach(ParleyClient::close);
    server.close();
    terminal.close();
  }

  @Test
  void aPeerIsMarkedVerifiedAfterComparingNumbersAndTheMarkCanBeTakenBack() throws IOException {
    String[] groups = bob.safetyNumber(alice.name()).orElseThrow().split(" ");

    assertThat(said("/verify bob"))
        .contains("Safety number with bob")
        .contains("  " + String.join(" ", List.of(groups).subList(0, 4)) + "\n")
        .contains("Not verified yet. If the numbers match, mark bob verified: /verified bob");
    assertThat(said("/verified bob"))
        .startsWith("Marked bob as verified.")
        .contains("/unverify bob takes it back.");
    assertThat(alice.isVerified(BOB)).isTrue();

    assertThat(said("/info bob")).startsWith("bob is online, verified (you compared");
    assertThat(said("/open bob")).startsWith("Talking to bob (online, verified).");
    assertThat(said("/verify"))
        .contains("You marked bob as verified (/unverify bob takes it back).");
    assertThat(said("/verified")).startsWith("bob is marked as verified already.");

    assertThat(said("/unverify"))
        .startsWith("bob is no longer marked as verified; their key stays trusted as before.");
    assertThat(alice.isVerified(BOB)).isFalse();
    assertThat(said("/unverify")).isEqualTo("bob was not marked as verified.");
    assertThat(said("/info")).startsWith("bob is online, not verified (/verify bob compares");
  }

  @Test
  void helpListsTheCommandsToMarkAndUnmark() throws IOException {
    assertThat(said("/help"))
        .contains("/verified [NAME]     mark NAME as verified once the numbers match")
        .contains("/unverify [NAME]     take back the verified mark");
  }

  @Test
  void someoneNeverTalkedToCannotBeMarkedAndTheAnswerSaysWhy() throws IOException {
    assertThat(said("/verified carol"))
        .isEqualTo(
            "Not marked: no key is pinned for carol yet, as you have never talked. When carol is"
                + " online, /verify carol shows the number to compare.");
    assertThat(said("/info carol"))
        .startsWith("carol is offline, and no key is pinned for them yet (you have never talked).");
    assertThat(said("/verified bob"))
        .as("bob is online: his key is there to compare, but nobody has looked at its number")
        .startsWith("Not marked: no key is pinned for bob yet")
        .endsWith("/verify bob shows the number to compare first.");
  }

  @Test
  void aChangedKeyIsNotVerifiedAndMustBeAcceptedBeforeItIsMarked() throws IOException {
    said("/verify bob");
    said("/verified bob");

    // The server loses its directory, and someone else registers bob with another key.
    clients.remove(bob);
    bob.close();
    server.close();
    server = startServer(port, "reset-server");
    ParleyClient newBob = login("bob", "new-bob");
    await()
        .atMost(WAIT)
        .until(() -> alice.presentedKey(BOB).equals(Optional.of(newBob.publicKey())));

    assertThat(alice.isVerified(BOB)).isFalse();
    assertThat(said("/info bob"))
        .startsWith(
            "bob is online. WARNING: their key has changed and the new one is not accepted");
    assertThat(said("/open bob")).startsWith("Talking to bob (online, key changed: /verify bob).");
    assertThat(said("/verified bob"))
        .startsWith("Not marked: the identity key of bob has changed and the new one is not");
    assertThat(said("/verify bob"))
        .contains("WARNING: the server now presents another key for bob")
        .contains("If bob confirms that one, run /accept bob, then /verified bob.");

    assertThat(said("/accept bob"))
        .startsWith("Accepted the key bob has now; it is not verified.")
        .endsWith("If it matches bob's, mark them verified: /verified bob");
    assertThat(said("/info bob")).startsWith("bob is online, not verified");
    assertThat(said("/verified bob")).startsWith("Marked bob as verified.");
    assertThat(alice.isVerified(BOB)).isTrue();
    assertThat(alice.pinnedKey(BOB)).contains(newBob.publicKey());
  }

  @Test
  void aGroupIsCreatedOpenedListedAndWhatIsTypedInItReachesItsMembers() throws IOException {
    assertThat(said("/create bob Climbing trip"))
        .startsWith("Created #Climbing trip with bob.")
        .contains("In #Climbing trip.")
        .endsWith("Members of #Climbing trip: alice (admin, online), bob (online).");
    assertThat(console.prompt()).isEqualTo("#Climbing trip> ");

    slash.groups().send("hello group");
    await()
        .atMost(WAIT)
        .until(
            () ->
                bob.groups().list().size() == 1
                    && bob.groups().history(bob.groups().list().get(0).id(), 10).stream()
                        .anyMatch(e -> e.text().equals(Optional.of("hello group"))));

    assertThat(said("/groups")).isEqualTo("Groups: #Climbing trip (2 members, 2 online).");
    assertThat(said("/open bob")).startsWith("Talking to bob");
    assertThat(said("/open #climb")).startsWith("In #Climbing trip.").contains("you: hello group");
    assertThatThrownBy(() -> slash.run("/add bob"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("bob is a member already");
    assertThat(said("/leave")).isEqualTo("You left #Climbing trip; its history stays.");
    assertThat(said("/members")).isEqualTo("Members of #Climbing trip: bob (online).");
  }

  /** Runs {@code command} and returns what it printed. */
  private String said(String command) throws IOException {
    int before = printed.size();
    assertThat(slash.run(command)).isTrue();
    return String.join("\n", printed.subList(before, printed.size()));
  }

  private ParleyServer startServer(int at, String data) {
    return ParleyServer.start(
        ServerConfig.defaults().withPort(at).withDataDirectory(dir.resolve(data)));
  }

  private ParleyClient login(String name, String profile) {
    ParleyClient client =
        ParleyClient.builder(URI.create("ws://127.0.0.1:" + port + "/ws"), new UserName(name))
            .profile(dir.resolve("profiles").resolve(profile))
            .reconnect(Duration.ofMillis(100), Duration.ofMillis(500))
            .connect();
    clients.add(client);
    return client;
  }
}
