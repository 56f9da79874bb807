package dev.parley.app.doctor;

import dev.parley.protocol.UserName;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the checkup in order: the server's HTTP side, its WebSocket, a login (only with a name, for
 * TURN credentials), STUN, the NAT's mapping, TURN. Every step waits at most the timeout (plus
 * {@link #GRACE} for what a step cannot bound itself), so the whole checkup takes at most about six
 * timeouts.
 */
public final class Doctor {
  /** What a step may take beyond the timeout before it is given up: a DNS lookup, say. */
  static final Duration GRACE = Duration.ofSeconds(1);

  private static final Logger log = LoggerFactory.getLogger(Doctor.class);

  /** Who to log in as, to try the relay: a name and the profile holding its identity key. */
  public record Account(UserName name, Path profile) {}

  /**
   * @param address the server as the user typed it
   * @param webSocket its WebSocket endpoint ({@code ServerAddress.parse} of {@code address})
   * @param account who to log in as, if anyone
   * @param timeout the longest wait of each step
   */
  public record Target(
      String address, URI webSocket, Optional<Account> account, Duration timeout) {}

  private Doctor() {}

  /**
   * @throws ServerUnreachableException if the server's HTTP side does not answer at all
   */
  public static Checkup run(Target target) {
    Duration timeout = target.timeout();
    Duration limit = timeout.plus(GRACE);
    URI webSocket = target.webSocket();
    ServerProbe server = new ServerProbe(timeout);

    URI health = ServerProbe.healthUrl(webSocket);
    log.info("Asking {}", health);
    ServerCheck http =
        Bounded.within(
            limit,
            () -> server.health(webSocket),
            () -> {
              throw new ServerUnreachableException(
                  health, new HttpTimeoutException("no answer within " + Addresses.text(limit)));
            });
    log.info("Opening {}", webSocket);
    WebSocketCheck ws =
        Bounded.within(
            limit,
            () -> server.webSocket(webSocket),
            () ->
                new WebSocketCheck.Failed(
                    webSocket, "no login challenge within " + Addresses.text(timeout)));
    Login login =
        target
            .account()
            .map(
                account -> {
                  log.info(
                      "Logging in as {} with the profile {}", account.name(), account.profile());
                  return LoginProbe.login(webSocket, account, limit);
                })
            .orElseGet(Login.NoName::new);
    // Not the login itself: a welcome carries TURN credentials, which have no place in a log.
    log.info("Login: {}", login.getClass().getSimpleName());

    Network network = network(StunTarget.of(http.health(), login, webSocket.getHost()), timeout);
    RelayCheck relay = RelayProbe.check(login, http.health(), timeout, limit);
    log.info("Relay: {}", relay);
    return new Checkup(target.address(), http, ws, network.stun(), network.nat(), relay);
  }

  private record Network(StunCheck stun, NatCheck nat) {}

  /** The STUN and NAT checks, both from one socket: the NAT check compares what they saw. */
  private static Network network(StunTarget target, Duration timeout) {
    Duration limit = timeout.plus(GRACE);
    return switch (target) {
      case StunTarget.Nowhere nowhere ->
          new Network(
              new StunCheck.NotOffered(nowhere.why()),
              new NatCheck.Unknown("no STUN server to check it with"));
      case StunTarget.At at -> {
        try (DatagramSocket socket = new DatagramSocket()) {
          StunProbe probe = new StunProbe(socket, timeout);
          StunCheck stun = stunBinding(probe, at, limit);
          log.info("STUN: {}", stun);
          NatCheck nat =
              Bounded.within(
                  limit,
                  () -> probe.mapping(stun, at.alternatePort()),
                  () ->
                      new NatCheck.Unknown(
                          "the server's second STUN port did not answer within "
                              + Addresses.text(timeout)));
          log.info("NAT: {}", nat);
          yield new Network(stun, nat);
        } catch (IOException e) {
          yield new Network(
              new StunCheck.Failed(at.host() + ":" + at.port(), "no UDP socket: " + e.getMessage()),
              new NatCheck.Unknown("no UDP socket to check it with"));
        }
      }
    };
  }

  private static StunCheck stunBinding(StunProbe probe, StunTarget.At at, Duration limit) {
    String where = at.host() + ":" + at.port();
    return Bounded.within(
        limit,
        () -> {
          InetSocketAddress server;
          try {
            server = new InetSocketAddress(InetAddress.getByName(at.host()), at.port());
          } catch (UnknownHostException e) {
            return new StunCheck.Failed(where, "cannot resolve " + at.host());
          }
          log.info("STUN Binding request to {}", server);
          return probe.binding(server);
        },
        () ->
            new StunCheck.Failed(
                where, "no answer, not even from DNS, within " + Addresses.text(limit)));
  }
}
