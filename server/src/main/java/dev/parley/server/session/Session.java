package dev.parley.server.session;

import dev.parley.protocol.ClientCodec;
import dev.parley.protocol.ClientMessage;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.LoginProof;
import dev.parley.protocol.OnlineUser;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ServerCodec;
import dev.parley.protocol.ServerMessage;
import dev.parley.server.connection.Connection;
import dev.parley.server.connection.Endpoint;
import dev.parley.server.directory.Directory;
import dev.parley.server.limits.RateLimiter;
import dev.parley.server.presence.Member;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection's protocol. Every method but {@link #send} and {@link #replaced} runs on
 * the connection's own thread, so the state needs no locks; work that blocks (the directory) runs
 * elsewhere and comes back through {@link Connection#execute}.
 */
public final class Session implements Member, Endpoint {
  private static final Logger log = LoggerFactory.getLogger(Session.class);

  private enum State {
    AWAITING_LOGIN,
    LOGGING_IN,
    ONLINE,
    CLOSED
  }

  private final Connection connection;
  private final Sessions node;
  private final String nonce;
  private final RateLimiter limiter;
  private State state = State.AWAITING_LOGIN;
  private volatile @Nullable OnlineUser user;
  private @Nullable ScheduledFuture<?> loginTimeout;

  /** Presence frames that arrive before the welcome is sent wait here; null once it is sent. */
  private @Nullable List<byte[]> held = new ArrayList<>();

  Session(Connection connection, Sessions node, String nonce) {
    this.connection = connection;
    this.node = node;
    this.nonce = nonce;
    this.limiter =
        new RateLimiter(node.limits().messagesPerSecond(), node.limits().messageBurst(), now());
  }

  void start() {
    connection.send(
        ServerCodec.encode(
            new ServerMessage.Challenge(ClientMessage.Login.VERSIONS, node.serverId(), nonce)));
    loginTimeout =
        node.timers()
            .schedule(
                () -> connection.execute(this::loginTimedOut),
                node.limits().loginTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
  }

  @Override
  public void onText(byte[] utf8) {
    if (state == State.CLOSED) {
      return;
    }
    if (!limiter.tryAcquire(now())) {
      rateLimited();
      return;
    }
    try {
      ClientCodec.Inbound inbound = ClientCodec.decode(utf8);
      switch (inbound.message()) {
        case ClientMessage.Login login -> login(login, inbound.ref());
        case ClientMessage.Signal signal -> signal(signal, inbound.data(), inbound.ref());
        case ClientMessage.Ping ping ->
            connection.send(ServerCodec.encode(new ServerMessage.Pong()));
      }
    } catch (ProtocolException e) {
      fail(e);
    }
  }

  @Override
  public void onBinary() {
    if (state != State.CLOSED && limiter.tryAcquire(now())) {
      fail(new ProtocolException(ErrorCode.BINARY_NOT_SUPPORTED, "send JSON text frames only"));
    }
  }

  @Override
  public void onFrameTooLarge() {
    fail(
        new ProtocolException(
            ErrorCode.FRAME_TOO_LARGE,
            "a frame may have at most " + node.limits().maxFrameBytes() + " bytes"));
  }

  /** The server is shutting down: tell the client and close. */
  public void shutdown() {
    connection.execute(
        () ->
            fail(new ProtocolException(ErrorCode.SERVER_SHUTDOWN, "the server is shutting down")));
  }

  @Override
  public void onClosed() {
    if (state == State.CLOSED) {
      return;
    }
    boolean wasOnline = state == State.ONLINE;
    state = State.CLOSED;
    cancelLoginTimeout();
    node.closed(this);
    OnlineUser me = user;
    if (wasOnline && me != null) {
      node.presence().leave(this);
      Directory directory = node.directory();
      java.time.Instant now = node.clock().instant();
      node.blocking().execute(() -> touch(directory, me, now));
    }
  }

  @Override
  public OnlineUser user() {
    OnlineUser me = user;
    if (me == null) {
      throw new IllegalStateException("not logged in");
    }
    return me;
  }

  @Override
  public void send(byte[] frame) {
    synchronized (this) {
      if (held != null) {
        held.add(frame);
        return;
      }
    }
    connection.send(frame);
  }

  @Override
  public void replaced() {
    connection.execute(
        () ->
            fail(
                new ProtocolException(
                    ErrorCode.SESSION_REPLACED,
                    "you logged in again elsewhere; this session is closed")));
  }

  String remoteAddress() {
    return connection.remoteAddress();
  }

  private void login(ClientMessage.Login login, @Nullable String ref) {
    if (state != State.AWAITING_LOGIN) {
      throw new ProtocolException(
          ErrorCode.ALREADY_LOGGED_IN, "this connection has logged in", ref);
    }
    if (!ClientMessage.Login.VERSIONS.contains(login.version())) {
      throw new ProtocolException(
          ErrorCode.UNSUPPORTED_VERSION,
          "protocol version "
              + login.version()
              + " is not spoken here; versions: "
              + ClientMessage.Login.VERSIONS,
          ref);
    }
    if (!LoginProof.verify(
        node.serverId(), nonce, login.name(), login.publicKey(), login.signature())) {
      node.metrics().loginFailed();
      throw new ProtocolException(
          ErrorCode.BAD_SIGNATURE, "the signature does not prove the key for this challenge", ref);
    }
    state = State.LOGGING_IN;
    node.blocking()
        .execute(
            () -> {
              try {
                Directory.Claim claim =
                    node.directory().claim(login.name(), login.publicKey(), node.clock().instant());
                connection.execute(() -> loggedIn(claim));
              } catch (ProtocolException e) {
                connection.execute(
                    () -> {
                      node.metrics().loginFailed();
                      log.info(
                          "Refused login as {} from {}: {}",
                          login.name(),
                          remoteAddress(),
                          e.getMessage());
                      fail(new ProtocolException(e.code(), String.valueOf(e.getMessage()), ref));
                    });
              } catch (RuntimeException e) {
                log.error("Login of {} failed in the directory", login.name(), e);
                connection.execute(() -> internalError("the directory is unavailable", true));
              }
            });
  }

  private void loggedIn(Directory.Claim claim) {
    if (state != State.LOGGING_IN) {
      return; // closed while the directory was asked
    }
    state = State.ONLINE;
    cancelLoginTimeout();
    OnlineUser me = new OnlineUser(claim.user().name(), claim.user().publicKey());
    user = me;
    node.metrics().loginSucceeded(claim.registered());
    log.info(
        "{} {} from {}",
        claim.registered() ? "Registered" : "Logged in",
        me.name(),
        remoteAddress());
    node.presence()
        .join(this)
        .whenComplete(
            (others, error) ->
                connection.execute(
                    () -> {
                      if (error != null) {
                        log.error("Presence failed to take {} online", me.name(), error);
                        internalError("presence is unavailable", true);
                      } else {
                        welcome(me, others);
                      }
                    }));
  }

  private void welcome(OnlineUser me, byte[] others) {
    if (state != State.ONLINE) {
      return;
    }
    ServerCodec.WelcomeParts welcome =
        ServerCodec.welcomeParts(
            me.name(),
            node.iceServers().forUser(me.name(), connection.requestHost(), node.clock().instant()),
            (int) node.limits().heartbeatInterval().toSeconds(),
            node.limits().maxFrameBytes());
    synchronized (this) {
      connection.send(welcome, others);
      List<byte[]> early = held;
      held = null;
      if (early != null) {
        early.forEach(connection::send);
      }
    }
  }

  private void signal(ClientMessage.Signal signal, byte @Nullable [] data, @Nullable String ref) {
    OnlineUser me = user;
    if (state != State.ONLINE || me == null) {
      throw new ProtocolException(ErrorCode.NOT_LOGGED_IN, "log in first", ref);
    }
    try {
      node.signaling()
          .relay(me.name(), signal, Objects.requireNonNull(data, "a decoded signal has data"))
          .whenComplete(
              (ok, error) -> {
                if (error != null) {
                  connection.execute(() -> failRelay(error, ref));
                }
              });
    } catch (ProtocolException e) {
      throw new ProtocolException(e.code(), String.valueOf(e.getMessage()), ref);
    }
  }

  private void failRelay(Throwable error, @Nullable String ref) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof ProtocolException e) {
      fail(new ProtocolException(e.code(), String.valueOf(e.getMessage()), ref));
    } else {
      log.error("Relaying a signal failed", cause);
      internalError("the signal could not be relayed", false);
    }
  }

  private void loginTimedOut() {
    if (state == State.AWAITING_LOGIN) {
      fail(
          new ProtocolException(
              ErrorCode.LOGIN_TIMEOUT,
              "no login within " + node.limits().loginTimeout().toSeconds() + " seconds"));
    }
  }

  private void rateLimited() {
    if (limiter.shouldReport(now())) {
      fail(
          new ProtocolException(
              ErrorCode.RATE_LIMITED,
              "too many messages; frames are dropped until the rate falls below "
                  + node.limits().messagesPerSecond()
                  + " per second"));
    }
  }

  private void internalError(String message, boolean close) {
    fail(new ProtocolException(ErrorCode.INTERNAL_ERROR, message));
    if (close) {
      connection.close(1011, message);
    }
  }

  /** The one place a problem becomes an error frame (and, for fatal codes, a close). */
  private void fail(ProtocolException e) {
    if (state == State.CLOSED) {
      return;
    }
    node.metrics().error(e.code());
    connection.send(ServerCodec.encode(ServerMessage.Error.of(e)));
    if (e.code().fatal()) {
      connection.close(closeCode(e.code()), e.code().wireName());
    }
  }

  private static int closeCode(ErrorCode code) {
    return switch (code) {
      case FRAME_TOO_LARGE -> 1009;
      case SERVER_SHUTDOWN -> 1001;
      case SESSION_REPLACED -> 1000;
      case TOO_MANY_CONNECTIONS -> 1013;
      default -> 1008;
    };
  }

  private void cancelLoginTimeout() {
    ScheduledFuture<?> timeout = loginTimeout;
    if (timeout != null) {
      timeout.cancel(false);
      loginTimeout = null;
    }
  }

  private static void touch(Directory directory, OnlineUser me, java.time.Instant now) {
    try {
      directory.touch(me.name(), now);
    } catch (RuntimeException e) {
      log.warn("Could not record when {} was last seen", me.name(), e);
    }
  }

  private long now() {
    return node.nanoTime();
  }
}
