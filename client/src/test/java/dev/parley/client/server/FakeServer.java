package dev.parley.client.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.IceServer;
import dev.parley.protocol.Identity;
import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.OnlineUser;
import dev.parley.protocol.PresenceMode;
import dev.parley.protocol.SignalKind;
import dev.parley.protocol.UserName;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Parley server for clients in one JVM, as far as presence goes: who is online with which key,
 * told to every client's listeners as a real session would (after a reconnect, too, who came and
 * went meanwhile, as {@link ServerSession} reports it). It relays no signals: clients on a {@link
 * dev.parley.client.link.MemoryNetwork} need none. It can present a key other than the one a client
 * holds, as a server that lies (or a name that changed hands) would.
 *
 * <p>In {@linkplain PresenceMode#CONTACTS contacts} mode a session hears only of the names it
 * watches, kept across logins and bounded as {@link ServerSession} keeps them (a {@link
 * Watchlist}); a watch while online reports those of its new names who are online as joins, as the
 * server's answer does through a session.
 */
public final class FakeServer {
  private final PresenceMode mode;
  private final Map<UserName, Session> online = new LinkedHashMap<>();

  /** A server in everyone mode. */
  public FakeServer() {
    this(PresenceMode.EVERYONE);
  }

  public FakeServer(PresenceMode mode) {
    this.mode = mode;
  }

  /** A client's session, not online until it {@linkplain Session#join joins}. */
  public Session session(UserName name, Identity identity) {
    return new Session(name, identity);
  }

  /** One client's view of the server. */
  public final class Session implements Signaling {
    private final UserName name;
    private final Identity identity;
    private final List<ServerListener> listeners = new CopyOnWriteArrayList<>();
    private IdentityKey presented;
    private boolean open;
    private boolean welcomed;
    // What this session's listeners have been told, as ServerSession's own record of it.
    private Map<UserName, IdentityKey> known = Map.of();
    private final Watchlist watchlist = new Watchlist();
    private final List<List<UserName>> watches = new ArrayList<>();

    private Session(UserName name, Identity identity) {
      this.name = name;
      this.identity = identity;
      this.presented = identity.publicKey();
    }

    /**
     * Logs in: the others hear that this client joined, and it goes online. Logging in again after
     * {@link #leave}, it hears who left and who joined meanwhile, after going online.
     */
    public void join() {
      List<Session> others;
      Map<UserName, IdentityKey> before;
      Map<UserName, IdentityKey> now = new LinkedHashMap<>();
      boolean again;
      synchronized (FakeServer.this) {
        others = List.copyOf(online.values());
        online.put(name, this);
        open = true;
        others.stream()
            .filter(other -> hears(other.name))
            .forEach(other -> now.put(other.name, other.presented));
        before = known;
        known = new LinkedHashMap<>(now);
        again = welcomed;
        welcomed = true;
      }
      listeners.forEach(l -> l.stateChanged(ServerState.ONLINE));
      if (again) {
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
      }
      OnlineUser user = new OnlineUser(name, presented);
      others.stream()
          .filter(other -> other.hearsOf(name))
          .forEach(other -> other.heardJoined(user));
    }

    /** Loses the server: the others hear that this client left. */
    public void leave() {
      List<Session> others;
      synchronized (FakeServer.this) {
        if (online.remove(name) == null) {
          return;
        }
        open = false;
        others = List.copyOf(online.values());
      }
      listeners.forEach(l -> l.stateChanged(ServerState.RECONNECTING));
      others.stream().filter(other -> other.hearsOf(name)).forEach(other -> other.heardLeft(name));
    }

    /** Whether the server tells this session of {@code user}: in contacts mode, if it watches. */
    private boolean hears(UserName user) {
      return mode == PresenceMode.EVERYONE || watchlist.contains(user);
    }

    private boolean hearsOf(UserName user) {
      synchronized (FakeServer.this) {
        return hears(user);
      }
    }

    /** Every list of names this session was asked to watch, in order. */
    public List<List<UserName>> watches() {
      synchronized (FakeServer.this) {
        return List.copyOf(watches);
      }
    }

    @Override
    public CompletableFuture<Void> watch(Collection<UserName> names) {
      List<OnlineUser> answer = new ArrayList<>();
      synchronized (FakeServer.this) {
        watches.add(List.copyOf(names));
        Watchlist.Change change = watchlist.add(names);
        Map<UserName, IdentityKey> next = new LinkedHashMap<>(known);
        change.dropped().forEach(next::remove);
        known = next;
        if (mode == PresenceMode.CONTACTS && open) {
          for (UserName user : change.added()) {
            Session other = online.get(user);
            if (other != null && other != this) {
              answer.add(new OnlineUser(other.name, other.presented));
            }
          }
        }
      }
      answer.forEach(this::heardJoined);
      return CompletableFuture.completedFuture(null);
    }

    private void heardJoined(OnlineUser user) {
      synchronized (FakeServer.this) {
        Map<UserName, IdentityKey> next = new LinkedHashMap<>(known);
        next.put(user.name(), user.publicKey());
        known = next;
      }
      listeners.forEach(l -> l.joined(user));
    }

    private void heardLeft(UserName user) {
      synchronized (FakeServer.this) {
        if (!known.containsKey(user)) {
          return; // never said to be online: no news, as in ServerSession
        }
        Map<UserName, IdentityKey> next = new LinkedHashMap<>(known);
        next.remove(user);
        known = next;
      }
      listeners.forEach(l -> l.left(user));
    }

    /** From now on the server presents {@code key} for this client, whatever key it holds. */
    public void present(IdentityKey key) {
      synchronized (FakeServer.this) {
        presented = key;
      }
    }

    @Override
    public UserName name() {
      return name;
    }

    @Override
    public Identity identity() {
      return identity;
    }

    @Override
    public List<IceServer> iceServers() {
      return List.of();
    }

    @Override
    public Set<UserName> online() {
      synchronized (FakeServer.this) {
        return Set.copyOf(
            online.keySet().stream().filter(other -> !other.equals(name) && hears(other)).toList());
      }
    }

    @Override
    public Optional<IdentityKey> onlineKey(UserName user) {
      synchronized (FakeServer.this) {
        Session session = online.get(user);
        return user.equals(name) || session == null || !hears(user)
            ? Optional.empty()
            : Optional.of(session.presented);
      }
    }

    @Override
    public boolean isOpen() {
      synchronized (FakeServer.this) {
        return open;
      }
    }

    @Override
    public void signal(SignalKind kind, UserName to, JsonNode data) {
      throw new UnsupportedOperationException("clients in memory need no signals");
    }

    @Override
    public Signaling addListener(ServerListener listener) {
      listeners.add(listener);
      return this;
    }
  }
}
