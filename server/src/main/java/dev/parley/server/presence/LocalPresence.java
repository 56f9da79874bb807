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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** Presence within one server process: the default, needing nothing else. */
public final class LocalPresence implements Presence {
  /** The welcome's list in contacts mode. */
  private static final byte[] NOBODY = ServerCodec.encodeOnline(List.of());

  private final PresenceMode mode;
  private final ConcurrentHashMap<UserName, Member> members = new ConcurrentHashMap<>();
  private final Watchers watchers = new Watchers();
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("presence").daemon().factory());
  private final PresenceBatcher batcher;
  private final Metrics metrics;
  private final Object lock = new Object();

  /** Everyone online as of the last presence frame or later; null when a frame has gone since. */
  private byte @Nullable [] online;

  public LocalPresence(PresenceMode mode, Duration batchWindow, Metrics metrics) {
    this(mode, null, batchWindow, metrics);
  }

  /** With {@code timer}, presence frames go out when it runs them, not on a thread of its own. */
  LocalPresence(
      PresenceMode mode,
      PresenceBatcher.@Nullable Timer timer,
      Duration batchWindow,
      Metrics metrics) {
    this.mode = mode;
    this.metrics = metrics;
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
    synchronized (lock) {
      Member earlier = members.put(user.name(), member);
      if (earlier != null && earlier != member) {
        earlier.replaced();
        return CompletableFuture.completedFuture(others(member, true));
      }
      batcher.joined(user);
      return CompletableFuture.completedFuture(others(member, false));
    }
  }

  /** The welcome's list for {@code member}, under the lock. */
  private byte[] others(Member member, boolean replacing) {
    if (mode == PresenceMode.CONTACTS) {
      return NOBODY;
    }
    if (replacing) {
      // The shared list may name the earlier session, that is this user: a list of its own.
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
    synchronized (lock) {
      if (members.remove(member.user().name(), member)) {
        batcher.left(member.user().name());
      }
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
    return member == null ? null : member.user();
  }

  @SuppressWarnings(
      "ReferenceEquality") // a member is one session: the same object, not an equal one
  private List<OnlineUser> users(Member except) {
    List<OnlineUser> users = new ArrayList<>(members.size());
    for (Member other : members.values()) {
      if (other != except) {
        users.add(other.user());
      }
    }
    return users;
  }

  @Override
  public CompletionStage<Boolean> deliver(UserName to, byte[] frame) {
    Member member = members.get(to);
    if (member == null) {
      return CompletableFuture.completedFuture(false);
    }
    member.send(frame);
    return CompletableFuture.completedFuture(true);
  }

  @Override
  public int localCount() {
    return members.size();
  }

  /** How many names this node's members watch, summed over them. */
  int watchCount() {
    return watchers.size();
  }

  @Override
  public void close() {
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
    for (Member member : members.values()) {
      member.send(frame);
      sent++;
    }
    return sent;
  }
}
