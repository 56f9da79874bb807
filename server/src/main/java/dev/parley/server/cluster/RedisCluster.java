package dev.parley.server.cluster;

import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.OnlineUser;
import dev.parley.protocol.UserName;
import dev.parley.server.peerjs.PeerJsCluster;
import dev.parley.server.presence.Cluster;
import dev.parley.server.presence.Member;
import dev.parley.server.transport.Transport;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.concurrent.EventExecutor;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nodes of a deployment, met in Redis: who holds each name (one session per name, deployment-
 * wide), each node's heartbeat (a node silent for {@link ClusterSettings#ttl} is taken offline by
 * the others, its names announced left), and pub/sub channels that carry presence events to every
 * node and frames to the node of their addressee. Each change is one Lua script, so what it reads
 * and writes and the event it publishes are one atomic step, and events reach every node in the
 * order Redis ran them. docs/adr/0009 has the design and why.
 *
 * <p>When Redis cannot be reached the node goes on serving its own members (their presence among
 * themselves, relays between them); when it can again, the node registers the members it has then
 * and takes the deployment's view as it is ({@code register.lua}), announcing to its members what
 * changed meanwhile.
 *
 * <p>Everything that changes the view runs on one thread, {@code cluster}, in order.
 */
public final class RedisCluster implements Cluster, PeerJsCluster {
  private static final Logger log = LoggerFactory.getLogger(RedisCluster.class);

  private static final byte[][] NO_KEYS = new byte[0][];

  /** How long a stopping node waits for its members to log in on other nodes. */
  static final Duration HAND_OFF = Duration.ofSeconds(3);

  /** The channels each node subscribes to: presence events, its own, and its own for batches. */
  private static final int CHANNELS = 3;

  /** A name this node holds: its member and the number of its session (a long, not its text). */
  private record Held(Member member, long session) {}

