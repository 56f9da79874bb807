package dev.parley.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.parley.client.ParleyClient;
import dev.parley.client.chat.ChatListener;
import dev.parley.client.profile.Entry;
import dev.parley.client.server.ServerState;
import dev.parley.protocol.Identity;
import dev.parley.protocol.ServerMessage;
import dev.parley.protocol.UserName;
import dev.parley.testkit.LocalCluster;
import dev.parley.testkit.TestClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three {@code parley server} processes on Redis and PostgreSQL behind HAProxy ({@link
 * LocalCluster}), with real clients: a browser and a Java client on different nodes chat directly;
 * a node killed with SIGKILL has its users announced left within the stated bound while its clients
 * come back through the balancer; a node stopped gracefully hands its users over.
 */
@ExtendWith(ChromiumExtension.class)
@Timeout(180)
class ClusterEndToEndTest {
  private static final Logger log = LoggerFactory.getLogger(ClusterEndToEndTest.class);

  /** docs/operations.md: a killed node's users are announced left within this. */
  private static final Duration LEFT_BOUND = Duration.ofSeconds(10);

  private static final Pattern ONLINE = Pattern.compile("\"online\":(\\d+)");

  static {
    PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
  }

  @TempDir static Path logs;
  private static LocalCluster cluster;

  @TempDir Path data;
  private final List<AutoCloseable> clients = new ArrayList<>();

  @BeforeAll
  static void start() {
    cluster = LocalCluster.start(3, logs, List.of("--registrations-per-hour", "100000"));
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @AfterEach
  void closeClientsAndRestartStoppedNodes() throws Exception {
    for (AutoCloseable client : clients) {
      client.close();
    }
    for (int n = 1; n <= 3; n++) {
      if (cluster.health(n).isEmpty()) {
        cluster.startNode(n);
      }
    }
  }

  private static URI ws(int port) {
    return URI.create("ws://127.0.0.1:" + port + "/ws");
  }

  private TestClient testClient(int node, String name) {
    TestClient client = TestClient.login(ws(cluster.port(node)), name, Identity.generate());
    clients.add(client);
    return client;
  }

  private ParleyClient javaClient(int port, String name, ChatListener listener) {
    ParleyClient client =
        ParleyClient.builder(ws(port), new UserName(name))
            .profile(data.resolve(name))
            .downloads(data.resolve(name + "-files"))
            .listener(listener)
            .reconnect(Duration.ofMillis(200), Duration.ofSeconds(2))
            .connect();
    clients.add(client);
    return client;
  }

  /** How many users node {@code n} serves, as its {@code /health} says. */
  private static int onlineAt(int n) {
    Matcher online = ONLINE.matcher(cluster.health(n));
    return online.find() ? Integer.parseInt(online.group(1)) : -1;
  }

  /** The node that serves exactly one more user than {@code before} said. */
  private static int nodeThatGained(int[] before) {
    for (int n = 1; n <= 3; n++) {
      if (onlineAt(n) == before[n - 1] + 1) {
        return n;
      }
    }
    throw new AssertionError("no node gained a user");
  }

  /**
   * How many users each node serves, once the clients of earlier tests are all gone (their closes
   * may still be under way when a test starts): a client that logs in next is the only one.
   */
  private static int[] onlineByNode() {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> onlineAt(1) == 0 && onlineAt(2) == 0 && onlineAt(3) == 0);
    return new int[] {0, 0, 0};
  }

  static final class Received implements ChatListener {
    final BlockingQueue<Entry> entries = new LinkedBlockingQueue<>();

    @Override
    public void received(Entry entry) {
      entries.add(entry);
    }
  }

