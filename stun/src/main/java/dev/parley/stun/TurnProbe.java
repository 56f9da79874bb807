package dev.parley.stun;

import dev.parley.stun.TurnProbeResult.Unreachable;
import java.io.IOException;
import java.net.ConnectException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Checks a TURN server the way a browser would use it: a real Allocate with the given credentials
 * (Parley mints TURN REST ones: {@code <expiry>:<name>} and a base64 HMAC-SHA1 of it), released at
 * once. Blocking, on the JDK's sockets; every network outcome is a {@link TurnProbeResult}.
 */
public final class TurnProbe {
  private TurnProbe() {}

  /** Whether a {@code turns:} server's certificate chain and name are checked. */
  public enum Certificates {
    /** Check them as a browser would (the JDK's trust store; host name or IP address). */
    VERIFY,
    /** Accept any certificate, such as a test server's self-signed one; still encrypted. */
    TRUST_ANY
  }

  /** Allocates and releases a relay on {@code url}, verifying a {@code turns:} certificate. */
  public static TurnProbeResult allocate(
      TurnUrl url, String username, String password, Duration timeout) {
    return allocate(url, username, password, timeout, Certificates.VERIFY);
  }

  /**
   * Allocates and releases a relay on {@code url} over its {@link TurnUrl#effectiveTransport()
   * transport}, all within {@code timeout} (a host name is resolved first, by the system's
   * resolver, outside it).
   */
  public static TurnProbeResult allocate(
      TurnUrl url, String username, String password, Duration timeout, Certificates certificates) {
    Instant deadline = Instant.now().plus(timeout);
    InetSocketAddress server;
    try {
      server = new InetSocketAddress(InetAddress.getByName(url.host()), url.port());
    } catch (UnknownHostException e) {
      return new Unreachable("cannot resolve " + url.host() + ": " + e.getMessage());
    }
    try (StunChannel channel = open(url, server, certificates, deadline)) {
      return new TurnAllocation(channel, username, password, deadline).run();
    } catch (StunTimeoutException e) {
      return new Unreachable("no answer from " + url + " within " + timeout.toMillis() + " ms");
    } catch (ConnectException e) {
      return new Unreachable("cannot connect to " + url + ": " + e.getMessage());
    } catch (PortUnreachableException e) {
      return new Unreachable("nothing listens on " + url + " (ICMP port unreachable)");
    } catch (SocketTimeoutException e) {
      return new Unreachable("no connection to " + url + " within " + timeout.toMillis() + " ms");
    } catch (SSLException e) {
      return new Unreachable("TLS with " + url + " failed: " + e.getMessage());
    } catch (IOException e) {
      return new Unreachable(url + ": " + e);
    }
  }

  private static StunChannel open(
      TurnUrl url, InetSocketAddress server, Certificates certificates, Instant deadline)
      throws IOException {
    if (url.effectiveTransport() == TurnUrl.Transport.UDP) {
      DatagramSocket socket = new DatagramSocket();
      // Connected, so that an ICMP port unreachable fails the probe at once.
      socket.connect(server);
      return new UdpStunChannel(socket, server, true);
    }
    Socket socket = new Socket();
    try {
      socket.connect(server, remainingMillis(deadline));
      socket.setTcpNoDelay(true);
      if (url.scheme() == TurnUrl.Scheme.TURNS) {
        socket = handshake(socket, url, certificates, deadline);
      }
      return new StreamStunChannel(socket);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  private static SSLSocket handshake(
      Socket plain, TurnUrl url, Certificates certificates, Instant deadline) throws IOException {
    SSLSocket socket =
        (SSLSocket)
            TlsContexts.of(certificates)
                .getSocketFactory()
                .createSocket(plain, url.host(), url.port(), true);
    SSLParameters parameters = socket.getSSLParameters();
    if (certificates == Certificates.VERIFY) {
      // Off by default for raw sockets: without it any valid certificate for any name would do.
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
    }
    socket.setSSLParameters(parameters);
    socket.setSoTimeout(remainingMillis(deadline));
    socket.startHandshake();
    return socket;
  }

  private static int remainingMillis(Instant deadline) {
    long millis = Duration.between(Instant.now(), deadline).toMillis();
    if (millis <= 0) {
      throw new StunTimeoutException("the probe's time ran out before it could connect");
    }
    return (int) Math.min(Integer.MAX_VALUE, millis);
  }
}
