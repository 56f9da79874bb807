package dev.parley.client;

import dev.parley.client.chat.Messenger;
import dev.parley.protocol.PresenceMode;
import dev.parley.protocol.UserName;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * A real server on a free loopback port (with no STUN or TURN servers, so WebRTC gathers only host
 * candidates and no packet leaves the machine) and the clients a test logs in to it, each with its
 * own profile directory (kept across logins, so a name keeps its key, pins, history and outbox).
 */
final class TestBed implements AutoCloseable {
  /** A logged-in client and what it has heard. */
  record Peer(ParleyClient client, Recorder events) {
    UserName name() {
      return client.name();
    }
  }

  private final Path dir;
  private final PresenceMode mode;
  private final List<ParleyClient> clients = new ArrayList<>();
  private ParleyServer server;
  private int port;

  TestBed(Path dir) {
    this(dir, PresenceMode.EVERYONE);
  }

  /** With a server in presence mode {@code mode}, kept across restarts. */
  TestBed(Path dir, PresenceMode mode) {
    this.dir = dir;
    this.mode = mode;
    server = start(0);
    port = server.port();
  }

  private ParleyServer start(int at) {
    return ParleyServer.start(
        ServerConfig.defaults()
            .withPort(at)
            .withDataDirectory(dir.resolve("server"))
            .withPresenceMode(mode));
  }

  ParleyServer server() {
    return server;
  }

  /** Stops the server; clients notice and start reconnecting. */
  void stopServer() {
    server.close();
  }

  /** Starts the server again, on the same port and with the same directory. */
  void restartServer() {
    server = start(port);
  }

  URI ws() {
    return URI.create("ws://127.0.0.1:" + port + "/ws");
  }

  Path profile(String name) {
    return dir.resolve("profiles").resolve(name.toLowerCase(Locale.ROOT));
  }

  Path downloads(String name) {
    return dir.resolve("downloads").resolve(name.toLowerCase(Locale.ROOT));
  }

  Peer login(String name) {
    return login(name, ws(), Messenger.Options.DEFAULTS);
  }

  Peer login(String name, URI uri, Messenger.Options options) {
    return login(name, uri, options, builder -> builder);
  }

  /** Logs in with what {@code tune} changes in the client's builder, such as a slower reconnect. */
  Peer login(
      String name, URI uri, Messenger.Options options, UnaryOperator<ParleyClient.Builder> tune) {
    Recorder events = new Recorder();
    ParleyClient client =
        tune.apply(
                ParleyClient.builder(uri, new UserName(name))
                    .profile(profile(name))
                    .downloads(downloads(name))
                    .listener(events)
                    .options(options)
                    .reconnect(Duration.ofMillis(100), Duration.ofMillis(500)))
            .connect();
    synchronized (clients) {
      clients.add(client);
    }
    return new Peer(client, events);
  }

  @Override
  public void close() {
    synchronized (clients) {
      clients.forEach(ParleyClient::close);
    }
    server.close();
  }
}
