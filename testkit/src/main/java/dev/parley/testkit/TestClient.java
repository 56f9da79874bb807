package dev.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.parley.protocol.ClientCodec;
import dev.parley.protocol.ClientMessage;
import dev.parley.protocol.Identity;
import dev.parley.protocol.InviteCode;
import dev.parley.protocol.LoginProof;
import dev.parley.protocol.OnlineUser;
import dev.parley.protocol.ServerCodec;
import dev.parley.protocol.ServerMessage;
import dev.parley.protocol.UserName;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A protocol-level client for tests, on the JDK's WebSocket: it sends raw text or messages, keeps
 * every server message in order, and tracks who is online from welcome and presence frames.
 */
public final class TestClient implements AutoCloseable {
  public static final Duration TIMEOUT = Duration.ofSeconds(10);

  private @Nullable TextSocket socket;
  private final BlockingQueue<ServerMessage> inbox = new LinkedBlockingQueue<>();
  private final Set<String> online = ConcurrentHashMap.newKeySet();
  private final List<String> presenceFrames =
      java.util.Collections.synchronizedList(new ArrayList<>());
  private ServerMessage.@Nullable Challenge challenge;

  private TestClient() {}

  /** Connects and waits for the server's challenge. */
  public static TestClient connect(URI uri) {
    TestClient client = open(uri);
    client.challenge = client.next(ServerMessage.Challenge.class);
    return client;
  }

  /** Connects, expecting nothing in particular from the server. */
  public static TestClient open(URI uri) {
    TestClient client = new TestClient();
    client.socket = TextSocket.open(uri, client::received);
    return client;
  }

  /** Connects and logs in as {@code name}, returning the welcome. */
  public static TestClient login(URI uri, String name, Identity identity) {
    TestClient client = connect(uri);
    client.sendLogin(name, identity);
    client.next(ServerMessage.Welcome.class);
    return client;
  }

  public ServerMessage.Challenge challenge() {
    return java.util.Objects.requireNonNull(challenge);
  }

  /** Signs the challenge and sends a login; the answer is left in the inbox. */
  public void sendLogin(String name, Identity identity) {
    sendLogin(name, identity, null);
  }

  /** Signs the challenge and sends a login with {@code invite}; the answer is left in the inbox. */
  public void sendLogin(String name, Identity identity, @Nullable InviteCode invite) {
    UserName user = new UserName(name);
    ServerMessage.Challenge c = challenge();
    send(
        new ClientMessage.Login(
            1,
            user,
            identity.publicKey(),
            LoginProof.sign(identity, c.serverId(), c.nonce(), user),
            invite));
  }

  public void send(ClientMessage message) {
    send(ClientCodec.encode(message));
  }

  public void send(String text) {
    socket().send(text);
  }

  public void sendBinary(byte[] bytes) {
    socket().sendBinary(bytes);
  }

  /** The next server message, which must be of {@code type}. */
  public <T extends ServerMessage> T next(Class<T> type) {
    ServerMessage message = poll();
    assertThat(message).as("the next message from the server").isInstanceOf(type);
    return type.cast(message);
  }

  /** The next message of {@code type} that matches, skipping any others (presence, say). */
  public <T extends ServerMessage> T await(Class<T> type, Predicate<T> matching) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    List<ServerMessage> skipped = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      ServerMessage message = pollUntil(deadline);
      if (message == null) {
        break;
      }
      if (type.isInstance(message) && matching.test(type.cast(message))) {
        return type.cast(message);
      }
      skipped.add(message);
    }
    return fail("no matching %s within %s; got %s", type.getSimpleName(), TIMEOUT, skipped);
  }

  public <T extends ServerMessage> T await(Class<T> type) {
    return await(type, message -> true);
  }

  /** The next error with this code, skipping other messages. */
  public ServerMessage.Error awaitError(dev.parley.protocol.ErrorCode code) {
    return await(ServerMessage.Error.class, error -> error.code() == code);
  }

  /** Waits for the server to close the connection and returns the close code. */
  public int awaitClose() {
    return socket().awaitClose();
  }

  public boolean isClosed() {
    return socket().isClosed();
  }

  /** Who this client has been told is online (from its welcome and presence frames). */
  public Set<String> online() {
    return Set.copyOf(online);
  }

  /** How many presence frames this client has received. */
  public int presenceFrameCount() {
    return presenceFrames.size();
  }

  /** Everything received and not yet taken, without waiting. */
  public List<ServerMessage> drain() {
    List<ServerMessage> messages = new ArrayList<>();
    inbox.drainTo(messages);
    return messages;
  }

  @Override
  public void close() {
    socket().close();
  }

  /** Drops the TCP connection without a close handshake, as a crashed client would. */
  public void abort() {
    socket().abort();
  }

  private TextSocket socket() {
    return java.util.Objects.requireNonNull(socket, "not connected");
  }

  private ServerMessage poll() {
    ServerMessage message = pollUntil(System.nanoTime() + TIMEOUT.toNanos());
    if (message == null) {
      return fail("no message from the server within %s", TIMEOUT);
    }
    return message;
  }

  private @Nullable ServerMessage pollUntil(long deadline) {
    try {
      return inbox.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private void received(String text) {
    ServerMessage message = ServerCodec.decode(text);
    switch (message) {
      case ServerMessage.Welcome welcome ->
          welcome.online().stream().map(OnlineUser::name).map(UserName::value).forEach(online::add);
      case ServerMessage.Presence presence -> {
        presenceFrames.add(text);
        presence.left().forEach(name -> online.remove(name.value()));
        presence.joined().forEach(user -> online.add(user.name().value()));
      }
      default -> {}
    }
    inbox.add(message);
  }
}