  @Test
  void aBrowserAndAJavaClientOnDifferentNodesSeeEachOtherAndChatDirectly(Browsers browsers)
      throws Exception {
    WebChat alice =
        new WebChat(browsers.open("http://127.0.0.1:" + cluster.port(1) + "/")).signIn("alice");
    Received heard = new Received();
    ParleyClient bob = javaClient(cluster.port(2), "bob", heard);

    assertThat(alice.presence("bob")).hasAttribute("data-online", "true");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> bob.online().contains(new UserName("alice")));
    alice.open("bob");
    alice.send("hello from a browser on node 1");
    Entry entry = heard.entries.poll(30, TimeUnit.SECONDS);
    assertThat(entry).isNotNull();
    assertThat(entry.text()).isEqualTo("hello from a browser on node 1");
    assertThat(alice.path()).hasText("direct");
    bob.send(new UserName("alice"), "hello from Java on node 2")
        .delivered()
        .get(30, TimeUnit.SECONDS);
    assertThat(alice.received("hello from Java on node 2")).isVisible();
    browsers.screenshot(alice.page(), "cluster-browser-and-java-on-two-nodes");
  }

  @Test
  void aKilledNodesUsersAreAnnouncedLeftInTimeAndItsClientsComeBackThroughTheBalancer()
      throws Exception {
    int[] before = onlineByNode();
    ParleyClient mover = javaClient(cluster.balancerPort(), "mover", new Received());
    await().atMost(Duration.ofSeconds(10)).until(() -> mover.state() == ServerState.ONLINE);
    int doomed = nodeThatGained(before);
    int other = doomed == 1 ? 2 : 1;
    testClient(doomed, "stranded"); // a client that never reconnects
    TestClient watcher = testClient(other, "watcher");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> watcher.online().containsAll(List.of("mover", "stranded")));

    long killed = System.nanoTime();
    cluster.kill(doomed);

    // The reconnecting client first: it notices the broken connection at once, and is away for
    // at least its first backoff (100 ms or more), which a 5 ms poll sees.
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(5))
        .until(() -> mover.state() != ServerState.ONLINE);
    await().atMost(Duration.ofSeconds(10)).until(() -> mover.state() == ServerState.ONLINE);
    Duration moverBack = Duration.ofNanos(System.nanoTime() - killed);
    await().atMost(LEFT_BOUND).until(() -> !watcher.online().contains("stranded"));
    Duration announced = Duration.ofNanos(System.nanoTime() - killed);
    await().atMost(Duration.ofSeconds(10)).until(() -> watcher.online().contains("mover"));
    log.info(
        "Node n{} killed: its user announced left after {} ms; a reconnecting client online again"
            + " through the balancer after {} ms",
        doomed,
        announced.toMillis(),
        moverBack.toMillis());
    assertThat(announced).isLessThanOrEqualTo(LEFT_BOUND);
  }

  @Test
  void aNodeStoppedGracefullyHandsItsUsersToTheOthers() throws Exception {
    int[] before = onlineByNode();
    ParleyClient mover = javaClient(cluster.balancerPort(), "handed", new Received());
    await().atMost(Duration.ofSeconds(10)).until(() -> mover.state() == ServerState.ONLINE);
    int stopping = nodeThatGained(before);
    TestClient watcher = testClient(stopping == 3 ? 2 : 3, "onlooker");
    await().atMost(Duration.ofSeconds(10)).until(() -> watcher.online().contains("handed"));
    int framesBefore = watcher.presenceFrameCount();

    long stopped = System.nanoTime();
    cluster.terminate(stopping);

    await().atMost(Duration.ofSeconds(10)).until(() -> mover.state() == ServerState.ONLINE);
    await().atMost(Duration.ofSeconds(10)).until(() -> watcher.online().contains("handed"));
    Duration back = Duration.ofNanos(System.nanoTime() - stopped);
    log.info(
        "Node n{} stopped gracefully: its user online on another node after {} ms ({} presence"
            + " frames meanwhile)",
        stopping,
        back.toMillis(),
        watcher.presenceFrameCount() - framesBefore);
    assertThat(mover.online()).contains(new UserName("onlooker"));
    assertThat(watcher.drain())
        .filteredOn(ServerMessage.Presence.class::isInstance)
        .map(ServerMessage.Presence.class::cast)
        .as("nobody saw the handed-over user leave")
        .allSatisfy(frame -> assertThat(frame.left()).doesNotContain(new UserName("handed")));
  }
}
