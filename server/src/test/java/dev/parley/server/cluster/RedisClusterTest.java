package dev.parley.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.Identity;
import dev.parley.protocol.OnlineUser;
import dev.parley.protocol.UserName;
import dev.parley.server.peerjs.PeerJsCluster.Claim;
import dev.parley.server.presence.Cluster;
import dev.parley.server.presence.Member;
import dev.parley.server.transport.NettyServer;
import dev.parley.server.transport.Transport;
import dev.parley.testkit.RedisServer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two nodes' {@link RedisCluster}s on one Redis, each with a listener that keeps the view a node's
 * presence would: what one node's members do reaches the other's view, also around a registration.
 */
@Timeout(60)
class RedisClusterTest {
  private static final Duration BOUND = Duration.ofSeconds(10);
  private static RedisServer redis;

  private EventLoopGroup loops;
  private final List<RedisCluster> nodes = new ArrayList<>();
  private boolean paused;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void startLoops() {
    loops = NettyServer.newWorkers(Transport.NIO);
  }

  @AfterEach
  void stop() throws Exception {
    if (paused) {
      signalRedis("CONT");
    }
    for (RedisCluster node : nodes) {
      node.close();
    }
    redis.command("FLUSHALL");
    loops.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
  }

  /**
   * A benchmark's case (three nodes, 45,000 users: two nodes missed 40 users of the third): a
   * node's heartbeat timed out in a login storm, and the members who logged in while it registered
   * again -- after the script was given its members, before Redis counted reachable again -- were
   * never announced: online on their node, offline for every other.
   */
  @Test
  void aMemberWhoLogsInWhileItsNodeRegistersAgainIsOnlineForTheOtherNodes() {
    View observer = new View();
    start("n2", observer);
    View view = new View();
    RedisCluster n1 = start("n1", view);
    TestMember early = new TestMember("early");
    n1.joined(early).toCompletableFuture().join();
    await().atMost(BOUND).until(() -> observer.online.containsKey("early"));

    TestMember late = new TestMember("late");
    registerAgainWhile(n1, view, () -> n1.joined(late));

    await().atMost(BOUND).until(() -> observer.online.containsKey("late"));
    assertThat(observer.online).containsOnlyKeys("early", "late");
    assertThat(redis.command("HLEN parley:online")).isEqualTo(":2");
  }

  /** The other way round: a member who left then stayed online for the other nodes. */
  @Test
  void aMemberWhoLeavesWhileItsNodeRegistersAgainIsOfflineForTheOtherNodes() {
    View observer = new View();
    start("n2", observer);
    View view = new View();
    RedisCluster n1 = start("n1", view);
    TestMember stays = new TestMember("stays");
    TestMember goes = new TestMember("goes");
    n1.joined(stays).toCompletableFuture().join();
    n1.joined(goes).toCompletableFuture().join();
    await().atMost(BOUND).until(() -> observer.online.keySet().equals(Set.of("stays", "goes")));

    registerAgainWhile(n1, view, () -> n1.left(goes));

    await().atMost(BOUND).until(() -> !observer.online.containsKey("goes"));
    assertThat(observer.online).containsOnlyKeys("stays");
    assertThat(redis.command("HLEN parley:online")).isEqualTo(":1");
  }

  /**
   * A node's PeerJS ids after an outage: one Redis lost meanwhile is claimed again, and one its
   * client released while Redis was away (so that Redis still had it as the node's) is freed.
   */
  @Test
  void aNodeHoldsItsPeerJsIdsAgainAfterAnOutageAndFreesThoseReleasedMeanwhile() {
    RedisCluster n2 = start("n2", new View());
    View view = new View();
    RedisCluster n1 = start("n1", view);
    assertThat(n1.claim("kept", "t1").toCompletableFuture().join()).isEqualTo(Claim.FREE);
    assertThat(n1.claim("released", "t2").toCompletableFuture().join()).isEqualTo(Claim.FREE);
    await().atMost(BOUND).until(() -> n2.nodeOf("released").isPresent());

    registerAgainWhile(
        n1,
        view,
        () -> {
          redis.command("HDEL parley:peerjs kept"); // lost, as by a restart without its data
          n1.release("released", "t2");
        });

    await().atMost(BOUND).until(() -> redis.command("HEXISTS parley:peerjs kept").equals(":1"));
    await().atMost(BOUND).until(() -> n2.nodeOf("released").isEmpty());
    assertThat(redis.command("HEXISTS parley:peerjs released")).isEqualTo(":0");
    assertThat(n2.nodeOf("kept")).contains("n1");
  }

