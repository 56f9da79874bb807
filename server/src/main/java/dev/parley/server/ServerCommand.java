package dev.parley.server;

import dev.parley.server.ice.IceServers;
import dev.parley.server.peerjs.PeerJsConfig;
import dev.parley.server.session.SessionLimits;
import dev.parley.server.stun.StunPortTakenException;
import dev.parley.server.stun.StunSettings;
import dev.parley.server.tls.LocalNames;
import dev.parley.server.tls.TlsSettings;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code parley server}: runs the server until it is stopped (Ctrl-C or SIGTERM). */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Runs the Parley server: directory, presence, signaling relay and the web client.",
      "Every option can also be set by the environment variable shown in brackets."
    })
public final class ServerCommand implements Callable<Integer> {

  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      defaultValue = "${env:PARLEY_HOST:-127.0.0.1}",
      description =
          "Address to listen on; 0.0.0.0 for every interface [PARLEY_HOST] (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "${env:PARLEY_PORT:-8080}",
      description =
          "Port for HTTP and WebSocket; 0 picks a free one [PARLEY_PORT] (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      defaultValue = "${env:PARLEY_DATA:-data}",
      description =
          "Directory of the embedded database [PARLEY_DATA] (default: ./${DEFAULT-VALUE}).")
  Path data;

  @Option(
      names = "--db-url",
      paramLabel = "JDBC_URL",
      defaultValue = "${env:PARLEY_DB_URL}",
      description =
          "Use this database instead of the embedded one, e.g. jdbc:postgresql://db:5432/parley [PARLEY_DB_URL].")
  Optional<String> databaseUrl;

  @Option(
      names = "--db-user",
      paramLabel = "USER",
      defaultValue = "${env:PARLEY_DB_USER}",
      description = "Database user [PARLEY_DB_USER].")
  Optional<String> databaseUser;

  @Option(
      names = "--db-password",
      paramLabel = "PASSWORD",
      defaultValue = "${env:PARLEY_DB_PASSWORD}",
      description = "Database password; prefer the environment variable [PARLEY_DB_PASSWORD].")
  Optional<String> databasePassword;

  @Option(
      names = "--max-frame-bytes",
      paramLabel = "BYTES",
      defaultValue = "${env:PARLEY_MAX_FRAME_BYTES:-65536}",
      description =
          "Largest WebSocket message a client may send [PARLEY_MAX_FRAME_BYTES] (default: ${DEFAULT-VALUE}).")
  int maxFrameBytes;

  @Option(
      names = "--rate-limit",
      paramLabel = "PER_SECOND",
      defaultValue = "${env:PARLEY_RATE_LIMIT:-50}",
      description =
          "Messages per second one connection may send, sustained [PARLEY_RATE_LIMIT] (default: ${DEFAULT-VALUE}).")
  double rateLimit;

  @Option(
      names = "--rate-burst",
      paramLabel = "MESSAGES",
      defaultValue = "${env:PARLEY_RATE_BURST:-200}",
      description =
          "Messages one connection may send at once [PARLEY_RATE_BURST] (default: ${DEFAULT-VALUE}).")
  int rateBurst;

  @Option(
      names = "--max-connections-per-address",
      paramLabel = "N",
      defaultValue = "${env:PARLEY_MAX_CONNECTIONS_PER_ADDRESS:-64}",
      description =
          "WebSocket connections allowed from one IP address [PARLEY_MAX_CONNECTIONS_PER_ADDRESS] (default: ${DEFAULT-VALUE}).")
  int maxConnectionsPerAddress;

  @Option(
      names = "--login-timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "${env:PARLEY_LOGIN_TIMEOUT:-10s}",
      description =
          "Time a new connection has to log in [PARLEY_LOGIN_TIMEOUT] (default: ${DEFAULT-VALUE}).")
  Duration loginTimeout;

  @Option(
      names = "--heartbeat-interval",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "${env:PARLEY_HEARTBEAT_INTERVAL:-15s}",
      description =
          "How often the server checks each client; one silent since the last check is pinged [PARLEY_HEARTBEAT_INTERVAL] (default: ${DEFAULT-VALUE}).")
  Duration heartbeatInterval;

  @Option(
      names = "--heartbeat-timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "${env:PARLEY_HEARTBEAT_TIMEOUT:-45s}",
      description =
          "Silence after which a client is taken for gone and announced as left, found at the next check [PARLEY_HEARTBEAT_TIMEOUT] (default: ${DEFAULT-VALUE}).")
  Duration heartbeatTimeout;

  @Option(
      names = "--presence-batch",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "${env:PARLEY_PRESENCE_BATCH:-20ms}",
      description =
          "At most one presence message per window; under sustained churn frames are spaced further, to about 25,000 presence frames/s in all [PARLEY_PRESENCE_BATCH] (default: ${DEFAULT-VALUE}).")
  Duration presenceBatch;

  @Option(
      names = "--stun-port",
      paramLabel = "PORT",
      defaultValue = "${env:PARLEY_STUN_PORT}",
      description =
          "UDP port of the server's own STUN responder, on --host; 'off' for none [PARLEY_STUN_PORT]."
              + " Default: 3478, and if that is taken (say by coturn), none of its own. The next port"
              + " is opened too when free, for parley doctor's NAT check.")
  @Nullable String stunPort;

  @Option(
      names = "--stun",
      paramLabel = "URL",
      split = ",",
      defaultValue = "${env:PARLEY_STUN_URLS}",
      description =
          "Another STUN URL handed to clients besides the server's own, e.g. stun:stun.example.org:3478; repeatable or comma-separated [PARLEY_STUN_URLS].")
  List<String> stunUrls = List.of();

  @Option(
      names = "--turn",
      paramLabel = "URL",
      split = ",",
      defaultValue = "${env:PARLEY_TURN_URLS}",
      description =
          "TURN URL handed to clients: turn:HOST[:PORT] (offered over UDP and TCP), turn:HOST:PORT?transport=udp|tcp, or turns:HOST:PORT for TLS; repeatable or comma-separated; needs --turn-secret [PARLEY_TURN_URLS].")
  List<String> turnUrls = List.of();

  @Option(
      names = "--turn-secret",
      paramLabel = "SECRET",
      defaultValue = "${env:PARLEY_TURN_SECRET}",
      description =
          "The static-auth-secret of your coturn (use-auth-secret); prefer the environment variable [PARLEY_TURN_SECRET].")
  Optional<String> turnSecret;

  @Option(
      names = "--turn-ttl",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "${env:PARLEY_TURN_TTL:-1h}",
      description =
          "Lifetime of the TURN credentials minted at each login [PARLEY_TURN_TTL] (default: ${DEFAULT-VALUE}).")
  Duration turnTtl;

  @Option(
      names = "--peerjs-path",
      paramLabel = "PATH",
      defaultValue = "${env:PARLEY_PEERJS_PATH:-/peerjs}",
      description =
          "Mount path of the PeerJS-compatible endpoint (the PeerJS client's 'path'); 'off' to disable [PARLEY_PEERJS_PATH] (default: ${DEFAULT-VALUE}).")
  String peerJsPath;

  @Option(
      names = "--peerjs-key",
      paramLabel = "KEY",
      defaultValue = "${env:PARLEY_PEERJS_KEY:-peerjs}",
      description =
          "API key PeerJS clients must present (the client's 'key') [PARLEY_PEERJS_KEY] (default: ${DEFAULT-VALUE}).")
  String peerJsKey;

  @Option(
      names = "--peerjs-expire-timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "${env:PARLEY_PEERJS_EXPIRE_TIMEOUT:-5s}",
      description =
          "How long a message waits for a PeerJS peer that is not connected before its sender gets EXPIRE [PARLEY_PEERJS_EXPIRE_TIMEOUT] (default: ${DEFAULT-VALUE}).")
  Duration peerJsExpireTimeout;

  @Option(
      names = "--peerjs-alive-timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "${env:PARLEY_PEERJS_ALIVE_TIMEOUT:-60s}",
      description =
          "Silence after which a PeerJS client is dropped [PARLEY_PEERJS_ALIVE_TIMEOUT] (default: ${DEFAULT-VALUE}).")
  Duration peerJsAliveTimeout;

  @Option(
      names = "--peerjs-concurrent-limit",
      paramLabel = "N",
      defaultValue = "${env:PARLEY_PEERJS_CONCURRENT_LIMIT:-5000}",
      description =
          "PeerJS clients connected at once [PARLEY_PEERJS_CONCURRENT_LIMIT] (default: ${DEFAULT-VALUE}).")
  int peerJsConcurrentLimit;

  @Option(
      names = "--peerjs-allow-discovery",
      paramLabel = "BOOLEAN",
      defaultValue = "${env:PARLEY_PEERJS_ALLOW_DISCOVERY:-false}",
      arity = "0..1",
      fallbackValue = "true",
      description =
          "List connected PeerJS ids at <path>/<key>/peers [PARLEY_PEERJS_ALLOW_DISCOVERY] (default: ${DEFAULT-VALUE}).")
  boolean peerJsAllowDiscovery;

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      defaultValue = "${env:PARLEY_TLS_CERT}",
      description =
          "Serve HTTPS and WSS with this certificate chain (PEM, leaf first); needs --tls-key [PARLEY_TLS_CERT].")
  Optional<Path> tlsCertificate;

  @Option(
      names = "--tls-key",
      paramLabel = "FILE",
      defaultValue = "${env:PARLEY_TLS_KEY}",
      description =
          "The certificate's private key (PEM, unencrypted PKCS#8: BEGIN PRIVATE KEY) [PARLEY_TLS_KEY].")
  Optional<Path> tlsKey;

  @Option(
      names = "--tls-self-signed",
      paramLabel = "BOOLEAN",
      defaultValue = "${env:PARLEY_TLS_SELF_SIGNED:-false}",
      arity = "0..1",
      fallbackValue = "true",
      description =
          "Serve HTTPS and WSS with a self-signed certificate, made once and kept in <data>/tls, for trying Parley on a LAN [PARLEY_TLS_SELF_SIGNED] (default: ${DEFAULT-VALUE}).")
  boolean tlsSelfSigned;

  @Option(
      names = "--tls-name",
      paramLabel = "NAME",
      split = ",",
      defaultValue = "${env:PARLEY_TLS_NAMES}",
      description =
          "Host name or IP address the self-signed certificate is for; repeatable or comma-separated [PARLEY_TLS_NAMES]. Default: localhost, the loopback addresses, this machine's name and addresses.")
  List<String> tlsNames = List.of();

  /** Builds the configuration these options describe. */
  ServerConfig config() {
    SessionLimits limits =
        new SessionLimits(
            maxFrameBytes, rateLimit, rateBurst, loginTimeout, heartbeatInterval, heartbeatTimeout);
    IceServers ice = new IceServers(nonBlank(stunUrls), nonBlank(turnUrls), turnSecret, turnTtl);
    return new ServerConfig(
        host,
        port,
        data,
        databaseUrl,
        databaseUser,
        databasePassword,
        limits,
        maxConnectionsPerAddress,
        presenceBatch,
        ice,
        Duration.ofSeconds(5),
        peerJsPath.equals("off")
            ? Optional.empty()
            : Optional.of(
                new PeerJsConfig(
                    peerJsPath,
                    peerJsKey,
                    peerJsExpireTimeout,
                    peerJsAliveTimeout,
                    peerJsConcurrentLimit,
                    peerJsAllowDiscovery,
                    PeerJsConfig.defaults().maxQueuedPerPeer())),
        tls(),
        stun());
  }

  private Optional<StunSettings> stun() {
    if (stunPort == null || stunPort.isBlank()) {
      return Optional.of(StunSettings.defaults());
    }
    if (stunPort.strip().equals("off")) {
      return Optional.empty();
    }
    try {
      return Optional.of(new StunSettings(Integer.parseInt(stunPort.strip()), true));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--stun-port takes a port number or 'off', not '" + stunPort + "'");
    }
  }

  private Optional<TlsSettings> tls() {
    if (tlsSelfSigned) {
      if (tlsCertificate.isPresent() || tlsKey.isPresent()) {
        throw new IllegalArgumentException(
            "--tls-self-signed and --tls-cert/--tls-key exclude each other; choose one");
      }
      List<String> names = nonBlank(tlsNames);
      return Optional.of(new TlsSettings.SelfSigned(names.isEmpty() ? LocalNames.of(host) : names));
    }
    if (tlsCertificate.isPresent() != tlsKey.isPresent()) {
      throw new IllegalArgumentException("--tls-cert and --tls-key go together; give both");
    }
    if (!nonBlank(tlsNames).isEmpty()) {
      throw new IllegalArgumentException("--tls-name is only for --tls-self-signed");
    }
    return tlsCertificate.map(cert -> new TlsSettings.PemFiles(cert, tlsKey.orElseThrow()));
  }

  @Override
  public Integer call() {
    ServerConfig config;
    try {
      config = config();
    } catch (IllegalArgumentException e) {
      System.err.println("parley server: " + e.getMessage());
      return 2;
    }
    ParleyServer server;
    try {
      server = ParleyServer.start(config);
    } catch (RuntimeException e) {
      System.err.println("parley server: " + explain(e, config));
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "shutdown"));
    StartupMessage.lines(config, server).forEach(System.out::println);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  static String explain(RuntimeException e, ServerConfig config) {
    if (e instanceof StunPortTakenException taken) {
      return taken.getMessage() + ".";
    }
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof BindException) {
        return "cannot listen on "
            + config.host()
            + ":"
            + config.port()
            + " ("
            + cause.getMessage()
            + "); is another server using it? Choose another with --port.";
      }
    }
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return e.getMessage() + (root == e ? "" : " (" + root.getMessage() + ")");
  }

  private static List<String> nonBlank(List<String> urls) {
    return urls.stream().map(String::strip).filter(url -> !url.isEmpty()).toList();
  }
}
