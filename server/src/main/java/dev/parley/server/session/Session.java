// Over 400 lines, for a reason: one connection's whole protocol (login, signals, watches, errors)
// is one state machine run on the connection's thread without locks; its collaborators, its
// limits and how errors reach the wire live elsewhere (Collaborators, Registration, ErrorMapper).
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.function.Consumer;
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

  /**
   * The challenge's nonce until a login proves it: then null, since a login is tried once per
   * connection and a held nonce would be some 90 bytes kept for every idle connection.
   */
  private @Nullable String nonce;

  private final Collaborators node;
  private final Consumer<Session> closed;
  private final RateLimiter limiter;
  private State state = State.AWAITING_LOGIN;
  private volatile @Nullable OnlineUser user;
  private @Nullable Future<?> loginTimeout;

  /** Presence frames that arrive before the welcome is sent wait here; null once it is sent. */
  private @Nullable List<byte[]> held = new ArrayList<>();

  /**
   * A session for a client that just connected, challenged with {@code nonce} once {@link #start}
   * is called; {@code closed} hears when the connection is gone.
   */
  Session(Connection connection, String nonce, Collaborators node, Consumer<Session> closed) {
    this.connection = connection;
    this.nonce = nonce;
    this.node = node;
    this.closed = closed;
    SessionLimits limits = node.limits();
    this.limiter = new RateLimiter(limits.messagesPerSecond(), limits.messageBurst(), now());
  }

  void start() {
    connection.send(
        ServerCodec.encode(
            new ServerMessage.Challenge(
                ClientMessage.Login.VERSIONS,
                node.serverId(),
                Objects.requireNonNull(nonce, "a session starts before its login"))));
    loginTimeout =
        node.timers()
            .schedule(() -> connection.execute(this::loginTimedOut), node.limits().loginTimeout());
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
    ClientCodec.Inbound inbound;
    try {
      inbound = ClientCodec.decode(utf8);
    } catch (ProtocolException e) {
      fail(e, e.ref().orElse(null));
      return;
    }
    try {
      switch (inbound.message()) {
        case ClientMessage.Login login -> login(login, inbound.ref());
        case ClientMessage.Signal signal -> signal(signal, inbound.data(), inbound.ref());
        case ClientMessage.Ping ping ->
            connection.send(ServerCodec.encode(new ServerMessage.Pong()));
        case ClientMessage.Watch watch -> watch(watch, inbound.ref());
        case ClientMessage.Unwatch unwatch -> unwatch(unwatch);
      }
    } catch (ProtocolException e) {
      fail(e, inbound.ref());
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
    OnlineUser me = user;
    if (wasOnline && me != null) {
      node.presence().leave(this);
      Directory directory = node.directory();
      Instant now = node.clock().instant();
      node.blocking().execute(() -> touch(directory, me, now));
    }
    // Last: a shutdown waits for every session to be closed, then for the directory writes
    // already handed over, and stops taking new ones; so the last-seen write must go first.
    closed.accept(this);
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
    if (!held(frame)) {
      connection.send(frame);
    }
  }

  @Override
  public void sendShared(byte[] frame) {
    if (!held(frame)) {
      connection.sendShared(frame);
    }
  }

  /** Keeps a frame that must wait for the welcome, and says whether it did. */
  private synchronized boolean held(byte[] frame) {
    if (held != null) {
      held.add(frame);
      return true;
    }
    return false;
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
      throw new ProtocolException(ErrorCode.ALREADY_LOGGED_IN, "this connection has logged in");
    }
    if (!ClientMessage.Login.VERSIONS.contains(login.version())) {
      throw new ProtocolException(
          ErrorCode.UNSUPPORTED_VERSION,
          "protocol version "
              + login.version()
              + " is not spoken here; versions: "
              + ClientMessage.Login.VERSIONS);
    }
    String challenge = Objects.requireNonNull(nonce, "a session awaiting its login has a nonce");
    if (!LoginProof.verify(
        node.serverId(), challenge, login.name(), login.publicKey(), login.signature())) {
      node.metrics().loginFailed();
      throw new ProtocolException(
          ErrorCode.BAD_SIGNATURE, "the signature does not prove the key for this challenge");
    }
    state = State.LOGGING_IN;
    nonce = null;
    var unused =
        CompletableFuture.supplyAsync(
                () ->
                    node.directory()
                        .claim(
                            login.name(),
                            login.publicKey(),
                            node.clock().instant(),
                            node.registration().from(remoteAddress(), login.invite())),
                node.blocking())
            .whenComplete(
                (claim, failure) ->
                    connection.execute(
                        () -> {
                          if (failure == null) {
                            loggedIn(claim);
                          } else {
                            loginRefused(login, failure, ref);
                          }
                        }));
  }

  private void loginRefused(ClientMessage.Login login, Throwable failure, @Nullable String ref) {
    ProtocolException problem = ErrorMapper.problem(failure);
    if (problem == null) {
      log.error("Login of {} failed in the directory", login.name(), ErrorMapper.cause(failure));
      internalError("the directory is unavailable", true);
      return;
    }
    node.metrics().loginFailed();
    log.info(
        "Refused login as {} from {}: {}", login.name(), remoteAddress(), problem.getMessage());
    fail(problem, ref);
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
            (others, failure) ->
                connection.execute(
                    () -> {
                      if (failure != null) {
                        log.error("Presence failed to take {} online", me.name(), failure);
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
            node.limits().maxFrameBytes(),
            node.presence().mode());
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
    OnlineUser me = loggedInUser();
    whenFailed(
        node.signaling()
            .relay(me.name(), signal, Objects.requireNonNull(data, "a decoded signal has data")),
        ref,
        "the signal could not be relayed");
  }

  /**
   * Hands the names, each once, to presence, which answers the client itself: in order with the
   * presence frames it sends, which the session could not keep. In everyone mode presence does
   * nothing, so that clients may send watch whatever the mode.
   */
  private void watch(ClientMessage.Watch watch, @Nullable String ref) {
    loggedInUser();
    whenFailed(
        node.presence().watch(this, new LinkedHashSet<>(watch.names())),
        ref,
        "presence is unavailable");
  }

  private void unwatch(ClientMessage.Unwatch unwatch) {
    loggedInUser();
    node.presence().unwatch(this, new LinkedHashSet<>(unwatch.names()));
  }

  private OnlineUser loggedInUser() {
    OnlineUser me = user;
    if (state != State.ONLINE || me == null) {
      throw new ProtocolException(ErrorCode.NOT_LOGGED_IN, "log in first");
    }
    return me;
  }

  /**
   * If {@code step}, started by the client message that carried {@code ref}, fails, tells the
   * client on the connection's thread: the problem, or else an internal error that keeps the
   * connection, saying {@code unavailable}.
   */
  private void whenFailed(CompletionStage<?> step, @Nullable String ref, String unavailable) {
    var unused =
        step.whenComplete(
            (ok, failure) -> {
              if (failure != null) {
                connection.execute(() -> failed(failure, ref, unavailable));
              }
            });
  }

  private void failed(Throwable failure, @Nullable String ref, String unavailable) {
    ProtocolException problem = ErrorMapper.problem(failure);
    if (problem == null) {
      log.error("Failed to answer a client: {}", unavailable, ErrorMapper.cause(failure));
      internalError(unavailable, false);
    } else {
      fail(problem, ref);
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

  /** A problem no client message caused. */
  private void fail(ProtocolException problem) {
    fail(problem, null);
  }

  /** A problem, told the client through {@link ErrorMapper} unless the connection is gone. */
  private void fail(ProtocolException problem, @Nullable String ref) {
    if (state != State.CLOSED) {
      ErrorMapper.answer(connection, node.metrics(), problem, ref);
    }
  }

  private void cancelLoginTimeout() {
    Future<?> timeout = loginTimeout;
    if (timeout != null) {
      timeout.cancel(false);
      loginTimeout = null;
    }
  }

  private static void touch(Directory directory, OnlineUser me, Instant now) {
    try {
      directory.touch(me.name(), now);
    } catch (RuntimeException e) {
      log.warn("Could not record when {} was last seen", me.name(), e);
    }
  }

  private long now() {
    return node.nanoTime().getAsLong();
  }
}
