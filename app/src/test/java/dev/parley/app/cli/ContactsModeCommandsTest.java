package dev.parley.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.ParleyClient;
import dev.parley.protocol.PresenceMode;
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
 * What {@code parley chat}'s commands say on a server in contacts presence mode, which tells a
 * client only of the names it watches: alice has never talked to bob, who is online, nor to carol,
 * who is not.
 */
@Timeout(120)
class ContactsModeCommandsTest {
  private static final String ONLY_THEM =
      " This server tells only of them: /info NAME asks about anyone else.";

  @TempDir Path dir;
  private final List<String> printed = new CopyOnWriteArrayList<>();
  private final List<ParleyClient> clients = new ArrayList<>();
  private ParleyServer server;
  private Terminal terminal;
  private ParleyClient alice;
  private SlashCommands slash;

  @BeforeEach
  void start() throws IOException {
    server =
        ParleyServer.start(
            ServerConfig.defaults()
                .withPort(0)
                .withDataDirectory(dir.resolve("server"))
                .withPresenceMode(PresenceMode.CONTACTS));
    alice = login("alice");
    login("bob");
    terminal =
        TerminalBuilder.builder()
            .streams(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream())
            .type(Terminal.TYPE_DUMB)
            .build();
    Console console =
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
  void whoSaysItListsOnlyThePeopleWithAConversation() throws IOException {
    assertThat(said("/who")).isEqualTo("Nobody you have conversations with is online." + ONLY_THEM);

    said("/open bob");

    assertThat(said("/who"))
        .isEqualTo("Online among the people you have conversations with: bob." + ONLY_THEM);
  }

  @Test
  void openSaysWhetherSomeoneNeverTalkedToIsOnline() throws IOException {
    assertThat(said("/open bob")).startsWith("Talking to bob (online).");
    assertThat(said("/open carol"))
        .startsWith("Talking to carol (offline: messages wait in your outbox).");
  }

  @Test
  void infoSaysWhetherANameIsOnline() throws IOException {
    assertThat(said("/info bob")).startsWith("bob is online, and no key is pinned for them yet");
    assertThat(said("/info carol")).startsWith("carol is offline");
    assertThat(alice.online()).containsExactly(new UserName("bob"));
  }

  /** Runs {@code command} and returns what it printed. */
  private String said(String command) throws IOException {
    int before = printed.size();
    assertThat(slash.run(command)).isTrue();
    return String.join("\n", printed.subList(before, printed.size()));
  }

  private ParleyClient login(String name) {
    ParleyClient client =
        ParleyClient.builder(
                URI.create("ws://127.0.0.1:" + server.port() + "/ws"), new UserName(name))
            .profile(dir.resolve("profiles").resolve(name))
            .reconnect(Duration.ofMillis(100), Duration.ofMillis(500))
            .connect();
    clients.add(client);
    return client;
  }
}
