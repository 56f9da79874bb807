package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.ServerMessage;
import dev.parley.testkit.RawWebSocket;
import dev.parley.testkit.TestClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A welcome whose list of everyone online is past the size the server keeps on the Java heap goes
 * out around the one native copy of that list all welcomes of the moment share.
 */
@Timeout(120)
class LargeWelcomeIntegrationTest {
  /** Names of the longest length: 660 of them make a list of about 70 KB, past 64 KiB. */
  private static final int CROWD = 660;

  @TempDir Path data;
  private TestServer server;
  private final List<AutoCloseable> clients = new ArrayList<>();

  @BeforeEach
  void start() {
    server = TestServer.start(data, config -> config.withMaxConnectionsPerAddress(CROWD + 10));
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable client : clients) {
      client.close();
    }
    server.close();
  }

  @Test
  void welcomesPastTheHeapSizeListEveryoneOnlineWithTheirKeys() throws Exception {
    Set<String> crowd = new HashSet<>();
    for (int i = 0; i < CROWD; i++) {
      String name = "crowd-member-" + String.format("%019d", i); // 32 characters
      RawWebSocket member = server.loginRaw(name);
      clients.add(member);
      crowd.add(name);
    }
    // A welcome lists who was online at the last presence frame; the last joins may still be on
    // their way in the next one. Once a watcher has heard of everyone and of itself, it has gone.
    TestClient watcher = server.login("watcher");
    clients.add(watcher);
    Set<String> before = union(crowd, "watcher");
    await().atMost(Duration.ofSeconds(10)).until(() -> watcher.online().containsAll(before));

    ServerMessage.Welcome first = welcome("first");
    ServerMessage.Welcome second = welcome("second");

    assertThat(names(first)).isEqualTo(before);
    assertThat(names(second)).containsAll(before).isSubsetOf(union(before, "first"));
    assertThat(first.online())
        .allSatisfy(
            user ->
                assertThat(user.publicKey())
                    .isEqualTo(server.identity(user.name().value()).publicKey()));
  }

  private ServerMessage.Welcome welcome(String name) {
    TestClient client = server.connect();
    clients.add(client);
    client.sendLogin(name, server.identity(name));
    return client.next(ServerMessage.Welcome.class);
  }

  private static Set<String> names(ServerMessage.Welcome welcome) {
    Set<String> names = new HashSet<>();
    welcome.online().forEach(user -> names.add(user.name().value()));
    assertThat(names).as("no name twice").hasSize(welcome.online().size());
    return names;
  }

  private static Set<String> union(Set<String> set, String more) {
    Set<String> union = new HashSet<>(set);
    union.add(more);
    return union;
  }
}
