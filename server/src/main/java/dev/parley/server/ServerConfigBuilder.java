// Over 400 lines, for a reason: one field and one plain setter per server option (and a setter for
// each part of ServerConfig that tests set at once); the length grows with the options, nothing
// here is repeated logic.
package dev.parley.server;

import dev.parley.protocol.PresenceMode;
import dev.parley.server.cluster.ClusterSettings;
import dev.parley.server.ice.IceServers;
import dev.parley.server.peerjs.PeerJsConfig;
import dev.parley.server.session.Registration;
import dev.parley.server.session.SessionLimits;
import dev.parley.server.stun.StunSettings;
import dev.parley.server.tls.LocalNames;
import dev.parley.server.tls.TlsSettings;
import dev.parley.server.transport.SocketLimits;
import dev.parley.server.transport.Transport;
import dev.parley.server.transport.TrustedProxies;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A configuration in the making, one setting at a time, as an operator writes them; {@link #build}
 * checks the settings together. Each option of {@link ServerOptions} names the setter its value
 * goes to.
 */
public final class ServerConfigBuilder {
  // Set by the options' defaults in the constructor:
  private String host;
  private int port;
  private Path dataDirectory;
  private int maxFrameBytes;
  private double messagesPerSecond;
  private int messageBurst;
  private Duration loginTimeout;
  private Duration heartbeatInterval;
  private Duration heartbeatTimeout;
  private int maxConnectionsPerAddress;
  private Duration requestTimeout;
  private Duration idleTimeout;
  private Registration.Mode registration;
  private int registrationsPerHour;
  private PresenceMode presenceMode;
  private Duration presenceBatchWindow;
  private Duration turnTtl;
  private Optional<String> peerJsPath;
  private String peerJsKey;
  private Duration peerJsExpireTimeout;
  private Duration peerJsAliveTimeout;
  private int peerJsConcurrentLimit;
  private boolean peerJsAllowDiscovery;
  private boolean tlsSelfSigned;

  // Options without a default, and what is not an option:
  private Optional<String> databaseUrl = Optional.empty();
  private Optional<String> databaseUser = Optional.empty();
  private Optional<String> databasePassword = Optional.empty();
  private Optional<StunSettings> stun = Optional.of(StunSettings.defaults());
  private List<String> stunUrls = List.of();
  private List<String> turnUrls = List.of();
  private Optional<String> turnSecret = Optional.empty();
  private Optional<Path> tlsCertificate = Optional.empty();
  private Optional<Path> tlsKey = Optional.empty();
  private List<String> tlsNames = List.of();
  private Optional<Integer> maxSocketsPerAddress = Optional.empty();
  private int peerJsMaxQueuedPerPeer = PeerJsConfig.MAX_QUEUED_PER_PEER;
  private Duration shutdownGrace = Duration.ofSeconds(5);
  private List<String> trustedProxies = List.of();
  private Optional<Transport> transport = Optional.empty();
  private Optional<String> redis = Optional.empty();
  private Optional<String> nodeId = Optional.empty();
  private Optional<ClusterSettings> cluster = Optional.empty();

  /** Settings holding the defaults of every option. */
  ServerConfigBuilder() {
    for (ServerOption<?> option : ServerOptions.ALL) {
      option.defaultValue().ifPresent(value -> option.apply(this, value));
    }
  }

  public ServerConfigBuilder host(String address) {
    host = address;
    return this;
  }

  public ServerConfigBuilder port(int number) {
    port = number;
    return this;
  }

  public ServerConfigBuilder dataDirectory(Path directory) {
    dataDirectory = directory;
    return this;
  }

  public ServerConfigBuilder databaseUrl(String url) {
    databaseUrl = Optional.of(url);
    return this;
  }

  public ServerConfigBuilder databaseUser(String user) {
    databaseUser = Optional.of(user);
    return this;
  }

  public ServerConfigBuilder databasePassword(String password) {
    databasePassword = Optional.of(password);
    return this;
  }

  public ServerConfigBuilder database(
      Optional<String> url, Optional<String> user, Optional<String> password) {
    databaseUrl = url;
    databaseUser = user;
    databasePassword = password;
    return this;
  }

  public ServerConfigBuilder maxFrameBytes(int bytes) {
    maxFrameBytes = bytes;
    return this;
  }

  public ServerConfigBuilder messagesPerSecond(double rate) {
    messagesPerSecond = rate;
    return this;
  }

  public ServerConfigBuilder messageBurst(int messages) {
    messageBurst = messages;
    return this;
  }

  public ServerConfigBuilder loginTimeout(Duration timeout) {
    loginTimeout = timeout;
    return this;
  }

  public ServerConfigBuilder heartbeatInterval(Duration interval) {
    heartbeatInterval = interval;
    return this;
  }

  public ServerConfigBuilder heartbeatTimeout(Duration timeout) {
    heartbeatTimeout = timeout;
    return this;
  }

  /** All of a connection's limits at once. */
  public ServerConfigBuilder limits(SessionLimits limits) {
    return maxFrameBytes(limits.maxFrameBytes())
        .messagesPerSecond(limits.messagesPerSecond())
        .messageBurst(limits.messageBurst())
        .loginTimeout(limits.loginTimeout())
        .heartbeatInterval(limits.heartbeatInterval())
        .heartbeatTimeout(limits.heartbeatTimeout());
  }

  public ServerConfigBuilder maxConnectionsPerAddress(int max) {
    maxConnectionsPerAddress = max;
    return this;
  }

  /** Sets the TCP cap per address; unless set, it is twice the WebSocket cap per address. */
  public ServerConfigBuilder maxSocketsPerAddress(int max) {
    maxSocketsPerAddress = Optional.of(max);
    return this;
  }

  public ServerConfigBuilder requestTimeout(Duration timeout) {
    requestTimeout = timeout;
    return this;
  }

  public ServerConfigBuilder idleTimeout(Duration timeout) {
    idleTimeout = timeout;
    return this;
  }

  /**
   * All of what every TCP connection is held to, at once. A cap per address that is the one derived
   * from the WebSocket cap stays derived, so that raising the WebSocket cap later raises it too.
   */
  public ServerConfigBuilder sockets(SocketLimits limits) {
    maxSocketsPerAddress =
        limits.perAddress() == SocketLimits.perAddressFor(maxConnectionsPerAddress)
            ? Optional.empty()
            : Optional.of(limits.perAddress());
    trustedProxies = limits.trustedProxies().networks();
    return requestTimeout(limits.requestTimeout()).idleTimeout(limits.idleTimeout());
  }

  public ServerConfigBuilder trustedProxies(List<String> networks) {
    trustedProxies = nonBlank(networks);
    return this;
  }

  public ServerConfigBuilder transport(Transport chosen) {
    return transport(Optional.of(chosen));
  }

  /** The transport asked for, or empty for the default (epoll where it loads, else NIO). */
  public ServerConfigBuilder transport(Optional<Transport> chosen) {
    transport = chosen;
    return this;
  }

  public ServerConfigBuilder presenceMode(PresenceMode mode) {
    presenceMode = mode;
    return this;
  }

  public ServerConfigBuilder registration(Registration.Mode mode) {
    registration = mode;
    return this;
  }

  public ServerConfigBuilder registrationsPerHour(int perHour) {
    registrationsPerHour = perHour;
    return this;
  }

  public ServerConfigBuilder presenceBatchWindow(Duration window) {
    presenceBatchWindow = window;
    return this;
  }

  /**
   * The STUN responder's port as {@code --stun-port} takes it: a number asked for (the start fails
   * if it is taken), {@code off} for none, or blank for the default.
   */
  public ServerConfigBuilder stunPort(String text) {
    String port = text.strip();
    if (port.isEmpty()) {
      return stun(Optional.of(StunSettings.defaults()));
    }
    if (port.equals("off")) {
      return stun(Optional.empty());
    }
    try {
      return stun(Optional.of(new StunSettings(Integer.parseInt(port), true)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--stun-port takes a port number or 'off', not '" + text + "'", e);
    }
  }

  public ServerConfigBuilder stun(Optional<StunSettings> settings) {
    stun = settings;
    return this;
  }

  public ServerConfigBuilder stunUrls(List<String> urls) {
    stunUrls = nonBlank(urls);
    return this;
  }

  public ServerConfigBuilder turnUrls(List<String> urls) {
    turnUrls = nonBlank(urls);
    return this;
  }

  public ServerConfigBuilder turnSecret(String secret) {
    turnSecret = Optional.of(secret);
    return this;
  }

  public ServerConfigBuilder turnTtl(Duration ttl) {
    turnTtl = ttl;
    return this;
  }

  /** The operator's STUN and TURN servers at once. */
  public ServerConfigBuilder iceServers(IceServers servers) {
    stunUrls = servers.stunUrls();
    turnUrls = servers.turnUrls();
    turnSecret = servers.turnSecret();
    turnTtl = servers.turnTtl();
    return this;
  }

  /** Where the PeerJS endpoint is mounted, or {@code off} for none. */
  public ServerConfigBuilder peerJsPath(String path) {
    peerJsPath = path.equals("off") ? Optional.empty() : Optional.of(path);
    return this;
  }

  public ServerConfigBuilder peerJsKey(String key) {
    peerJsKey = key;
    return this;
  }

  public ServerConfigBuilder peerJsExpireTimeout(Duration timeout) {
    peerJsExpireTimeout = timeout;
    return this;
  }

  public ServerConfigBuilder peerJsAliveTimeout(Duration timeout) {
    peerJsAliveTimeout = timeout;
    return this;
  }

  public ServerConfigBuilder peerJsConcurrentLimit(int limit) {
    peerJsConcurrentLimit = limit;
    return this;
  }

  public ServerConfigBuilder peerJsAllowDiscovery(boolean allow) {
    peerJsAllowDiscovery = allow;
    return this;
  }

  /** The whole PeerJS endpoint at once, or none. */
  public ServerConfigBuilder peerJs(Optional<PeerJsConfig> config) {
    peerJsPath = config.map(PeerJsConfig::path);
    config.ifPresent(
        c -> {
          peerJsKey = c.key();
          peerJsExpireTimeout = c.expireTimeout();
          peerJsAliveTimeout = c.aliveTimeout();
          peerJsConcurrentLimit = c.concurrentLimit();
          peerJsAllowDiscovery = c.allowDiscovery();
          peerJsMaxQueuedPerPeer = c.maxQueuedPerPeer();
        });
    return this;
  }

  public ServerConfigBuilder tlsCertificate(Path file) {
    tlsCertificate = Optional.of(file);
    return this;
  }

  public ServerConfigBuilder tlsKey(Path file) {
    tlsKey = Optional.of(file);
    return this;
  }

  public ServerConfigBuilder tlsSelfSigned(boolean selfSigned) {
    tlsSelfSigned = selfSigned;
    return this;
  }

  public ServerConfigBuilder tlsNames(List<String> names) {
    tlsNames = nonBlank(names);
    return this;
  }

  /** The certificate at once, or plain HTTP and WS. */
  public ServerConfigBuilder tls(Optional<TlsSettings> settings) {
    tlsCertificate = Optional.empty();
    tlsKey = Optional.empty();
    tlsSelfSigned = false;
    tlsNames = List.of();
    settings.ifPresent(
        s -> {
          switch (s) {
            case TlsSettings.PemFiles files -> {
              tlsCertificate = Optional.of(files.certificate());
              tlsKey = Optional.of(files.key());
            }
            case TlsSettings.SelfSigned self -> {
              tlsSelfSigned = true;
              tlsNames = self.names();
            }
          }
        });
    return this;
  }

  public ServerConfigBuilder redis(String uri) {
    redis = Optional.of(uri);
    return this;
  }

  public ServerConfigBuilder nodeId(String id) {
    nodeId = Optional.of(id);
    return this;
  }

  /** Several nodes, with every setting given (tests); empty for one node alone. */
  public ServerConfigBuilder cluster(Optional<ClusterSettings> settings) {
    cluster = settings;
    redis = Optional.empty();
    nodeId = Optional.empty();
    return this;
  }

  public ServerConfigBuilder shutdownGrace(Duration grace) {
    shutdownGrace = grace;
    return this;
  }

  /**
   * The configuration these settings describe.
   *
   * @throws IllegalArgumentException naming what is wrong, if a setting or a combination of them is
   */
  public ServerConfig build() {
    SessionLimits limits =
        new SessionLimits(
            maxFrameBytes,
            messagesPerSecond,
            messageBurst,
            loginTimeout,
            heartbeatInterval,
            heartbeatTimeout);
    IceServers ice = new IceServers(stunUrls, turnUrls, turnSecret, turnTtl);
    Optional<PeerJsConfig> peerJs =
        peerJsPath.map(
            path ->
                new PeerJsConfig(
                    path,
                    peerJsKey,
                    peerJsExpireTimeout,
                    peerJsAliveTimeout,
                    peerJsConcurrentLimit,
                    peerJsAllowDiscovery,
                    peerJsMaxQueuedPerPeer));
    return new ServerConfig(
        host,
        port,
        dataDirectory,
        databaseUrl,
        databaseUser,
        databasePassword,
        limits,
        maxConnectionsPerAddress,
        new SocketLimits(
            maxSocketsPerAddress.orElse(SocketLimits.perAddressFor(maxConnectionsPerAddress)),
            requestTimeout,
            idleTimeout,
            new TrustedProxies(trustedProxies)),
        transport,
        registration,
        registrationsPerHour,
        presenceMode,
        presenceBatchWindow,
        ice,
        shutdownGrace,
        peerJs,
        tls(),
        stun,
        cluster());
  }

  private Optional<ClusterSettings> cluster() {
    if (redis.isEmpty()) {
      if (nodeId.isPresent()) {
        throw new IllegalArgumentException("--node-id is for one node of several: give --redis");
      }
      return cluster;
    }
    if (databaseUrl.isEmpty()) {
      throw new IllegalArgumentException(
          "--redis needs --db-url: the nodes of a deployment share one directory, such as"
              + " jdbc:postgresql://db:5432/parley, where each alone would have its own");
    }
    return Optional.of(
        ClusterSettings.of(redis.get(), nodeId.orElseGet(ClusterSettings::uniqueNodeId)));
  }

  private Optional<TlsSettings> tls() {
    if (tlsSelfSigned) {
      if (tlsCertificate.isPresent() || tlsKey.isPresent()) {
        throw new IllegalArgumentException(
            "--tls-self-signed and --tls-cert/--tls-key exclude each other; choose one");
      }
      return Optional.of(
          new TlsSettings.SelfSigned(tlsNames.isEmpty() ? LocalNames.of(host) : tlsNames));
    }
    if (tlsCertificate.isPresent() != tlsKey.isPresent()) {
      throw new IllegalArgumentException("--tls-cert and --tls-key go together; give both");
    }
    if (!tlsNames.isEmpty()) {
      throw new IllegalArgumentException("--tls-name is only for --tls-self-signed");
    }
    return tlsCertificate.map(cert -> new TlsSettings.PemFiles(cert, tlsKey.orElseThrow()));
  }

  private static List<String> nonBlank(List<String> values) {
    return values.stream().map(String::strip).filter(value -> !value.isEmpty()).toList();
  }
}
