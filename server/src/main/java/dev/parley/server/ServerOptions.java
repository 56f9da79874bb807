package dev.parley.server;

import static dev.parley.server.ServerOption.list;
import static dev.parley.server.ServerOption.onOff;
import static dev.parley.server.ServerOption.value;

import dev.parley.server.session.Registration;
import dev.parley.server.stun.StunSettings;
import java.util.List;

/**
 * Every option of {@code parley server}, in the order the help and the README list them. To add an
 * option: declare it here, give {@link ServerConfigBuilder} the setter it names, and add its row to
 * the README's Configuration table (a test holds the two together).
 */
public final class ServerOptions {
  private static final ServerOption<?> DATA =
      value("--data", "PARLEY_DATA", "DIR", ServerOption::path, ServerConfigBuilder::dataDirectory)
          .byDefault("data")
          .documentedDefault("./data")
          .help("Directory of the embedded database");

  private static final ServerOption<?> DATABASE_URL =
      value(
              "--db-url",
              "PARLEY_DB_URL",
              "JDBC_URL",
              ServerOption::text,
              ServerConfigBuilder::databaseUrl)
          .help(
              "Use this database instead of the embedded one, e.g."
                  + " jdbc:postgresql://db:5432/parley");

  private static final ServerOption<?> DATABASE_USER =
      value(
              "--db-user",
              "PARLEY_DB_USER",
              "USER",
              ServerOption::text,
              ServerConfigBuilder::databaseUser)
          .help("Database user");

  private static final ServerOption<?> DATABASE_PASSWORD =
      value(
              "--db-password",
              "PARLEY_DB_PASSWORD",
              "PASSWORD",
              ServerOption::text,
              ServerConfigBuilder::databasePassword)
          .help("Database password; prefer the environment variable");

  /**
   * The options that say where the directory's database is: {@code parley invite} takes them too,
   * to work on the database the server uses.
   */
  public static final List<ServerOption<?>> DATABASE =
      List.of(DATA, DATABASE_URL, DATABASE_USER, DATABASE_PASSWORD);

