package dev.parley.server;

import dev.parley.protocol.PresenceMode;
import dev.parley.server.cluster.ClusterSettings;
import dev.parley.server.ice.IceServers;
import dev.parley.server.peerjs.PeerJsConfig;
import dev.parley.server.session.Registration;
import dev.parley.server.session.SessionLimits;
import dev.parley.server.stun.StunSettings;
import dev.parley.server.tls.TlsSettings;
import dev.parley.server.transport.SocketLimits;
import dev.parley.server.transport.Transport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything a server needs to start. {@link #defaults()} is what {@code ./parley server} runs
 * with: the defaults of the options in {@link ServerOptions}. A {@link ServerConfigBuilder} makes
 * one from settings as an operator writes them, one option at a time; the {@code with} methods make
 * a copy with one part changed, for tests.
 *
 * @param host the address to listen on
 * @param port the port to listen on; 0 picks a free one
 * @param dataDirectory where the embedded database lives
 * @param databaseUrl a JDBC URL to use instead of the embedded database
 * @param databaseUser the database user, if the URL does not carry it
 * @param databasePassword the database password, if the URL does not carry it
 * @param limits frame size, rate, login and heartbeat limits of each connection
 * @param maxConnectionsPerAddress open WebSocket connections allowed from one IP address
 * @param sockets what every TCP connection is held to: a cap per address and HTTP's timeouts
 * @param transport the Netty transport asked for, or empty for the default: epoll where its native
 *     library loads, NIO where it does not
 * @param registration whether new names are taken
 * @param registrationsPerHour new names one address may register an hour (per node)
 * @param presenceMode whether each client hears of everyone online or only of whom it watches
 * @param presenceBatchWindow how long joins and leaves are gathered into one presence frame
 * @param iceServers the STUN and TURN servers handed to clients
 * @param shutdownGrace how long a shutdown waits for clients to be told and closed
 * @param peerJs the PeerJS-compatible endpoint, or empty to serve none
 * @param tls the certificate for HTTPS and WSS, or empty for plain HTTP and WS
 * @param stun the server's own STUN responder, or empty to run none
 * @param cluster how this node meets the others of its deployment, or empty for one node alone
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
    SocketLimits sockets,
    Optional<Transport> transport,
    Registration.Mode registration,
    int registrationsPerHour,
    PresenceMode presenceMode,
    Duration presenceBatchWindow,
    IceServers iceServers,
    Duration shutdownGrace,
    Optional<PeerJsConfig> peerJs,
    Optional<TlsSettings> tls,
    Optional<StunSettings> stun,
    Optional<ClusterSettings> cluster) {

  public ServerConfig {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("the port must be between 0 and 65535, not " + port);
    }
    if (registrationsPerHour < 1) {
      throw new IllegalArgumentException("at least one registration an hour must be allowed");
    }
    if (maxConnectionsPerAddress < 1) {
      throw new IllegalArgumentException("at least one connection per address must be allowed");
    }
    if (presenceBatchWindow.isNegative()) {
      throw new IllegalArgumentException("the presence batch window cannot be negative");
    }
  }

  public static ServerConfig defaults() {
    return builder().build();
  }

  /** A builder holding the defaults. */
  public static ServerConfigBuilder builder() {
    return new ServerConfigBuilder();
  }

  /** A builder holding this configuration. */
  public ServerConfigBuilder toBuilder() {
    return builder()
        .host(host)
        .port(port)
        .dataDirectory(dataDirectory)
        .database(databaseUrl, databaseUser, databasePassword)
        .limits(limits)
        .maxConnectionsPerAddress(maxConnectionsPerAddress)
        .sockets(sockets)
        .transport(transport)
        .registration(registration)
        .registrationsPerHour(registrationsPerHour)
        .presenceMode(presenceMode)
        .presenceBatchWindow(presenceBatchWindow)
        .iceServers(iceServers)
        .shutdownGrace(shutdownGrace)
        .peerJs(peerJs)
        .tls(tls)
        .stun(stun)
        .cluster(cluster);
  }

  public ServerConfig withPort(int newPort) {
    return toBuilder().port(newPort).build();
  }

  public ServerConfig withDataDirectory(Path directory) {
    return toBuilder().dataDirectory(directory).build();
  }

  public ServerConfig withDatabase(String url, String user, String password) {
    return toBuilder().database(Optional.of(url), Optional.of(user), Optional.of(password)).build();
  }

  public ServerConfig withLimits(SessionLimits newLimits) {
    return toBuilder().limits(newLimits).build();
  }

  public ServerConfig withMaxConnectionsPerAddress(int max) {
    return toBuilder().maxConnectionsPerAddress(max).build();
  }

  public ServerConfig withPresenceMode(PresenceMode mode) {
    return toBuilder().presenceMode(mode).build();
  }

  public ServerConfig withIceServers(IceServers servers) {
    return toBuilder().iceServers(servers).build();
  }

  public ServerConfig withPeerJs(Optional<PeerJsConfig> config) {
    return toBuilder().peerJs(config).build();
  }

  /** One node of several, meeting the others in Redis. */
  public ServerConfig withCluster(ClusterSettings settings) {
    return toBuilder().cluster(Optional.of(settings)).build();
  }

  public ServerConfig withTls(Optional<TlsSettings> settings) {
    return toBuilder().tls(settings).build();
  }

  public ServerConfig withStun(Optional<StunSettings> settings) {
    return toBuilder().stun(settings).build();
  }
}