  /**
   * Frames a loop relays to one node in one turn reach it in one message through Redis, in the
   * order they were sent; a frame for a node no one listens for is answered false, as on its own.
   */
  @Test
  void framesRelayedInOneTurnOfALoopGoToTheirNodeAsOneMessageInOrder() throws Exception {
    View receiver = new View();
    start("n2", receiver);
    RedisCluster n1 = start("n1", new View());
    int count = 200;
    byte[] large = new byte[Batches.MOST_BYTES / 3];
    java.util.Arrays.fill(large, (byte) 'x');
    long before = publishes();

    List<CompletionStage<Boolean>> answers = new ArrayList<>();
    EventLoop loop = loops.next();
    loop.submit(
            () -> {
              for (int i = 0; i < count; i++) {
                answers.add(n1.deliver("n2", new UserName("u" + (i % 7)), bytes("frame " + i)));
              }
              answers.add(n1.deliver("n3", new UserName("u1"), bytes("for no one")));
              for (int i = 0; i < 4; i++) {
                answers.add(n1.deliver("n2", new UserName("big"), large));
              }
            })
        .sync();

    await().atMost(BOUND).until(() -> receiver.frames.size() == count + 4);
    for (int i = 0; i < count; i++) {
      assertThat(receiver.frames.get(i)).isEqualTo("u" + (i % 7) + " frame " + i);
    }
    assertThat(receiver.frames.subList(count, count + 4))
        .allSatisfy(frame -> assertThat(frame).hasSize("big ".length() + large.length));
    for (int i = 0; i < answers.size(); i++) {
      assertThat(answers.get(i).toCompletableFuture().get(10, TimeUnit.SECONDS))
          .as("answer %d", i)
          .isEqualTo(i != count);
    }
    // The 200 small frames and the first three large ones in one message, published as the third
    // took it past the size bound; the fourth, and the frame for n3, each on its own at the end of
    // the turn. (Redis counts the PUBLISH commands, those of scripts too: none runs meanwhile.)
    assertThat(publishes() - before).isEqualTo(3);
  }

  /**
   * A frame relayed just before its sender leaves reaches the other node before the leave, as it
   * did when each frame was published on its own: its addressee never hears from someone gone.
   */
  @Test
  void aFrameRelayedJustBeforeItsSenderLeavesReachesTheOtherNodeBeforeTheLeave() throws Exception {
    View receiver = new View();
    start("n2", receiver);
    RedisCluster n1 = start("n1", new View());
    TestMember sender = new TestMember("sender");
    n1.joined(sender).toCompletableFuture().join();
    await().atMost(BOUND).until(() -> receiver.online.containsKey("sender"));

    loops
        .next()
        .submit(
            () -> {
              var unused = n1.deliver("n2", new UserName("addressee"), bytes("last words"));
              n1.left(sender);
            })
        .sync();

    await().atMost(BOUND).until(() -> receiver.events.contains("left sender"));
    assertThat(receiver.events).containsSubsequence("addressee last words", "left sender");
  }

  /** How many PUBLISH commands Redis has run. */
  private static long publishes() {
    String answer =
        redis.command(
            "EVAL \"return tonumber(string.match(redis.call('INFO', 'commandstats'),"
                + " 'cmdstat_publish:calls=(%d+)') or 0)\" 0");
    assertThat(answer).startsWith(":");
    return Long.parseLong(answer.substring(1));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * Redis stops answering until {@code node} finds it unreachable; once it answers again, {@code
   * node} registers again, and {@code meanwhile} runs at the moment of it that loses an event:
   * after the script has its members (the view is resynced from the script's answer after it ran).
   */
  private void registerAgainWhile(RedisCluster node, View view, Runnable meanwhile) {
    signalRedis("STOP");
    await().atMost(BOUND).until(() -> !node.whole());
    view.onResync.set(others -> meanwhile.run());
    signalRedis("CONT");
    await().atMost(BOUND).until(() -> node.whole() && view.onResync.get() == null);
  }

  private RedisCluster start(String id, View view) {
    RedisCluster node =
        RedisCluster.connect(
            new ClusterSettings(
                redis.uri(), id, "parley:", Duration.ofMillis(200), Duration.ofSeconds(30)),
            loops,
            Transport.NIO);
    nodes.add(node);
    node.start(view);
    return node;
  }

  private void signalRedis(String signal) {
    try {
      Process kill =
          new ProcessBuilder("kill", "-" + signal, Long.toString(redis.pid())).inheritIO().start();
      assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).isTrue();
      paused = signal.equals("STOP");
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Who is online on the other nodes, kept as {@code NodePresence} keeps it. */
  private static final class View implements Cluster.Listener {
    final Map<String, String> online = new ConcurrentHashMap<>();

    /** The frames delivered here: the addressee's name, a space, the frame. */
    final List<String> frames = java.util.Collections.synchronizedList(new ArrayList<>());

    /** The frames, and the leaves ("left NAME"), in the order they came. */
    final List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());

    /** Runs once, at the next resync, before the view takes the snapshot. */
    final AtomicReference<Consumer<Map<UserName, Cluster.Remote>>> onResync =
        new AtomicReference<>();

    @Override
    public void joined(Cluster.Remote remote) {
      online.put(remote.user().name().value(), remote.node());
    }

    @Override
    public void left(String node, UserName name) {
      events.add("left " + name.value());
      online.remove(name.value(), node);
    }

    @Override
    public void replaced(Member member) {}

    @Override
    public boolean deliverHere(UserName to, byte[] frame) {
      String delivered =
          to.value() + " " + new String(frame, java.nio.charset.StandardCharsets.UTF_8);
      frames.add(delivered);
      events.add(delivered);
      return true;
    }

    @Override
    public void resynced(Map<UserName, Cluster.Remote> others) {
      Consumer<Map<UserName, Cluster.Remote>> hook = onResync.getAndSet(null);
      if (hook != null) {
        hook.accept(others);
      }
      online.clear();
      others.values().forEach(this::joined);
    }
  }

  private static final class TestMember implements Member {
    private final OnlineUser user;

    TestMember(String name) {
      user = new OnlineUser(new UserName(name), Identity.generate().publicKey());
    }

    @Override
    public OnlineUser user() {
      return user;
    }

    @Override
    public void send(byte[] frame) {}

    @Override
    public void replaced() {}
  }
}
