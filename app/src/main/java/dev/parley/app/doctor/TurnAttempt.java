package dev.parley.app.doctor;

import dev.parley.stun.TurnProbeResult;

/**
 * One TURN URL the server hands out, tried with the credentials it handed out.
 *
 * @param url the URL as the server sent it
 * @param overTcp whether it goes over TCP or TLS, which still works where UDP is blocked
 */
public record TurnAttempt(String url, boolean overTcp, TurnProbeResult result) {
  /** The status code of a refusal that means the credentials were not accepted. */
  static final int UNAUTHORIZED = 401;

  public boolean allocated() {
    return result instanceof TurnProbeResult.Allocated;
  }

  /** {@code allocated}, {@code refused} or {@code unreachable}, as {@code --json} writes it. */
  public String outcome() {
    return switch (result) {
      case TurnProbeResult.Allocated a -> "allocated";
      case TurnProbeResult.Refused r -> "refused";
      case TurnProbeResult.Unreachable u -> "unreachable";
    };
  }

  String describe() {
    return switch (result) {
      case TurnProbeResult.Allocated a ->
          "allocated: " + url + " relays at " + Addresses.text(a.relayedAddress());
      case TurnProbeResult.Refused r ->
          "refused: "
              + url
              + " answered "
              + r.code()
              + " "
              + r.reason()
              + (r.code() == UNAUTHORIZED
                  ? ": the relay refused the credentials this server hands out: tell its operator"
                  : "");
      case TurnProbeResult.Unreachable u -> "unreachable: " + u.why();
    };
  }
}
