package dev.parley.testkit;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.OptionalInt;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A private TURN server for tests: Debian's coturn ({@code /usr/bin/turnserver}) on free ports of
 * one address (127.0.0.1 unless told otherwise), with TURN REST credentials ({@code
 * use-auth-secret}), everything it writes in a temporary directory, and no configuration file,
 * database, CLI or DTLS. TLS is off unless asked for, and then uses a self-signed certificate made
 * for the test with {@code openssl}.
 *
 * <p>{@link #start()} returns once the server has opened every listener and (when it runs in this
 * network namespace) answered a STUN Binding request. {@link #close()} stops it by its pid; so does
 * a shutdown hook if the JVM exits first.
 */
public final class CoturnServer implements AutoCloseable {
  private static final System.Logger log = System.getLogger(CoturnServer.class.getName());
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private final String listeningIp;
  private final String secret;
  private final String realm;
  private final Path directory;
  private final Process process;
  private final ProcessHandle turnserver;
  private final int port;
  private final OptionalInt tlsPort;
  private final Thread shutdownHook = new Thread(this::close, "coturn-shutdown");
  private boolean closed;

  CoturnServer(
      CoturnOptions options,
      Path directory,
      Process process,
      ProcessHandle turnserver,
      int port,
      OptionalInt tlsPort) {
    // Copied: the options are a builder, which a test may go on changing.
    this.listeningIp = options.listeningIp();
    this.secret = options.secret();
    this.realm = options.realm();
    this.directory = directory;
    this.process = process;
    this.turnserver = turnserver;
    this.port = port;
    this.tlsPort = tlsPort;
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Starts a server with the defaults: 127.0.0.1, a random secret, no TLS. */
  public static CoturnServer start() {
    return builder().start();
  }

  public static CoturnOptions builder() {
    return new CoturnOptions();
  }

  /** The address every listener and relay is on. */
  public String listeningIp() {
    return listeningIp;
  }

  /** The port of the UDP and TCP listeners (and, with TLS, of a TLS listener too). */
  public int port() {
    return port;
  }

  /** The port of the TLS listener. */
  public int tlsPort() {
    return tlsPort.orElseThrow(() -> new IllegalStateException("this coturn runs without TLS"));
  }

  public String secret() {
    return secret;
  }

  public String realm() {
    return realm;
  }

  /** The self-signed certificate of the TLS listener, in PEM. */
  public Path certificate() {
    if (tlsPort.isEmpty()) {
      throw new IllegalStateException("this coturn runs without TLS");
    }
    return directory.resolve("cert.pem");
  }

  public long pid() {
    return turnserver.pid();
  }

  /**
   * TURN REST credentials valid for {@code validity} from now (negative: already expired): the
   * username {@code <expiry unix seconds>:<name>} and, as password, the base64 HMAC-SHA1 of that
   * username under the secret, as Parley's server mints them.
   */
  public Credentials credentials(String name, Duration validity) {
    String username = Instant.now().plus(validity).getEpochSecond() + ":" + name;
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(secret().getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      byte[] hmac = mac.doFinal(username.getBytes(StandardCharsets.UTF_8));
      return new Credentials(username, Base64.getEncoder().encodeToString(hmac));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has HmacSHA1", e);
    }
  }

  /** A TURN username and password. */
  public record Credentials(String username, String password) {}

  /** The last {@code lines} lines of the server's log, for failure messages. */
  public String log(int lines) {
    return Processes.tail(directory.resolve(CoturnLauncher.LOG), lines);
  }

  /** Stops the server (SIGTERM, then SIGKILL after a grace) and deletes its directory. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    Processes.dropShutdownHook(shutdownHook);
    for (ProcessHandle handle : List.of(turnserver, process.toHandle())) {
      Processes.stop(handle, STOP_GRACE);
    }
    Processes.deleteRecursively(directory);
    log.log(System.Logger.Level.INFO, "Stopped coturn on {0}:{1,number,#}", listeningIp(), port);
  }
}
