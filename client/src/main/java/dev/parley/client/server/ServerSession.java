// Over 400 lines, for a reason: this is one state machine under one lock (the current
// connection, the presence snapshot, the watch list, the reconnect diff), and each of its
// invariants couples two of those; the parts that need no lock are out already (Watches,
// Watchlist, Backoff). Splitting it further would spread the lock's rules across classes.
package dev.parley.client.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.IceServer;
import dev.parley.protocol.Identity;
import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.InviteCode;
import dev.parley.protocol.OnlineUser;
import dev.parley.protocol.PresenceMode;
import dev.parley.protocol.ServerMessage;
import dev.parley.protocol.SignalKind;
import dev.parley.protocol.UserName;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's standing with its server across broken connections: it logs in, and when the
 * connection breaks it logs in again with exponential backoff and jitter, then reports who came and
 * went meanwhile as ordinary joins and leaves. Open peer-to-peer links never depend on it.
 *
 * <p>In {@linkplain PresenceMode#CONTACTS contacts} presence mode it keeps the names to {@linkplain
 * #watch watch} (at most {@link dev.parley.protocol.ClientMessage.Watch#MAX_WATCHED}, the most
 * recently asked for; see {@link Watchlist}) and watches them again after every login, waiting for
 * the server's answers before it reports {@link ServerState#ONLINE}: so who is online is known then
 * as in everyone mode, where the welcome lists them, and a reconnect is reported as in everyone
 * mode too.
 *
 * <p>Listeners see the events of the current connection, plus {@link ServerListener#stateChanged};
 * {@link ServerListener#disconnected} only when the session is over.
 */
public final class ServerSession implements Signaling, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServerSession.class);
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);

  private final URI uri;
  private final UserName name;
  private final Identity identity;
  private final List<ServerListener> listeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("parley-reconnect").daemon().factory());
  private final Backoff backoff;
  private final Object lock = new Object();
  // Guarded by lock.
  private @Nullable ServerConnection current;
  private ServerState state = ServerState.CONNECTING;
  private Map<UserName, IdentityKey> known = Map.of();
  private @Nullable List<IceServer> iceServers;
  private @Nullable UserName registered;
  private boolean reconnected;
  private PresenceMode mode = PresenceMode.EVERYONE;
  private final Watchlist watchlist = new Watchlist();
  // The connection our watches go to: the current one, once its welcome says contacts mode.
  private @Nullable ServerConnection watching;
  private volatile @Nullable InviteCode invite;

  public ServerSession(URI uri, UserName name, Identity identity) {
    this(uri, name, identity, Duration.ofMillis(500), Duration.ofSeconds(30));
  }

  /** With the first and the longest wait between attempts to reconnect. */
  public ServerSession(
      URI uri, UserName name, Identity identity, Duration firstRetry, Duration maxRetry) {
    this.uri = uri;
    this.name = name;
    this.identity = identity;
    this.backoff =
        new Backoff(firstRetry, maxRetry, () -> ThreadLocalRandom.current().nextDouble());
  }

  @Override
  public ServerSession addListener(ServerListener listener) {
    listeners.add(listener);
    return this;
  }

  /**
   * Registers a new name at the first login with {@code code}, on a server that takes new names by
   * invitation only; once the name is registered the code is of no more use, so reconnects go
   * without it. Call before {@link #login()}.
   */
  public ServerSession invite(InviteCode code) {
    this.invite = code;
    return this;
  }

  /**
   * Logs in for the first time; later breaks are repaired in the background.
   *
   * @throws NameTakenException if the name is registered to another identity key
   * @throws LoginFailedException if the server is unreachable or refuses the login otherwise
   */
  public ServerMessage.Welcome login() {
    ServerConnection connection = new ServerConnection(uri, name, identity);
    InviteCode code = invite;
    if (code != null) {
      connection.invite(code);
    }
    connection.addListener(new Forward(connection));
    synchronized (lock) {
      current = connection;
    }
    ServerMessage.Welcome welcome;
    try {
      welcome = connection.login();
      watchAll(connection, welcome);
      if (!online(connection, welcome)) {
        throw new LoginFailedException("the server closed the connection just after the welcome");
      }
    } catch (RuntimeException e) {
      setState(ServerState.CLOSED);
      timer.shutdownNow();
      throw e;
    }
    return welcome;
  }

  public ServerState state() {
    synchronized (lock) {
      return state;
    }
  }

  public URI uri() {
    return uri;
  }

  /** Whom the server tells us about, as its last welcome said; everyone before the first. */
  public PresenceMode presenceMode() {
    synchronized (lock) {
      return mode;
    }
  }

  @Override
  public UserName name() {
    synchronized (lock) {
      return registered != null ? registered : name;
    }
  }

  @Override
  public Identity identity() {
    return identity;
  }

  @Override
  public List<IceServer> iceServers() {
    synchronized (lock) {
      return iceServers == null ? List.of() : iceServers;
    }
  }

  /** Who is online; while reconnecting, who was online when the connection broke. */
  @Override
  public Set<UserName> online() {
    synchronized (lock) {
      return Set.copyOf(known.keySet());
    }
  }

  @Override
  public Optional<IdentityKey> onlineKey(UserName user) {
    synchronized (lock) {
      ServerConnection connection = current;
      return connection != null ? connection.onlineKey(user) : Optional.ofNullable(known.get(user));
    }
  }

  @Override
  public boolean isOpen() {
    synchronized (lock) {
      return state == ServerState.ONLINE && current != null && current.isOpen();
    }
  }

  /**
   * Adds {@code names} to those watched in contacts mode, now and after every login, as the most
   * recently asked for (the most wanted first); past {@link
   * dev.parley.protocol.ClientMessage.Watch#MAX_WATCHED} names the least recently asked for are no
   * longer watched, and no longer counted {@linkplain #online online}, without a leave. Kept in
   * everyone mode too, in case the server changes mode. Never blocks.
   *
   * @return completes once the server has told about these names (those watched already, and
   *     answered, at once); at once in everyone mode, and while the server is away (the names are
   *     watched once it is back)
   */
  @Override
  public CompletableFuture<Void> watch(Collection<UserName> names) {
    synchronized (lock) {
      Watchlist.Change change = watchlist.add(names);
      if (!change.dropped().isEmpty()) {
        log.info(
            "watching the {} names asked for last; no longer watching {}",
            watchlist.size(),
            change.dropped());
        Map<UserName, IdentityKey> next = new HashMap<>(known);
        change.dropped().forEach(next::remove);
        known = next;
      }
      ServerConnection connection = watching;
      if (connection == null || connection != current) {
        return CompletableFuture.completedFuture(null); // watchAll sends them after the welcome
      }
      // Under the lock, so that what the server watches follows the list: unwatch before watch.
      connection.unwatch(change.dropped());
      CompletableFuture<Void> asked = connection.answered(names); // by an earlier watch
      return CompletableFuture.allOf(asked, connection.watch(change.added()));
    }
  }

  @Override
  public void signal(SignalKind kind, UserName to, JsonNode data) {
    ServerConnection connection;
    synchronized (lock) {
      connection = current;
    }
    if (connection != null) {
      connection.signal(kind, to, data);
    }
  }

  /** Logs out and stops reconnecting. */
  @Override
  public void close() {
    ServerConnection connection;
    synchronized (lock) {
      if (state == ServerState.CLOSED) {
        return;
      }
      connection = current;
      current = null;
    }
    setState(ServerState.CLOSED);
    timer.shutdownNow();
    if (connection != null) {
      connection.close();
    }
    listeners.forEach(l -> l.disconnected(1000, "closed"));
  }

  /**
   * In contacts mode, watches every name on the list on the new connection and waits (up to 10 s)
   * for the answers, so that the welcome and they together say who is online, as the welcome alone
   * does in everyone mode. Names asked for meanwhile go to the connection directly ({@link
   * #watch}).
   */
  private void watchAll(ServerConnection connection, ServerMessage.Welcome welcome) {
    CompletableFuture<Void> answered;
    synchronized (lock) {
      if (current != connection) {
        return;
      }
      mode = welcome.presence();
      if (mode != PresenceMode.CONTACTS) {
        watching = null;
        return;
      }
      watching = connection;
      answered = connection.watch(watchlist.mostRecentFirst());
    }
    try {
      answered.get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.warn(
          "the server did not answer our watches within {} s; those not answered yet show as"
              + " offline until it does",
          ANSWER_TIMEOUT.toSeconds());
    } catch (ExecutionException e) {
      throw new IllegalStateException("an answer to a watch never fails", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Goes online on {@code connection}, reporting after a reconnect who came and went meanwhile.
   *
   * @return false if the connection is gone already: the caller logs in again
   */
  private boolean online(ServerConnection connection, ServerMessage.Welcome welcome) {
    Map<UserName, IdentityKey> now;
    Map<UserName, IdentityKey> before;
    synchronized (lock) {
      if (current != connection || state == ServerState.CLOSED) {
        return true; // replaced or closed meanwhile: nothing to do
      }
      if (connection.closed().isDone()) {
        return false; // its disconnected event came before ONLINE, and was dropped (broken)
      }
      // Atomic with the presence events' check (Forward): each lands in this snapshot or after it.
      now = connection.onlineKeys();
      before = known;
      known = new HashMap<>(now);
      iceServers = welcome.iceServers();
      registered = welcome.name();
      state = ServerState.ONLINE;
    }
    backoff.reset();
    listeners.forEach(l -> l.stateChanged(ServerState.ONLINE));
    if (!reconnected) {
      reconnected = true;
      return true; // the first welcome is the starting point, not news
    }
    // After a reconnect, report what changed while we were away as ordinary presence.
    before.forEach(
        (user, key) -> {
          if (!now.containsKey(user)) {
            listeners.forEach(l -> l.left(user));
          }
        });
    now.forEach(
        (user, key) -> {
          if (!key.equals(before.get(user))) {
            listeners.forEach(l -> l.joined(new OnlineUser(user, key)));
          }
        });
    return true;
  }

  private void broken(ServerConnection connection, int code, String reason) {
    synchronized (lock) {
      // Before the first welcome, login() reports the failure itself.
      if (current != connection || state != ServerState.ONLINE) {
        return;
      }
      current = null;
    }
    log.info("lost the server ({} {}); reconnecting", code, reason);
    setState(ServerState.RECONNECTING);
    schedule();
  }

  private void schedule() {
    Duration wait;
    synchronized (lock) {
      if (state == ServerState.CLOSED) {
        return;
      }
      wait = backoff.next();
    }
    try {
      var unused = timer.schedule(this::reconnect, wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed meanwhile
    }
  }

  private void reconnect() {
    ServerConnection connection = new ServerConnection(uri, name, identity);
    connection.addListener(new Forward(connection));
    synchronized (lock) {
      if (state == ServerState.CLOSED) {
        return;
      }
      current = connection;
    }
    try {
      ServerMessage.Welcome welcome = connection.login();
      watchAll(connection, welcome);
      if (!online(connection, welcome)) {
        throw new LoginFailedException("the server closed the connection just after the welcome");
      }
    } catch (NameTakenException e) {
      log.error("cannot log in again: {}", e.getMessage());
      synchronized (lock) {
        current = null;
      }
      setState(ServerState.CLOSED);
      timer.shutdownNow();
      listeners.forEach(l -> l.disconnected(4000, e.getMessage()));
    } catch (LoginFailedException e) {
      log.debug("reconnect failed: {}", e.getMessage());
      synchronized (lock) {
        if (current == connection) {
          current = null;
        }
      }
      schedule();
    }
  }

  private void setState(ServerState next) {
    synchronized (lock) {
      if (state == next || state == ServerState.CLOSED) {
        return;
      }
      state = next;
    }
    listeners.forEach(l -> l.stateChanged(next));
  }

  /** Passes on the events of one connection while it is the current one. */
  private final class Forward implements ServerListener {
    private final ServerConnection connection;

    Forward(ServerConnection connection) {
      this.connection = connection;
    }

    /** Signals and errors pass from the welcome on, even before the session reports ONLINE. */
    private boolean isCurrent() {
      synchronized (lock) {
        return current == connection;
      }
    }

    @Override
    public void joined(OnlineUser user) {
      synchronized (lock) {
        if (current != connection || state != ServerState.ONLINE) {
          return; // the welcome's snapshot has it
        }
        if (user.publicKey().equals(known.get(user.name()))) {
          // Already in the welcome's list: the server may send a change both ways (protocol.md).
          return;
        }
        Map<UserName, IdentityKey> next = new HashMap<>(known);
        next.put(user.name(), user.publicKey());
        known = next;
      }
      listeners.forEach(l -> l.joined(user));
    }

    @Override
    public void left(UserName user) {
      synchronized (lock) {
        if (current != connection || state != ServerState.ONLINE) {
          return;
        }
        if (!known.containsKey(user)) {
          return; // not online as far as we said: the welcome's diff reported it already
        }
        Map<UserName, IdentityKey> next = new HashMap<>(known);
        next.remove(user);
        known = next;
      }
      listeners.forEach(l -> l.left(user));
    }

    @Override
    public void signal(ServerMessage.Signal signal) {
      if (isCurrent()) {
        listeners.forEach(l -> l.signal(signal));
      }
    }

    @Override
    public void error(ServerMessage.Error error) {
      if (isCurrent()) {
        listeners.forEach(l -> l.error(error));
      }
    }

    @Override
    public void disconnected(int code, String reason) {
      broken(connection, code, reason);
    }
  }
}
