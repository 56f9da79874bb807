package dev.parley.app.doctor;

import dev.parley.protocol.IceServer;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the STUN checks send their Binding requests: the host the user typed, at the port {@code
 * /health} names, else the welcome's STUN URL; or why there is nowhere to send them.
 */
sealed interface StunTarget {
  Pattern STUN_URL = Pattern.compile("stun:(\\[[0-9A-Fa-f:.]+\\]|[^:\\[\\]]+)(?::(\\d{1,5}))?");
  int DEFAULT_PORT = 3478;

  /**
   * @param alternatePort the server's second port for the NAT check, if {@code /health} names it
   */
  record At(String host, int port, OptionalInt alternatePort) implements StunTarget {}

  record Nowhere(String why) implements StunTarget {}

  static StunTarget of(Health health, Login login, String typedHost) {
    String why;
    Optional<Health.Stun> stun = health.stun();
    if (stun.isPresent() && stun.get().port().isPresent()) {
      int port = stun.get().port().getAsInt();
      switch (stun.get().state()) {
        case "listening" -> {
          return new At(typedHost, port, stun.get().alternatePort());
        }
        case "elsewhere" -> {
          return new At(typedHost, port, OptionalInt.empty());
        }
        case "unavailable" ->
            why = "the server's STUN port " + port + " is taken by something that answers no STUN";
        default -> why = "the server's STUN is '" + stun.get().state() + "'";
      }
    } else if (stun.isPresent() && stun.get().state().equals("off")) {
      why = "the server's STUN responder is switched off";
    } else {
      why = "the server's /health names no STUN port";
    }
    if (login instanceof Login.Welcomed welcomed) {
      for (IceServer server : welcomed.iceServers()) {
        for (String url : server.urls()) {
          Matcher m = STUN_URL.matcher(url);
          if (m.matches()) {
            int port = m.group(2) == null ? DEFAULT_PORT : Integer.parseInt(m.group(2));
            return new At(m.group(1), port, OptionalInt.empty());
          }
        }
      }
      return new Nowhere(why + ", and its welcome names no STUN server");
    }
    return new Nowhere(why);
  }
}
