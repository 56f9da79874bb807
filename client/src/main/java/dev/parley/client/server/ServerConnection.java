package dev.parley.client.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.ClientCodec;
import dev.parley.protocol.ClientMessage;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.IceServer;
import dev.parley.protocol.Identity;
import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.InviteCode;
import dev.parley.protocol.LoginProof;
import dev.parley.protocol.OnlineUser;
import dev.parley.protocol.PresenceMode;
import dev.parley.protocol.ServerMessage;
import dev.parley.protocol.SignalKind;
import dev.parley.protocol.Signature;
import dev.parley.protocol.UserName;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * One connection to a Parley server over the native protocol (docs/protocol.md), on the JDK's
 * WebSocket client: log in with an identity key, follow who is online, send and receive signals.
 * Register listeners before {@link #login()} so that nothing the server sends is missed.
 *
 * <p>In {@linkplain PresenceMode#CONTACTS contacts} mode the server tells only of the names this
 * connection {@linkplain #watch watches}; the watches end with the connection.
 */
public final class ServerConnection implements Signaling, AutoCloseable {
  private static final int VERSION = 1;
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  private final URI uri;
  private final UserName name;
  private final Identity identity;
  private final List<ServerListener> listeners = new CopyOnWriteArrayList<>();
  private final Map<UserName, IdentityKey> online = new ConcurrentHashMap<>();
  private final CompletableFuture<ServerMessage.Welcome> welcome = new CompletableFuture<>();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private final SocketSender sender = new SocketSender();
  private final Watches watches = new Watches();
  private volatile @Nullable WebSocket socket;
  private volatile @Nullable InviteCode invite;

  /** {@code uri} is the server's WebSocket endpoint, such as {@code ws://127.0.0.1:8080/ws}. */
  public ServerConnection(URI uri, UserName name, Identity identity) {
    this.uri = uri;
    this.name = name;
    this.identity = identity;
  }

  @Override
  public ServerConnection addListener(ServerListener listener) {
    listeners.add(listener);
    return this;
  }

  /**
   * Logs in with {@code code}, to register a new name on a server that takes new names by
   * invitation only; the server ignores it for a name already registered. Call before {@link
   * #login()}.
   */
  public ServerConnection invite(InviteCode code) {
    this.invite = code;
    return this;
  }

  /**
   * Connects, answers the challenge and waits for the welcome.
   *
   * @throws NameTakenException if the name is registered to another identity key
   * @throws LoginFailedException if the server is unreachable or refuses the login otherwise; its
   *     {@link LoginFailedException#code() code} says why the server refused (such as {@code
   *     invite_required} or {@code invite_invalid} for a new name)
   */
  public ServerMessage.Welcome login() {
    try {
      socket =
          HTTP.newWebSocketBuilder()
              .buildAsync(uri, new Receiver(this::onMessage, this::onClosed))
              .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      sender.attach(socket);
      return welcome.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      close();
      if (e.getCause() instanceof LoginFailedException failed) {
        throw failed;
      }
      throw new LoginFailedException("cannot connect to " + uri, e.getCause());
    } catch (TimeoutException e) {
      close();
      throw new LoginFailedException(
          "no welcome from " + uri + " within " + TIMEOUT.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new LoginFailedException("interrupted while logging in", e);
    }
  }

  /** The name as the server registered it (its first spelling), once logged in. */
  @Override
  public UserName name() {
    return welcome.isDone() && !welcome.isCompletedExceptionally() ? welcome.join().name() : name;
  }

  @Override
  public Identity identity() {
    return identity;
  }

  /** The ICE servers the server handed out at login; empty if its operator configured none. */
  @Override
  public List<IceServer> iceServers() {
    return welcome.join().iceServers();
  }

  /** Everyone else online now, as far as the welcome and presence frames tell. */
  @Override
  public Set<UserName> online() {
    return Set.copyOf(online.keySet());
  }

  /** Everyone else online now, with the key the server holds for each. */
  public Map<UserName, IdentityKey> onlineKeys() {
    return Map.copyOf(online);
  }

  /** The identity key the server holds for {@code user}, if {@code user} is online. */
  @Override
  public Optional<IdentityKey> onlineKey(UserName user) {
    return Optional.ofNullable(online.get(user));
  }

  /**
   * Whom the server tells us about, as its welcome said; {@link PresenceMode#EVERYONE} until then,
   * and for servers from before contacts mode.
   */
  public PresenceMode presenceMode() {
    return welcome.isDone() && !welcome.isCompletedExceptionally()
        ? welcome.join().presence()
        : PresenceMode.EVERYONE;
  }

  /**
   * In contacts mode, asks the server to tell us when these users come and go, in messages of at
   * most {@link ClientMessage.Watch#MAX_NAMES} names, and reports those online now as joins (those
   * offline are not news). In everyone mode it sends nothing: the server tells of everyone already.
   * Never blocks. The server refuses a watch that would take this connection past {@link
   * ClientMessage.Watch#MAX_WATCHED} names with {@code watch_limit}, which is logged and passed to
   * the listeners; it is the caller's to keep within the limit.
   *
   * @return completes once the server has answered every message of this watch, with the state of
   *     its names or with a refusal: then {@link #online} tells about each name it accepted
   * @throws IllegalStateException before the welcome
   */
  @Override
  public CompletableFuture<Void> watch(Collection<UserName> names) {
    if (!welcome.isDone()) {
      throw new IllegalStateException("log in before watching");
    }
    if (presenceMode() != PresenceMode.CONTACTS || names.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    List<CompletableFuture<Void>> answers = new ArrayList<>();
    for (List<UserName> chunk : Watches.chunks(names)) {
      answers.add(watches.watch(chunk, sender::send));
    }
    return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new));
  }

  /**
   * Completes once every watch sent for any of {@code names} has been answered, and the answers are
   * taken in: then {@link #online()} tells their state.
   */
  public CompletableFuture<Void> answered(Collection<UserName> names) {
    return watches.answered(names);
  }

  /**
   * Stops hearing of these users, and forgets whether they are online, without reporting them gone:
   * nothing more will be said of them. Never blocks; nothing in everyone mode.
   */
  public void unwatch(Collection<UserName> names) {
    if (presenceMode() != PresenceMode.CONTACTS || names.isEmpty()) {
      return;
    }
    for (List<UserName> chunk : Watches.chunks(names)) {
      watches.unwatch(chunk, sender::send);
      chunk.forEach(online::remove);
    }
  }

  /** Sends a signal for the server to relay; never blocks. Errors come to the listeners. */
  @Override
  public void signal(SignalKind kind, UserName to, JsonNode data) {
    sender.send(ClientCodec.encode(new ClientMessage.Signal(kind, to, data)));
  }

  @Override
  public boolean isOpen() {
    WebSocket ws = socket;
    return ws != null && !ws.isInputClosed() && !ws.isOutputClosed();
  }

  /** Completes when the connection is gone, whoever closed it. */
  public CompletableFuture<Void> closed() {
    return closed;
  }

  /** Says goodbye to the server and waits briefly for its answer before dropping the socket. */
  @Override
  public void close() {
    WebSocket ws = socket;
    if (ws == null) {
      return;
    }
    try {
      sender
          .close(ws)
          .thenCompose(sent -> closed)
          .get(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // The goodbye is a courtesy: the socket is dropped below either way.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      ws.abort();
    }
  }

  private void onMessage(ServerMessage message) {
    switch (message) {
      case ServerMessage.Challenge c -> {
        if (!c.versions().contains(VERSION)) {
          welcome.completeExceptionally(
              new LoginFailedException("the server speaks none of our versions"));
          return;
        }
        Signature proof = LoginProof.sign(identity, c.serverId(), c.nonce(), name);
        sender.send(
            ClientCodec.encode(
                new ClientMessage.Login(VERSION, name, identity.publicKey(), proof, invite)));
      }
      case ServerMessage.Welcome w -> {
        w.online().forEach(user -> online.put(user.name(), user.publicKey()));
        welcome.complete(w);
      }
      case ServerMessage.Presence p -> {
        boolean contacts = presenceMode() == PresenceMode.CONTACTS;
        for (OnlineUser user : p.joined()) {
          if (user.name().equals(name)) {
            continue; // our own join comes back to us
          }
          if (contacts && !watches.isWatched(user.name())) {
            continue; // unwatched since: a frame on its way may still name them
          }
          IdentityKey before = online.put(user.name(), user.publicKey());
          if (!user.publicKey().equals(before)) {
            listeners.forEach(l -> l.joined(user));
          }
        }
        for (UserName gone : p.left()) {
          // A watch is answered with the names offline in "left": news only for those online.
          if (online.remove(gone) != null) {
            listeners.forEach(l -> l.left(gone));
          }
        }
        // Found only now, once the frame is taken in: while its watch is still pending, whoever
        // asks whether these names were answered waits for this frame rather than finding no
        // watch on its way and reading who is online before the frame's joins are in.
        CompletableFuture<Void> answered = contacts ? watches.answeredBy(p) : null;
        if (answered != null) {
          answered.complete(null);
        }
      }
      case ServerMessage.Signal s -> listeners.forEach(l -> l.signal(s));
      case ServerMessage.Pong p -> {}
      case ServerMessage.Error e -> {
        if (!welcome.isDone()) {
          welcome.completeExceptionally(
              e.code() == ErrorCode.NAME_TAKEN
                  ? new NameTakenException(name, e.message())
                  : new LoginFailedException(
                      e.message() + " (" + e.code().wireName() + ")", e.code()));
        } else {
          if (e.code() == ErrorCode.WATCH_LIMIT) {
            watches.refused(e);
          }
          listeners.forEach(l -> l.error(e));
        }
      }
    }
  }

  private void onClosed(int code, String reason) {
    welcome.completeExceptionally(
        new LoginFailedException(
            "the server closed the connection before the welcome (" + code + " " + reason + ")"));
    online.clear();
    watches.closed();
    closed.complete(null);
    listeners.forEach(l -> l.disconnected(code, reason));
  }
}