  public static final List<ServerOption<?>> ALL =
      List.of(
          value("--host", "PARLEY_HOST", "ADDRESS", ServerOption::text, ServerConfigBuilder::host)
              .byDefault("127.0.0.1")
              .help("Address to listen on; 0.0.0.0 for every interface"),
          value("--port", "PARLEY_PORT", "PORT", ServerOption::integer, ServerConfigBuilder::port)
              .byDefault("8080")
              .help("Port for HTTP and WebSocket; 0 picks a free one"),
          DATA,
          DATABASE_URL,
          DATABASE_USER,
          DATABASE_PASSWORD,
          value(
                  "--max-frame-bytes",
                  "PARLEY_MAX_FRAME_BYTES",
                  "BYTES",
                  ServerOption::integer,
                  ServerConfigBuilder::maxFrameBytes)
              .byDefault("65536")
              .help("Largest WebSocket message a client may send"),
          value(
                  "--rate-limit",
                  "PARLEY_RATE_LIMIT",
                  "PER_SECOND",
                  ServerOption::decimal,
                  ServerConfigBuilder::messagesPerSecond)
              .byDefault("50")
              .help("Messages per second one connection may send, sustained"),
          value(
                  "--rate-burst",
                  "PARLEY_RATE_BURST",
                  "MESSAGES",
                  ServerOption::integer,
                  ServerConfigBuilder::messageBurst)
              .byDefault("200")
              .help("Messages one connection may send at once"),
          value(
                  "--max-connections-per-address",
                  "PARLEY_MAX_CONNECTIONS_PER_ADDRESS",
                  "N",
                  ServerOption::integer,
                  ServerConfigBuilder::maxConnectionsPerAddress)
              .byDefault("64")
              .help("WebSocket connections allowed from one IP address"),
          value(
                  "--max-sockets-per-address",
                  "PARLEY_MAX_SOCKETS_PER_ADDRESS",
                  "N",
                  ServerOption::integer,
                  ServerConfigBuilder::maxSocketsPerAddress)
              .documentedDefault("128")
              .help(
                  "TCP connections of any kind allowed from one IP address; one more is closed at"
                      + " once",
                  "Default: twice --max-connections-per-address (128)."),
          value(
                  "--request-timeout",
                  "PARLEY_REQUEST_TIMEOUT",
                  "DURATION",
                  Durations::parse,
                  ServerConfigBuilder::requestTimeout)
              .byDefault("10s")
              .help(
                  "Time a new connection has to send a complete HTTP request head (and then its"
                      + " body); else it is closed"),
          value(
                  "--idle-timeout",
                  "PARLEY_IDLE_TIMEOUT",
                  "DURATION",
                  Durations::parse,
                  ServerConfigBuilder::idleTimeout)
              .byDefault("30s")
              .help("Time an HTTP keep-alive connection may wait idle for its next request"),
          list(
                  "--trusted-proxies",
                  "PARLEY_TRUSTED_PROXIES",
                  "ADDRESS[/BITS]",
                  ServerConfigBuilder::trustedProxies)
              .help(
                  "Load balancers whose connections may begin with a PROXY protocol header (v1"
                      + " or v2): per-address limits and logs then see the client it names, not"
                      + " the balancer; repeatable or comma-separated, e.g. 10.0.0.0/8"),
          value(
                  "--transport",
                  "PARLEY_TRANSPORT",
                  "nio|epoll|io_uring",
                  ServerOption::transport,
                  ServerConfigBuilder::transport)
              .documentedDefault("epoll")
              .help(
                  "Netty's transport for the server's sockets: epoll and io_uring are Linux's,"
                      + " through a native library (Linux x86-64 only); nio runs everywhere; one"
                      + " asked for that cannot load stops the start",
                  "Default: epoll, or nio where epoll cannot load (the log says which runs)."),
          value(
                  "--registration",
                  "PARLEY_REGISTRATION",
                  "open|invite|closed",
                  Registration.Mode::of,
                  ServerConfigBuilder::registration)
              .byDefault("open")
              .help(
                  "Whether new names can be registered; invite: only with an invite code made by"
                      + " parley invite; closed: only names already registered log in"),
          value(
                  "--registrations-per-hour",
                  "PARLEY_REGISTRATIONS_PER_HOUR",
                  "N",
                  ServerOption::integer,
                  ServerConfigBuilder::registrationsPerHour)
              .byDefault("10")
              .help("New names one IP address may register in an hour (all at once at most)"),
          value(
                  "--login-timeout",
                  "PARLEY_LOGIN_TIMEOUT",
                  "DURATION",
                  Durations::parse,
                  ServerConfigBuilder::loginTimeout)
              .byDefault("10s")
              .help("Time a new connection has to log in"),
          value(
                  "--heartbeat-interval",
                  "PARLEY_HEARTBEAT_INTERVAL",
                  "DURATION",
                  Durations::parse,
                  ServerConfigBuilder::heartbeatInterval)
              .byDefault("15s")
              .help(
                  "How often the server checks each client; one silent since the last check is"
                      + " pinged"),
          value(
                  "--heartbeat-timeout",
                  "PARLEY_HEARTBEAT_TIMEOUT",
                  "DURATION",
                  Durations::parse,
                  ServerConfigBuilder::heartbeatTimeout)
              .byDefault("45s")
              .help(
                  "Silence after which a client is taken for gone and announced as left, found at"
                      + " the next check"),
          value(
                  "--presence",
                  "PARLEY_PRESENCE",
                  "MODE",
                  ServerOption::presenceMode,
                  ServerConfigBuilder::presenceMode)
              .byDefault("everyone")
              .help(
                  "Whom each client hears of: 'everyone' online, or only the 'contacts' it watches"
                      + " (the welcome then lists nobody, so a login costs the same however many"
                      + " are online)"),
          value(
                  "--presence-batch",
                  "PARLEY_PRESENCE_BATCH",
                  "DURATION",
                  Durations::parse,
                  ServerConfigBuilder::presenceBatchWindow)
              .byDefault("20ms")
              .help(
                  "At most one presence message per window; under sustained churn frames are"
                      + " spaced further, to about 25,000 presence frames/s in all"),
          value("--redis", "PARLEY_REDIS", "URI", ServerOption::text, ServerConfigBuilder::redis)
              .help(
                  "Run as one node of several: Redis, such as redis://127.0.0.1:6379, holds who"
                      + " is online on which node and carries presence and signals between"
                      + " nodes; needs --db-url, the directory all nodes share"),
          value(
                  "--node-id",
                  "PARLEY_NODE_ID",
                  "ID",
                  ServerOption::text,
                  ServerConfigBuilder::nodeId)
              .help(
                  "This node's id among the nodes of a deployment (with --redis), unique;"
                      + " by default the host name and six random hex digits"),
          value(
                  "--stun-port",
                  "PARLEY_STUN_PORT",
                  "PORT",
                  ServerOption::text,
                  ServerConfigBuilder::stunPort)
              .documentedDefault(String.valueOf(StunSettings.DEFAULT_PORT))
              .help(
                  "UDP port of the server's own STUN responder, on --host; 'off' for none",
                  "Default: "
                      + StunSettings.DEFAULT_PORT
                      + ", and if that is taken (say by coturn), none of its own. The next port"
                      + " is opened too when free, for parley doctor's NAT check."),
          list("--stun", "PARLEY_STUN_URLS", "URL", ServerConfigBuilder::stunUrls)
              .help(
                  "Another STUN URL handed to clients besides the server's own, e.g."
                      + " stun:stun.example.org:3478; repeatable or comma-separated"),
          list("--turn", "PARLEY_TURN_URLS", "URL", ServerConfigBuilder::turnUrls)
              .help(
                  "TURN URL handed to clients: turn:HOST[:PORT] (offered over UDP and TCP),"
                      + " turn:HOST:PORT?transport=udp|tcp, or turns:HOST:PORT for TLS; repeatable"
                      + " or comma-separated; needs --turn-secret"),
          value(
                  "--turn-secret",
                  "PARLEY_TURN_SECRET",
                  "SECRET",
                  ServerOption::text,
                  ServerConfigBuilder::turnSecret)
              .help(
                  "The static-auth-secret of your coturn (use-auth-secret); prefer the environment"
                      + " variable"),
          value(
                  "--turn-ttl",
                  "PARLEY_TURN_TTL",
                  "DURATION",
                  Durations::parse,
                  ServerConfigBuilder::turnTtl)
              .byDefault("1h")
              .help("Lifetime of the TURN credentials minted at each login"),
          value(
                  "--peerjs-path",
                  "PARLEY_PEERJS_PATH",
                  "PATH",
                  ServerOption::text,
                  ServerConfigBuilder::peerJsPath)
              .byDefault("/peerjs")
              .help(
                  "Mount path of the PeerJS-compatible endpoint (the PeerJS client's 'path');"
                      + " 'off' to disable"),
          value(
                  "--peerjs-key",
                  "PARLEY_PEERJS_KEY",
                  "KEY",
                  ServerOption::text,
                  ServerConfigBuilder::peerJsKey)
              .byDefault("peerjs")
              .help("API key PeerJS clients must present (the client's 'key')"),
          value(
                  "--peerjs-expire-timeout",
                  "PARLEY_PEERJS_EXPIRE_TIMEOUT",
                  "DURATION",
                  Durations::parse,
                  ServerConfigBuilder::peerJsExpireTimeout)
              .byDefault("5s")
              .help(
                  "How long a message waits for a PeerJS peer that is not connected before its"
                      + " sender gets EXPIRE"),
          value(
                  "--peerjs-alive-timeout",
                  "PARLEY_PEERJS_ALIVE_TIMEOUT",
                  "DURATION",
                  Durations::parse,
                  ServerConfigBuilder::peerJsAliveTimeout)
              .byDefault("60s")
              .help("Silence after which a PeerJS client is dropped"),
          value(
                  "--peerjs-concurrent-limit",
                  "PARLEY_PEERJS_CONCURRENT_LIMIT",
                  "N",
                  ServerOption::integer,
                  ServerConfigBuilder::peerJsConcurrentLimit)
              .byDefault("5000")
              .help("PeerJS clients connected at once"),
          onOff(
                  "--peerjs-allow-discovery",
                  "PARLEY_PEERJS_ALLOW_DISCOVERY",
                  ServerConfigBuilder::peerJsAllowDiscovery)
              .help("List connected PeerJS ids at <path>/<key>/peers"),
          value(
                  "--tls-cert",
                  "PARLEY_TLS_CERT",
                  "FILE",
                  ServerOption::path,
                  ServerConfigBuilder::tlsCertificate)
              .help(
                  "Serve HTTPS and WSS with this certificate chain (PEM, leaf first); needs"
                      + " --tls-key"),
          value(
                  "--tls-key",
                  "PARLEY_TLS_KEY",
                  "FILE",
                  ServerOption::path,
                  ServerConfigBuilder::tlsKey)
              .help("The certificate's private key (PEM, unencrypted PKCS#8: BEGIN PRIVATE KEY)"),
          onOff("--tls-self-signed", "PARLEY_TLS_SELF_SIGNED", ServerConfigBuilder::tlsSelfSigned)
              .help(
                  "Serve HTTPS and WSS with a self-signed certificate, made once and kept in"
                      + " <data>/tls, for trying Parley on a LAN"),
          list("--tls-name", "PARLEY_TLS_NAMES", "NAME", ServerConfigBuilder::tlsNames)
              .help(
                  "Host name or IP address the self-signed certificate is for; repeatable or"
                      + " comma-separated",
                  "Default: localhost, the loopback addresses, this machine's name and"
                      + " addresses."));

  private ServerOptions() {}
}