  private final ClusterSettings settings;
  private final byte[] prefix;
  private final byte[] nodeBytes;
  private final Clock clock;
  private final RedisClient client;
  private final ClientResources resources;
  private final StatefulRedisConnection<byte[], byte[]> connection;
  private final RedisAsyncCommands<byte[], byte[]> redis;
  private final StatefulRedisPubSubConnection<byte[], byte[]> subscription;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("cluster").daemon().factory());
  private final Scripts scripts = Scripts.load();
  private final AtomicLong sessions = new AtomicLong();
  private final AtomicLong subscriptions = new AtomicLong();

  /** The node's event loops, which Lettuce shares. */
  private final EventLoopGroup loops;

  /** Frames for other nodes, published once per turn of the loop that relays them. */
  private final Batches batches;

  /** Messages from Redis handed to the thread "cluster" and not yet applied there. */
  private final AtomicInteger unapplied = new AtomicInteger();

  private final AtomicBoolean closed = new AtomicBoolean();

  /** The session of each name this node holds. */
  private final ConcurrentHashMap<UserName, Held> claims = new ConcurrentHashMap<>();

  // Set once on the thread "cluster"; frames for members are delivered on Redis's I/O thread.
  private volatile Cluster.@Nullable Listener listener;

  // State of the thread "cluster" only.
  private volatile PeerJsCluster.@Nullable Listener peerJs;

  /** The PeerJS ids of the other nodes, with their node. */
  private final ConcurrentHashMap<String, String> peerJsIds = new ConcurrentHashMap<>();

  // One String per node id, shared by every remote user and PeerJS id on that node: a node id read
  // from each message would otherwise be a copy of its own per remote user (~80 bytes each).
  private final ConcurrentHashMap<String, String> nodeIds = new ConcurrentHashMap<>();

  /** Each node's two channels for frames, {@code node:} and {@code batch:}, made once a node. */
  private final ConcurrentHashMap<String, byte[][]> channels = new ConcurrentHashMap<>();

  /** The PeerJS ids of this node, with their token. */
  private final ConcurrentHashMap<String, String> peerJsHere = new ConcurrentHashMap<>();

  private boolean registered;

  /** The number of the event the last snapshot is as of: events up to it are in it. */
  private long snapshot;

  private volatile boolean reachable;
  private volatile boolean handingOff;
  private volatile List<String> nodes = List.of();

  private RedisCluster(
      ClusterSettings settings, Clock clock, EventLoopGroup loops, Transport transport) {
    this.loops = loops;
    this.settings = settings;
    this.clock = clock;
    this.prefix = bytes(settings.prefix());
    this.nodeBytes = bytes(settings.node());
    this.resources =
        SharedLoops.resources(loops, transport)
            .nettyCustomizer(new OneFlushPerTurn())
            .computationThreadPoolSize(1)
            .reconnectDelay(Delay.constant(Duration.ofMillis(500)))
            .build();
    this.client =
        SharedLoops.client(resources, RedisURI.create(settings.redis()), loops, transport);
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            // Fail at once while Redis is away: the node serves its own members meanwhile.
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled(settings.heartbeat().multipliedBy(2)))
            .build());
    try {
      this.connection = client.connect(ByteArrayCodec.INSTANCE);
      this.redis = connection.async();
      this.subscription = client.connectPubSub(ByteArrayCodec.INSTANCE);
    } catch (RuntimeException e) {
      client.shutdown();
      var unused = resources.shutdown(); // its threads end by themselves; nothing to wait for
      throw e;
    }
    this.batches = new Batches(loops, this::publish);
  }

  /**
   * Connects to Redis on {@code loops}, the event loops that serve the node's connections, of
   * {@code transport}; the node joins the deployment when {@link #start} is called.
   *
   * <p>On the same loops as the connections, a frame relayed to another node is written to Redis by
   * the loop that read it, and a frame from another node is written to its addressee by the loop
   * that read it from Redis: no hand-over between threads, each of which wakes a thread (on 2
   * cores, cross-node relays cost several times the CPU of relays on one node with Lettuce's own
   * I/O thread; docs/benchmarks.md).
   *
   * @throws IllegalStateException if Redis cannot be reached
   */
  public static RedisCluster connect(
      ClusterSettings settings, EventLoopGroup loops, Transport transport) {
    try {
      return new RedisCluster(settings, Clock.systemUTC(), loops, transport);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "cannot reach Redis at " + settings.redisShown() + ": " + e.getMessage(), e);
    }
  }

  public String node() {
    return settings.node();
  }

  @Override
  public void start(Cluster.Listener listener) {
    subscription.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(byte[] channel, byte[] message) {
            try {
              Batches.split(message, RedisCluster.this::take);
            } catch (RuntimeException e) {
              log.warn(
                  "Ignored the rest of a cluster message that does not parse: {}", e.toString());
            }
          }

          @Override
          public void subscribed(byte[] channel, long count) {
            // Past the first three (one per channel), after a reconnection: what was published
            // meanwhile is lost, so look again.
            if (subscriptions.incrementAndGet() > CHANNELS) {
              onThread(() -> registered = false);
            }
          }
        });
    try {
      subscription
          .sync()
          .subscribe(
              concat(prefix, bytes("presence")), channelsOf(node())[0], channelsOf(node())[1]);
      thread.submit(() -> this.listener = listener).get();
      thread.submit(this::tick).get(); // registers: the node is in the deployment once started
    } catch (Exception e) {
      close();
      throw new IllegalStateException("cannot join the deployment through Redis", e);
    }
    long period = settings.heartbeat().toNanos();
    var unused = thread.scheduleAtFixedRate(this::tick, period, period, TimeUnit.NANOSECONDS);
    log.info(
        "Node {} joined the deployment through Redis at {} (nodes seen: {})",
        node(),
        settings.redisShown(),
        nodes);
  }

  /** One message from Redis, at {@code offset} in {@code bytes}, on the loop that read it. */
  private void take(byte[] bytes, int offset, int length) {
    if (bytes[offset] == 'D' && unapplied.get() == 0) {
      // A frame for a member changes no view, and members are in a concurrent map: it is handed
      // over on the loop that read it, without a hop through the thread "cluster" -- unless
      // messages read before it still wait for that thread. Its addressee could answer at once,
      // and its answer must find the view that the events before the frame made (a login on
      // another node, say), as on the node that sent it.
      deliverHere(bytes, offset, length);
      return;
    }
    byte[] message = Arrays.copyOfRange(bytes, offset, offset + length);
    unapplied.incrementAndGet();
    if (message[0] == 'D') {
      // After the thread "cluster" has applied what came before it, back on this loop, so that the
      // frames read after it, which may go the fast way, cannot overtake it.
      EventExecutor reader = currentLoop();
      onThread(() -> deliverOn(reader, message));
    } else {
      onThread(
          () -> {
            try {
              received(message);
            } finally {
              unapplied.decrementAndGet();
            }
          });
    }
  }

  /** Heartbeat, or registration when the deployment does not know this node (any more). */
  private void tick() {
    try {
      if (!registered) {
        register();
        return;
      }
      List<Object> answer =
          redis
              .<List<Object>>eval(
                  scripts.heartbeat,
                  ScriptOutputType.MULTI,
                  NO_KEYS,
                  ourArgs(number(settings.ttl().toMillis()), number(clock.millis())))
              .get(settings.heartbeat().toMillis() * 2, TimeUnit.MILLISECONDS);
      if (((Long) answer.get(0)) == 0) {
        log.warn("The deployment had lost this node {}: registering its members again", node());
        register();
        return;
      }
      List<String> alive = new ArrayList<>();
      for (Object node : answer.subList(1, answer.size())) {
        alive.add(string((byte[]) node));
      }
      if (!alive.equals(nodes)) {
        log.info("Nodes of the deployment: {}", alive);
      }
      nodes = List.copyOf(alive);
      reachable(true);
    } catch (Exception e) {
      unreachable(e);
    }
  }

  /**
   * Claims the names of this node's members and takes the deployment's view from the snapshot the
   * same script returns. Events that arrived meanwhile wait in this thread's queue; those the
   * snapshot holds already are skipped by their number.
   */
  private void register() throws Exception {
    List<byte[]> args = new ArrayList<>();
    args.add(number(settings.ttl().toMillis()));
    args.add(number(clock.millis()));
    Map<Long, Held> bySession = new HashMap<>();
    for (Held claim : claims.values()) {
      OnlineUser user = claim.member().user();
      args.add(bytes(user.name().key()));
      args.add(bytes(user.name().value()));
      args.add(number(claim.session()));
      args.add(bytes(user.publicKey().encoded()));
      bySession.put(claim.session(), claim);
    }
    List<Object> answer =
        redis
            .<List<Object>>eval(
                scripts.register,
                ScriptOutputType.MULTI,
                NO_KEYS,
                ourArgs(args.toArray(byte[][]::new)))
            .get(settings.heartbeat().toMillis() * 4, TimeUnit.MILLISECONDS);
    snapshot = (Long) answer.get(0);
    for (Object session : (List<?>) answer.get(1)) {
      Held lost = bySession.remove(Long.parseLong(string((byte[]) session)));
      if (lost != null && claims.remove(lost.member().user().name(), lost)) {
        listener().replaced(lost.member());
      }
    }
    List<?> online = (List<?>) answer.get(2);
    Map<UserName, Remote> others = new LinkedHashMap<>();
    for (int i = 1; i < online.size(); i += 2) {
      String[] value = string((byte[]) online.get(i)).split("\n", -1);
      if (!value[0].equals(node())) {
        UserName name = new UserName(value[2]);
        others.put(name, new Remote(nodeId(value[0]), name, new IdentityKey(value[3])));
      }
    }
    listener().resynced(others);
    List<String> members = new ArrayList<>();
    for (Object node : (List<?>) answer.get(3)) {
      members.add(string((byte[]) node));
    }
    nodes = List.copyOf(members);
    List<?> peerJsOnline = (List<?>) answer.get(4);
    peerJsIds.clear();
    Map<String, String> peerJsOurs = new HashMap<>(); // id -> token, as Redis had them
    for (int i = 1; i < peerJsOnline.size(); i += 2) {
      String[] holder = string((byte[]) peerJsOnline.get(i)).split("\n", 2);
      String id = string((byte[]) peerJsOnline.get(i - 1));
      if (!holder[0].equals(node())) {
        peerJsIds.put(id, nodeId(holder[0]));
      } else if (holder.length == 2) {
        peerJsOurs.put(id, holder[1]);
      }
    }
    registered = true;
    log.info(
        "Node {} registered {} members; {} online on other nodes",
        node(),
        claims.size(),
        others.size());
    reachable(true);
    catchUp(bySession);
    claimPeerJsAgain(peerJsOurs);
  }

  /**
   * Once Redis counts reachable again (before, {@link #claim} would not ask it): claims this node's
   * PeerJS ids again (Redis may have lost them, or another node dropped them as this node's while
   * it was away), and frees those Redis still has as ours that a client released meanwhile ({@code
   * ours}: id to token, as the registration's snapshot had them).
   */
  private void claimPeerJsAgain(Map<String, String> ours) {
    peerJsHere.forEach(
        (id, token) ->
            claim(id, token)
                .thenAccept(
                    claim -> {
                      PeerJsCluster.Listener realm = peerJs;
                      if (claim == Claim.TAKEN && realm != null) {
                        realm.reattachedElsewhere(id); // another client took it meanwhile
                      }
                    }));
    ours.forEach(
        (id, token) -> {
          if (!token.equals(peerJsHere.get(id))) {
            var unused = releaseInRedis(id, token);
          }
        });
  }

  /**
   * Tells the deployment of the members that joined or left after {@link #register} read {@link
   * #claims} and before it counted Redis reachable again: {@link #joined} and {@link #left} skipped
   * Redis meanwhile, and the script did not have them either, so the other nodes would never hear
   * of them (and a join that reached Redis just before the script was dropped by it). {@code
   * registered} are the claims the script was given, by session, less those it said were lost.
   * Telling again what a member told itself changes nothing.
   */
  @SuppressWarnings("ReferenceEquality") // a claim is one session: the same object
  private void catchUp(Map<Long, Held> registered) {
    for (Held claim : claims.values()) {
      if (registered.remove(claim.session()) == null) {
        var unused =
            announceJoin(claim)
                .thenCompose(
                    joined ->
                        // It left meanwhile, and its own leave may have run before this join.
                        claims.get(claim.member().user().name()) != claim
                            ? announceLeave(claim)
                            : CompletableFuture.completedFuture(joined));
      }
    }
    for (Held gone : registered.values()) {
      // It left meanwhile (the script announces a leave only if its session still holds the name).
      if (claims.get(gone.member().user().name()) != gone) {
        var unused = announceLeave(gone);
      }
    }
  }

  private CompletionStage<Long> announceJoin(Held claim) {
    OnlineUser user = claim.member().user();
    batches.flushHere();
    return redis.eval(
        scripts.join,
        ScriptOutputType.INTEGER,
        NO_KEYS,
        ourArgs(
            number(claim.session()),
            bytes(user.name().key()),
            bytes(user.name().value()),
            bytes(user.publicKey().encoded())));
  }

  private CompletionStage<Long> announceLeave(Held claim) {
    UserName name = claim.member().user().name();
    batches.flushHere(); // its frames relayed before it go before it
    return redis.eval(
        scripts.leave,
        ScriptOutputType.INTEGER,
        NO_KEYS,
        ourArgs(number(claim.session()), bytes(name.key()), bytes(name.value())));
  }

  private void reachable(boolean now) {
    if (now && !reachable) {
      log.info("Redis at {} is reachable: the deployment is whole", settings.redisShown());
    }
    reachable = now;
  }

  private void unreachable(Exception e) {
    registered = false;
    if (reachable) {
      log.warn(
          "Redis at {} cannot be reached ({}): serving this node's {} members alone until it can",
          settings.redisShown(),
          e.getMessage(),
          claims.size());
    }
    reachable = false;
  }

  /** Runs {@code task} on the thread {@code cluster}, unless it has stopped (closing). */
  private void onThread(Runnable task) {
    try {
      thread.execute(task);
    } catch (RejectedExecutionException e) {
      // closed: what Redis still says is moot
    }
  }

  private Cluster.Listener listener() {
    Cluster.Listener current = listener;
    if (current == null) {
      throw new IllegalStateException("not started");
    }
    return current;
  }

  /** The one String for node {@code id} (a handful of nodes; past 1,024, ids go unshared). */
  private String nodeId(String id) {
    String shared = nodeIds.get(id);
    if (shared != null) {
      return shared;
    }
    if (nodeIds.size() >= 1_024) {
      return id;
    }
    shared = nodeIds.putIfAbsent(id, id);
    return shared == null ? id : shared;
  }

  /** An event or message from Redis, on the thread {@code cluster}. */
  private void received(byte[] message) {
    try {
      switch (message[0]) {
        case 'J' -> {
          String[] f = fields(message, 5);
          if (Long.parseLong(f[1]) > snapshot && !f[2].equals(node())) {
            UserName name = new UserName(f[3]);
            listener().joined(new Remote(nodeId(f[2]), name, new IdentityKey(f[4])));
          }
        }
        case 'L' -> {
          String[] f = fields(message, 4);
          if (Long.parseLong(f[1]) > snapshot && !f[2].equals(node())) {
            listener().left(f[2], new UserName(f[3]));
          }
        }
        case 'R' -> {
          String[] f = fields(message, 3);
          UserName name = new UserName(f[1]);
          Held claim = claims.get(name);
          if (claim != null
              && claim.session() == Long.parseLong(f[2])
              && claims.remove(name, claim)) {
            listener().replaced(claim.member());
          }
        }
        case 'C' -> {
          String[] f = fields(message, 3);
          if (!f[2].equals(node())) {
            peerJsIds.put(f[1], nodeId(f[2]));
            PeerJsCluster.Listener realm = peerJs;
            if (realm != null) {
              realm.claimed(f[1], f[2]);
            }
          } else {
            peerJsIds.remove(f[1]);
          }
        }
        case 'F' -> {
          String[] f = fields(message, 3);
          peerJsIds.remove(f[1], f[2]);
        }
        case 'K' -> {
          String id = fields(message, 2)[1];
          peerJsHere.remove(id);
          PeerJsCluster.Listener realm = peerJs;
          if (realm != null) {
            realm.reattachedElsewhere(id);
          }
        }
        case 'P' -> {
          PeerJsCluster.Listener realm = peerJs;
          int end = nameEnd(message, 0, message.length);
          if (realm != null) {
            realm.deliverHere(
                new String(message, 2, end - 2, StandardCharsets.UTF_8),
                rest(message, end, message.length));
          }
        }
        default -> log.warn("Ignored a cluster message of unknown type {}", (char) message[0]);
      }
    } catch (RuntimeException e) {
      log.warn("Ignored a cluster message that does not parse: {}", e.toString());
    }
  }

  /** The node's event loop this runs on, if it runs on one. */
  private @Nullable EventExecutor currentLoop() {
    for (EventExecutor loop : loops) {
      if (loop.inEventLoop()) {
        return loop;
      }
    }
    return null;
  }

  /** Delivers a frame on {@code reader} (here, without one), then counts it applied. */
  private void deliverOn(@Nullable EventExecutor reader, byte[] message) {
    Runnable deliver =
        () -> {
          try {
            deliverHere(message, 0, message.length);
          } finally {
            unapplied.decrementAndGet();
          }
        };
    if (reader == null) {
      deliver.run();
      return;
    }
    try {
      reader.execute(deliver);
    } catch (RejectedExecutionException stopping) {
      unapplied.decrementAndGet(); // the node is stopping: no one to deliver to
    }
  }

  /**
   * {@code D \n name \n frame}, at {@code offset} in {@code bytes}: the frame is the rest, as it
   * is. For an addressee gone meanwhile, as if a moment earlier; before the node has started, there
   * is no one to deliver to.
   */
  private void deliverHere(byte[] bytes, int offset, int length) {
    Cluster.Listener current = listener;
    if (current == null) {
      return;
    }
    try {
      int end = nameEnd(bytes, offset, offset + length);
      UserName to =
          new UserName(new String(bytes, offset + 2, end - offset - 2, StandardCharsets.US_ASCII));
      current.deliverHere(to, rest(bytes, end, offset + length));
    } catch (RuntimeException e) {
      log.warn("Ignored a cluster message that does not parse: {}", e.toString());
    }
  }

  /** Where the second field of a {@code D} or {@code P} message from {@code offset} ends. */
  private static int nameEnd(byte[] bytes, int offset, int limit) {
    int end = offset + 2;
    while (end < limit && bytes[end] != '\n') {
      end++;
    }
    return end;
  }

  /** What follows the new line at {@code end}, up to {@code limit}. */
  private static byte[] rest(byte[] bytes, int end, int limit) {
    return Arrays.copyOfRange(bytes, Math.min(end + 1, limit), limit);
  }

  @Override
  public CompletionStage<Void> joined(Member member) {
    OnlineUser user = member.user();
    Held claim = new Held(member, sessions.incrementAndGet());
    claims.put(user.name(), claim);
    if (!reachable) {
      return CompletableFuture.completedFuture(null); // registered once Redis is back
    }
    return announceJoin(claim)
        .handle(
            (ev, failure) -> {
              if (failure != null) {
                onThread(() -> unreachable(new IllegalStateException(failure)));
              }
              return null;
            });
  }

  @Override
  @SuppressWarnings("ReferenceEquality") // a member is one session: the same object
  public void left(Member member) {
    UserName name = member.user().name();
    Held claim = claims.get(name);
    if (handingOff) {
      return; // its name stays held until it logs in elsewhere, or until close
    }
    if (claim == null || claim.member() != member || !claims.remove(name, claim) || !reachable) {
      return; // replaced, or Redis is away: registering again announces it
    }
    var unused =
        announceLeave(claim)
            .whenComplete(
                (ev, failure) -> {
                  if (failure != null) {
                    onThread(() -> unreachable(new IllegalStateException(failure)));
                  }
                });
  }

  @Override
  public CompletionStage<Boolean> deliver(String node, UserName to, byte[] frame) {
    if (!reachable) {
      return CompletableFuture.completedFuture(false);
    }
    return batches.send(node, 'D', bytes(to.value()), frame);
  }

  /**
   * {@code node}'s two channels for frames, {@code node:} and {@code batch:}, as Redis names them.
   */
  private byte[][] channelsOf(String node) {
    return channels.computeIfAbsent(
        node,
        n ->
            new byte[][] {concat(prefix, bytes("node:" + n)), concat(prefix, bytes("batch:" + n))});
  }

  /** To the node's channel, or to its channel for batches ({@link Batches}). */
  private CompletionStage<Boolean> publish(String node, byte[] message, boolean batch) {
    return redis
        .publish(channelsOf(node)[batch ? 1 : 0], message)
        .handle((receivers, failure) -> failure == null && receivers != null && receivers > 0);
  }

  @Override
  public void start(PeerJsCluster.Listener realm) {
    peerJs = realm;
  }

  @Override
  public CompletionStage<Claim> claim(String id, String token) {
    peerJsHere.put(id, token);
    if (!reachable) {
      return CompletableFuture.completedFuture(Claim.FREE); // claimed when Redis is back
    }
    batches.flushHere();
    return redis
        .<byte[]>eval(
            scripts.peerJsClaim, ScriptOutputType.VALUE, NO_KEYS, ourArgs(bytes(id), bytes(token)))
        .handle(
            (answer, failure) -> {
              if (failure != null) {
                onThread(() -> unreachable(new IllegalStateException(failure)));
                return Claim.FREE;
              }
              Claim claim = Claim.valueOf(string(answer));
              if (claim == Claim.TAKEN) {
                peerJsHere.remove(id, token);
              }
              return claim;
            });
  }

  @Override
  public void release(String id, String token) {
    if (!peerJsHere.remove(id, token) || !reachable) {
      return; // Redis is away: registering again frees it
    }
    var unused = releaseInRedis(id, token);
  }

  private CompletionStage<Long> releaseInRedis(String id, String token) {
    batches.flushHere();
    return redis.eval(
        scripts.peerJsRelease, ScriptOutputType.INTEGER, NO_KEYS, ourArgs(bytes(id), bytes(token)));
  }

  @Override
  public Optional<String> nodeOf(String id) {
    return Optional.ofNullable(peerJsIds.get(id));
  }

  @Override
  public Set<String> ids() {
    return Set.copyOf(peerJsIds.keySet());
  }

  @Override
  public CompletionStage<Boolean> deliver(String node, String id, byte[] frame) {
    if (!reachable) {
      return CompletableFuture.completedFuture(false);
    }
    return batches.send(node, 'P', bytes(id), frame);
  }

  @Override
  public Map<String, Object> status() {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("node", node());
    status.put("redis", reachable ? "reachable" : "unreachable");
    status.put("nodes", nodes);
    return status;
  }

  /** How many nodes this node saw alive at its last heartbeat, itself included. */
  public int nodesSeen() {
    return nodes.size();
  }

  /** Whether Redis answers and this node is registered in the deployment. */
  public boolean whole() {
    return reachable;
  }

  @Override
  public void handOff() {
    handingOff = true;
  }

  /**
   * Leaves the deployment and disconnects. After {@link #handOff}, first waits up to {@link
   * #HAND_OFF} for the members this node had to log in on other nodes (each such login takes its
   * name from this node); the names still held then are announced left.
   */
  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    if (handingOff && reachable) {
      long deadline = System.nanoTime() + HAND_OFF.toNanos();
      while (!claims.isEmpty() && System.nanoTime() < deadline) {
        LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // polling a condition, bounded
      }
      log.info("Handed over to other nodes; {} users did not come back meanwhile", claims.size());
    }
    thread.shutdownNow();
    if (reachable) {
      // What the loops gathered in their last turns goes before the names this node held leave.
      batches.flushEverywhere(Duration.ofSeconds(1));
      try {
        redis
            .eval(scripts.stop, ScriptOutputType.INTEGER, NO_KEYS, ourArgs())
            .get(settings.heartbeat().toMillis() * 2, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        log.warn("Could not leave the deployment cleanly ({}): the others will time it out", e);
      }
    }
    reachable = false; // what members do from now on is moot
    subscription.close();
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    var unused = resources.shutdown(0, 2, TimeUnit.SECONDS); // the client's own wait covered it
  }

  /**
   * Each command Lettuce sends is written and flushed on its own: a system call per relayed frame
   * on the node, and a read per command in Redis. On the event loops the node shares with its
   * connections, the frames relayed while a loop serves its connections are flushed to Redis once,
   * when the loop's turn is done, as the frames written to the connections are.
   */
  private static final class OneFlushPerTurn implements NettyCustomizer {
    @Override
    public void afterChannelInitialized(Channel channel) {
      channel.pipeline().addFirst(new FlushConsolidationHandler(256, true));
    }
  }

  /** The first {@code count} fields of a message, split at new lines (the last one keeps any). */
  private static String[] fields(byte[] message, int count) {
    return string(message).split("\n", count);
  }

  /**
   * The arguments of a script: every script takes the key prefix and this node's id first, then
   * {@code rest}. The scripts name no keys up front (they derive them), so standalone Redis only.
   */
  private byte[][] ourArgs(byte[]... rest) {
    byte[][] args = new byte[rest.length + 2][];
    args[0] = prefix;
    args[1] = nodeBytes;
    System.arraycopy(rest, 0, args, 2, rest.length);
    return args;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String string(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static byte[] number(long value) {
    return bytes(Long.toString(value));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] joined = new byte[a.length + b.length];
    System.arraycopy(a, 0, joined, 0, a.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    return joined;
  }
}
