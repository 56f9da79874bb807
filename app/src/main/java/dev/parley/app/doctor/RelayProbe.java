package dev.parley.app.doctor;

import dev.parley.protocol.IceServer;
import dev.parley.stun.TurnProbe;
import dev.parley.stun.TurnProbeResult;
import dev.parley.stun.TurnUrl;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Tries each TURN URL the server handed out at login with the credentials it handed out: a real
 * allocation, released at once. The URLs are tried side by side, so the whole check takes one
 * timeout however many there are.
 */
final class RelayProbe {
  private RelayProbe() {}

  static RelayCheck check(Login login, Health health, Duration timeout, Duration limit) {
    return switch (login) {
      case Login.NoName none -> withoutLogin(health);
      case Login.Failed failed -> new RelayCheck.NotChecked("could not log in: " + failed.why());
      case Login.Welcomed welcomed -> probe(welcomed.iceServers(), timeout, limit);
    };
  }

  /**
   * Without a name there are no credentials; the server's own check still tells whether it has one.
   */
  private static RelayCheck withoutLogin(Health health) {
    String howTo =
        "add --name NAME (or set PARLEY_NAME) to try the relay from here; it logs in as NAME,"
            + " which registers the name if it is new";
    return switch (health.turnState().orElse("")) {
      case "off" -> new RelayCheck.NotOffered();
      case "" -> new RelayCheck.NotChecked(howTo);
      default ->
          new RelayCheck.NotChecked(
              "this server offers a relay (its own check: "
                  + health.turnState().orElseThrow()
                  + "); "
                  + howTo);
    };
  }

  /** A TURN URL being tried. */
  private record Running(String url, Bounded<TurnAttempt> attempt) {}

  private static RelayCheck probe(List<IceServer> servers, Duration timeout, Duration limit) {
    List<Running> running = new ArrayList<>();
    for (IceServer server : servers) {
      String username = server.usernameIfAny().orElse("");
      String password = server.credentialIfAny().orElse("");
      for (String url : server.urls()) {
        if (isTurn(url)) {
          running.add(
              new Running(url, Bounded.start(() -> attempt(url, username, password, timeout))));
        }
      }
    }
    if (running.isEmpty()) {
      return new RelayCheck.NotOffered();
    }
    Instant deadline = Instant.now().plus(limit);
    List<TurnAttempt> attempts = new ArrayList<>();
    for (Running r : running) {
      attempts.add(
          r.attempt()
              .await(
                  Duration.between(Instant.now(), deadline),
                  () ->
                      new TurnAttempt(
                          r.url(),
                          overTcp(r.url()),
                          new TurnProbeResult.Unreachable(
                              "no answer from " + r.url() + " within " + Addresses.text(limit)))));
    }
    return new RelayCheck.Probed(attempts);
  }

  private static TurnAttempt attempt(
      String url, String username, String password, Duration timeout) {
    TurnUrl parsed;
    try {
      parsed = TurnUrl.parse(url);
    } catch (IllegalArgumentException e) {
      return new TurnAttempt(url, false, new TurnProbeResult.Unreachable(e.getMessage()));
    }
    return new TurnAttempt(
        url,
        parsed.effectiveTransport() == TurnUrl.Transport.TCP,
        TurnProbe.allocate(parsed, username, password, timeout));
  }

  private static boolean isTurn(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    return lower.startsWith("turn:") || lower.startsWith("turns:");
  }

  private static boolean overTcp(String url) {
    try {
      return TurnUrl.parse(url).effectiveTransport() == TurnUrl.Transport.TCP;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
