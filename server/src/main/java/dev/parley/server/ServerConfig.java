package dev.parley.server;

import dev.parley.server.ice.IceServers;
import dev.parley.server.peerjs.PeerJsConfig;
import dev.parley.server.session.SessionLimits;
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
    Optional<TlsSettings> tls) {

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
        Optional.empty());
  }

  public ServerConfig withPort(int newPort) {
    return new ServerConfig(
        host,
        newPort,
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
        tls);
  }

  public ServerConfig withDataDirectory(Path directory) {
    return new ServerConfig(
        host,
        port,
        directory,
        databaseUrl,
        databaseUser,
        databasePassword,
        limits,
        maxConnectionsPerAddress,
        presenceBatchWindow,
        iceServers,
        shutdownGrace,
        peerJs,
        tls);
  }

  public ServerConfig withDatabase(String url, String user, String password) {
    return new ServerConfig(
        host,
        port,
        dataDirectory,
        Optional.of(url),
        Optional.of(user),
        Optional.of(password),
        limits,
        maxConnectionsPerAddress,
        presenceBatchWindow,
        iceServers,
        shutdownGrace,
        peerJs,
        tls);
  }

  public ServerConfig withLimits(SessionLimits newLimits) {
    return new ServerConfig(
        host,
        port,
        dataDirectory,
        databaseUrl,
        databaseUser,
        databasePassword,
        newLimits,
        maxConnectionsPerAddress,
        presenceBatchWindow,
        iceServers,
        shutdownGrace,
        peerJs,
        tls);
  }

  public ServerConfig withMaxConnectionsPerAddress(int max) {
    return new ServerConfig(
        host,
        port,
        dataDirectory,
        databaseUrl,
        databaseUser,
        databasePassword,
        limits,
        max,
        presenceBatchWindow,
        iceServers,
        shutdownGrace,
        peerJs,
        tls);
  }

  public ServerConfig withIceServers(IceServers servers) {
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
        servers,
        shutdownGrace,
        peerJs,
        tls);
  }

  public ServerConfig withPeerJs(Optional<PeerJsConfig> config) {
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
        config,
        tls);
  }

  public ServerConfig withTls(Optional<TlsSettings> settings) {
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
        settings);
  }
}
