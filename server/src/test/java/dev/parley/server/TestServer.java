package dev.parley.server;

import dev.parley.protocol.ClientCodec;
import dev.parley.protocol.ClientMessage;
import dev.parley.protocol.Identity;
import dev.parley.protocol.LoginProof;
import dev.parley.protocol.ServerCodec;
import dev.parley.protocol.ServerMessage;
import dev.parley.protocol.UserName;
import dev.parley.testkit.RawWebSocket;
import dev.parley.testkit.TestClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * A real server on a free loopback port with its own data directory, and the identities of the
 * users tests log in as (one per name, kept across restarts, as a real client keeps its key).
 */
final class TestServer implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final ServerConfig config;
  private final Map<String, Identity> identities = new ConcurrentHashMap<>();
  private ParleyServer server;

  private TestServer(ServerConfig config) {
    this.config = config;
    this.server = ParleyServer.start(config);
  }

  static TestServer start(Path data) {
    return start(data, UnaryOperator.identity());
  }

  static TestServer start(Path data, UnaryOperator<ServerConfig> customize) {
    // Tests register more names from loopback than a real address may in an hour; the limit
    // itself is tested where a test sets it.
    ServerConfig base =
        ServerConfig.defaults().toBuilder()
            .port(0)
            .dataDirectory(data)
            .registrationsPerHour(100_000)
            .build();
    return new TestServer(customize.apply(base));
  }

  /** Stops the server and starts it again on the same port and data. */
  void restart() {
    int port = server.port();
    server.close();
    server = ParleyServer.start(config.withPort(port));
  }

  ParleyServer server() {
    return server;
  }

  URI ws() {
    return URI.create("ws://127.0.0.1:" + server.port() + "/ws");
  }

  Identity identity(String name) {
    return identities.computeIfAbsent(
        name.toLowerCase(java.util.Locale.ROOT), n -> Identity.generate());
  }

  /** A connected client that has not logged in. */
  TestClient connect() {
    return TestClient.connect(ws());
  }

  /** A client logged in as {@code name} with that name's identity. */
  TestClient login(String name) {
    return TestClient.login(ws(), name, identity(name));
  }

  /**
   * Logs in as {@code name} over a bare socket, which answers nothing unless told to and can send
   * frames no WebSocket library would.
   */
  RawWebSocket loginRaw(String name) throws IOException {
    RawWebSocket ws = RawWebSocket.connect("127.0.0.1", port(), "/ws");
    var challenge = (ServerMessage.Challenge) ServerCodec.decode(ws.readFrame().text());
    Identity identity = identity(name);
    UserName user = new UserName(name);
    ws.sendText(
        ClientCodec.encode(
            new ClientMessage.Login(
                1,
                user,
                identity.publicKey(),
                LoginProof.sign(identity, challenge.serverId(), challenge.nonce(), user))));
    ServerMessage welcome = ServerCodec.decode(ws.readFrame().text());
    if (!(welcome instanceof ServerMessage.Welcome)) {
      ws.close();
      throw new IllegalStateException(name + " was not welcomed: " + welcome);
    }
    return ws;
  }

  HttpResponse<String> get(String path) {
    return send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET());
  }

  HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return HTTP.send(
          request.timeout(TestClient.TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.close();
  }
}
