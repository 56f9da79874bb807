package dev.parley.server.presence;

import dev.parley.protocol.OnlineUser;
import dev.parley.protocol.PresenceMode;
import dev.parley.protocol.ServerCodec;
import dev.parley.protocol.ServerMessage;
import dev.parley.protocol.UserName;
import dev.parley.server.metrics.Metrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The presence of one node: its own members, and, in a deployment of several nodes, a view of
 * everyone online on the others, kept by its {@link Cluster}. Joins and leaves of both go through
 * the same batches to this node's members; a frame for a member of another node goes through the
 * cluster. One node alone has {@link Cluster#NONE} and needs nothing else.
 */
public final class NodePresence implements Presence, Cluster.Listener {
  /** The welcome's list in contacts mode. */
  private static final byte[] NOBODY = ServerCodec.encodeOnline(List.of());

  private final PresenceMode mode;
  private final ConcurrentHashMap<UserName, Member> members = new ConcurrentHashMap<>();

  /** Who is online on the other nodes, as the cluster last told. */
  private final ConcurrentHashMap<UserName, Cluster.Remote> remote = new ConcurrentHashMap<>();

  private final Cluster cluster;
  private final Watchers watchers = new Watchers();
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("presence").daemon().factory());
  private final PresenceBatcher batcher;
  private final Metrics metrics;
  private final Object lock = new Object();

  /** Everyone online as of the last presence frame or later; null when a frame has gone since. */
  private byte @Nullable [] online;

  public NodePresence(PresenceMode mode, Duration batchWindow, Metrics metrics) {
    this(mode, null, batchWindow, metrics, Cluster.NONE);
  }

  /** One node of several: {@code cluster} tells of the others, and is started here. */
  public NodePresence(PresenceMode mode, Duration batchWindow, Metrics metrics, Cluster cluster) {
    this(mode, null, batchWindow, metrics, cluster);
  }

  /** With {@code timer}, presence frames go out when it runs them, not on a thread of its own. */
  NodePresence(
      PresenceMode mode,
      PresenceBatcher.@Nullable Timer timer,
      Duration batchWindow,
      Metrics metrics,
      Cluster cluster) {
    this.mode = mode;
    this.metrics = metrics;
    this.cluster = cluster;
    this.batcher =
        new PresenceBatcher(
            timer != null
                ? timer
                : (task, delayNanos) -> {
                  var unused = scheduler.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
                },
            batchWindow,
            System::nanoTime,
            this::fanout);
    metrics.watchesGauge(watchers::size);
    cluster.start(this);
  }

  @Override
  public PresenceMode mode() {
    return mode;
  }

  /**
   * In everyone mode, hands every member that joins between two presence frames the same online
   * list, encoded once (1.5 MB at 20,000 online; encoding it per login was most of a login's cost).
   * A member joining under the lock is online before the next frame's recipients are counted, and
   * the list is dropped under the lock before they are: so every change either is in the list the
   * member got or reaches it in a later frame, and possibly both, which presence frames allow.
   */
  @Override
  @SuppressWarnings(
      "ReferenceEquality") // a member is one session: the same object, not an equal one
  public CompletionStage<byte[]> join(Member member) {
    OnlineUser user = member.user();
    byte[] others;
    synchronized (lock) {
      Member earlier = members.put(user.name(), member);
      if (earlier != null && earlier != member) {
        earlier.replaced();
        others = others(member, true);
      } else {
        // Moving here from another node is a join for this node's members as for any other's.
        batcher.joined(user);
        others = others(member, remote.containsKey(user.name()));
      }
    }
    return cluster.joined(member).thenApply(claimed -> others);
  }

  /** The welcome's list for {@code member}, under the lock. */
  private byte[] others(Member member, boolean replacing) {
    if (mode == PresenceMode.CONTACTS) {
      return NOBODY;
    }
    if (replacing) {
      // The shared list may name the earlier session (here or on another node), that is this
      // user: a list of its own.
      return ServerCodec.encodeOnline(users(member));
    }
    byte[] others = online;
    if (others == null) {
      others = ServerCodec.encodeOnline(users(member)); // later joiners hear of this one in a frame
      online = others;
    }
    return others;
  }

  @Override
  public void leave(Member member) {
    watchers.drop(member);
    boolean announced;
    synchronized (lock) {
      announced = members.remove(member.user().name(), member);
      if (announced) {
        batcher.left(member.user().name());
      }
    }
    if (announced) {
      cluster.left(member);
    }
  }

  /**
   * Answers from the members online now, so the answer and the batches agree: a change is made here
   * (under the lock, in {@link #join} and {@link #leave}) before its batch is sent.
   */
  @Override
  public CompletionStage<Void> watch(Member member, Set<UserName> names) {
    if (mode == PresenceMode.CONTACTS && watchers.watch(member, names, this::onlineUser)) {
      metrics.presenceFramesSent(1);
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void unwatch(Member member, Set<UserName> names) {
    if (mode == PresenceMode.CONTACTS) {
      watchers.unwatch(member, names);
    }
  }

  private @Nullable OnlineUser onlineUser(UserName name) {
    Member member = members.get(name);
    if (member != null) {
      return member.user();
    }
    Cluster.Remote elsewhere = remote.get(name);
    return elsewhere == null ? null : elsewhere.user();
  }

  @SuppressWarnings(
      "ReferenceEquality") // a member is one session: the same object, not an equal one
  private List<OnlineUser> users(Member except) {
    List<OnlineUser> users = new ArrayList<>(members.size() + remote.size());
    for (Member other : members.values()) {
      if (other != except) {
        users.add(other.user());
      }
    }
    for (Cluster.Remote elsewhere : remote.values()) {
      if (!members.containsKey(elsewhere.name())) {
        users.add(elsewhere.user());
      }
    }
    return users;
  }

  @Override
  public CompletionStage<Boolean> deliver(UserName to, byte[] frame) {
    if (deliverHere(to, frame)) {
      return CompletableFuture.completedFuture(true);
    }
    Cluster.Remote elsewhere = remote.get(to);
    if (elsewhere == null) {
      return CompletableFuture.completedFuture(false);
    }
    return cluster.deliver(elsewhere.node(), to, frame);
  }

  @Override
  public boolean deliverHere(UserName to, byte[] frame) {
    Member member = members.get(to);
    if (member == null) {
      return false;
    }
    member.send(frame);
    return true;
  }

  @Override
  public void handOff() {
    cluster.handOff();
  }

  @Override
  public int localCount() {
    return members.size();
  }

  @Override
  public int onlineCount() {
    int elsewhere = 0;
    for (UserName name : remote.keySet()) {
      if (!members.containsKey(name)) {
        elsewhere++;
      }
    }
    return members.size() + elsewhere;
  }

  @Override
  public Map<String, Object> clusterStatus() {
    return cluster.status();
  }

  /**
   * Keeps a user of another node with the copy of its name this node's watchers hold, if they
   * watched it first: a node keeps everyone online elsewhere, and in contacts presence many of them
   * are watched here, so a name of their own would be a second copy of each (about 60 bytes).
   */
  @Override
  @SuppressWarnings("ReferenceEquality") // whether the shared copy is another instance
  public void joined(Cluster.Remote joined) {
    UserName name = watchers.shared(joined.name());
    Cluster.Remote kept = name == joined.name() ? joined : joined.sharing(name);
    synchronized (lock) {
      Cluster.Remote earlier = remote.put(name, kept);
      if (!kept.equals(earlier) && !members.containsKey(name)) {
        batcher.joined(kept.user());
      }
    }
  }

  /** What this node keeps of {@code name} if it is online on another node. */
  Cluster.@Nullable Remote elsewhere(UserName name) {
    return remote.get(name);
  }

  @Override
  public void left(String node, UserName name) {
    synchronized (lock) {
      Cluster.Remote earlier = remote.get(name);
      if (earlier != null && earlier.node().equals(node)) {
        remote.remove(name);
        if (!members.containsKey(name)) {
          batcher.left(name);
        }
      }
    }
  }

  /** Goes without a leave: the name is online on the node that took it, which says so. */
  @Override
  public void replaced(Member member) {
    boolean gone;
    synchronized (lock) {
      gone = members.remove(member.user().name(), member);
    }
    if (gone) {
      member.replaced();
    }
  }

  @Override
  public void resynced(Map<UserName, Cluster.Remote> others) {
    synchronized (lock) {
      for (var it = remote.entrySet().iterator(); it.hasNext(); ) {
        var known = it.next();
        if (!others.containsKey(known.getKey())) {
          it.remove();
          if (!members.containsKey(known.getKey())) {
            batcher.left(known.getKey());
          }
        }
      }
      others.values().forEach(this::joined);
    }
  }

  /** How many names this node's members watch, summed over them. */
  int watchCount() {
    return watchers.size();
  }

  @Override
  public void close() {
    cluster.close();
    scheduler.shutdownNow();
  }

  private int fanout(ServerMessage.Presence changes) {
    int sent = mode == PresenceMode.CONTACTS ? watchers.send(changes) : broadcast(changes);
    metrics.presenceFramesSent(sent);
    return sent;
  }

  /** Sends a batch to every member, encoded once; returns how many that was. */
  private int broadcast(ServerMessage.Presence changes) {
    byte[] frame = ServerCodec.encode(changes);
    synchronized (lock) {
      online = null; // joins from now on are among this frame's recipients and need a fresh list
    }
    int sent = 0;
    for (Member member : members.values()) { // this node's: the others send to their own
      member.sendShared(frame);
      sent++;
    }
    return sent;
  }
}
