package dev.parley.server;

import dev.parley.server.ice.IceServers;
import dev.parley.server.peerjs.PeerJsConfig;
import dev.parley.server.session.SessionLimits;
import dev.parley.server.stun.StunSettings;
import dev.parley.server.tls.TlsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything a server needs to start. {@link #defaults()} is what {@code ./parley server} runs
 * with.
 *
 * @param host the address to listen on
 * @param port the port to listen on; 0 picks a free one
 * @param dataDirectory where the embedded database lives
 * @param databaseUrl a JDBC URL to use instead of the embedded database
 * @param databaseUser the database user, if the URL does not carry it
 * @param databasePassword the database password, if the URL does not carry it
 * @param limits frame size, rate, login and heartbeat limits of each connection
 * @param maxConnectionsPerAddress open WebSocket connections allowed from one IP address
 * @param presenceBatchWindow how long joins and leaves are gathered into one presence frame
 * @param iceServers the STUN and TURN servers handed to clients
 * @param shutdownGrace how long a shutdown waits for clients to be told and closed
 * @param peerJs the PeerJS-compatible endpoint, or empty to serve none
 * @param tls the certificate for HTTPS and WSS, or empty for plain HTTP and WS
 * @param stun the server's own STUN responder, or empty to run none
 */
public record ServerConfig(
    String host,
    int port,
    Path dataDirectory,
    Optional<String> databaseUrl,
    Optional<String> databaseUser,
    Optional<String> databasePassword,
    SessionLimits limits,
    int maxConnectionsPerAddress,
    Duration presenceBatchWindow,
    IceServers iceServers,
    Duration shutdownGrace,
    Optional<PeerJsConfig> peerJs,
    Optional<TlsSettings> tls,
    Optional<StunSettings> stun) {

  public static final int DEFAULT_PORT = 8080;

  public ServerConfig {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("the port must be between 0 and 65535, not " + port);
    }
    if (maxConnectionsPerAddress < 1) {
      throw new IllegalArgumentException("at least one connection per address must be allowed");
    }
    if (presenceBatchWindow.isNegative()) {
      throw new IllegalArgumentException("the presence batch window cannot be negative");
    }
  }

  public static ServerConfig defaults() {
    return new ServerConfig(
        "127.0.0.1",
        DEFAULT_PORT,
        Path.of("data"),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        SessionLimits.defaults(),
        64,
        Duration.ofMillis(20),
        IceServers.none(),
        Duration.ofSeconds(5),
        Optional.of(PeerJsConfig.defaults()),
        Optional.empty(),
        Optional.of(StunSettings.defaults()));
  }

  public ServerConfig withPort(int newPort) {
    return edit(b -> b.port = newPort);
  }

  public ServerConfig withDataDirectory(Path directory) {
    return edit(b -> b.dataDirectory = directory);
  }

  public ServerConfig withDatabase(String url, String user, String password) {
    return edit(
        b -> {
          b.databaseUrl = Optional.of(url);
          b.databaseUser = Optional.of(user);
          b.databasePassword = Optional.of(password);
        });
  }

  public ServerConfig withLimits(SessionLimits newLimits) {
    return edit(b -> b.limits = newLimits);
  }

  public ServerConfig withMaxConnectionsPerAddress(int max) {
    return edit(b -> b.maxConnectionsPerAddress = max);
  }

  public ServerConfig withIceServers(IceServers servers) {
    return edit(b -> b.iceServers = servers);
  }

  public ServerConfig withPeerJs(Optional<PeerJsConfig> config) {
    return edit(b -> b.peerJs = config);
  }

  public ServerConfig withTls(Optional<TlsSettings> settings) {
    return edit(b -> b.tls = settings);
  }

  public ServerConfig withStun(Optional<StunSettings> settings) {
    return edit(b -> b.stun = settings);
  }

  /** A copy with the fields {@code change} sets; the record's checks run again. */
  private ServerConfig edit(java.util.function.Consumer<Fields> change) {
    Fields fields = new Fields(this);
    change.accept(fields);
    return fields.build();
  }

  /** The fields of a config while a copy is edited. */
  private static final class Fields {
    String host;
    int port;
    Path dataDirectory;
    Optional<String> databaseUrl;
    Optional<String> databaseUser;
    Optional<String> databasePassword;
    SessionLimits limits;
    int maxConnectionsPerAddress;
    Duration presenceBatchWindow;
    IceServers iceServers;
    Duration shutdownGrace;
    Optional<PeerJsConfig> peerJs;
    Optional<TlsSettings> tls;
    Optional<StunSettings> stun;

    Fields(ServerConfig c) {
      host = c.host;
      port = c.port;
      dataDirectory = c.dataDirectory;
      databaseUrl = c.databaseUrl;
      databaseUser = c.databaseUser;
      databasePassword = c.databasePassword;
      limits = c.limits;
      maxConnectionsPerAddress = c.maxConnectionsPerAddress;
      presenceBatchWindow = c.presenceBatchWindow;
      iceServers = c.iceServers;
      shutdownGrace = c.shutdownGrace;
      peerJs = c.peerJs;
      tls = c.tls;
      stun = c.stun;
    }

    ServerConfig build() {
      return new ServerConfig(
          host,
          port,
          dataDirectory,
          databaseUrl,
          databaseUser,
          databasePassword,
          limits,
          maxConnectionsPerAddress,
          presenceBatchWindow,
          iceServers,
          shutdownGrace,
          peerJs,
          tls,
          stun);
    }
  }
}
