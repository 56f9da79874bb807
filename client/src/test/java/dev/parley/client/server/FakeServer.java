package dev.parley.client.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.IceServer;
import dev.parley.protocol.Identity;
import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.OnlineUser;
import dev.parley.protocol.SignalKind;
import dev.parley.protocol.UserName;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Parley server for clients in one JVM, as far as presence goes: who is online with which key,
 * told to every client's listeners as a real session would (after a reconnect, too, who came and
 * went meanwhile, as {@link ServerSession} reports it). It relays no signals: clients on a {@link
 * dev.parley.client.link.MemoryNetwork} need none. It can present a key other than the one a client
 * holds, as a server that lies (or a name that changed hands) would.
 */
public final class FakeServer {
  private final Map<UserName, Session> online = new LinkedHashMap<>();

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
        others.forEach(other -> now.put(other.name, other.presented));
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
      others.forEach(other -> other.heardJoined(user));
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
      others.forEach(other -> other.heardLeft(name));
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
        return Set.copyOf(online.keySet().stream().filter(other -> !other.equals(name)).toList());
      }
    }

    @Override
    public Optional<IdentityKey> onlineKey(UserName user) {
      synchronized (FakeServer.this) {
        Session session = online.get(user);
        return user.equals(name) || session == null
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
