package dev.parley.app.doctor;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;

/** What one STUN Binding request to the server found: the public address it sees, or why not. */
public sealed interface StunCheck {
  String describe();

  /**
   * The server answered.
   *
   * @param server where the request went: the host the user typed, at the server's STUN port
   * @param local this computer's address toward the server (its IP for that route and the socket's
   *     port), if the system says
   * @param publicAddress where the server saw the request come from
   * @param otherAddress the server's second STUN address for the NAT check, if it named one
   */
  record Mapped(
      InetSocketAddress server,
      Optional<InetSocketAddress> local,
      InetSocketAddress publicAddress,
      Duration took,
      Optional<InetSocketAddress> otherAddress)
      implements StunCheck {

    /** Whether something between here and the server rewrote the address (or it is unknown). */
    public boolean behindNat() {
      return local.map(l -> !l.equals(publicAddress)).orElse(true);
    }

    @Override
    public String describe() {
      String seen =
          "ok: " + Addresses.text(server) + " sees you at " + Addresses.text(publicAddress);
      if (!behindNat()) {
        return seen + ", your own address (no NAT)";
      }
      return seen
          + local
              .map(l -> " (behind a NAT: your address here is " + Addresses.text(l) + ")")
              .orElse("");
    }
  }

  /** No answer in time: UDP is blocked somewhere, or nothing answers STUN there. */
  record NoAnswer(InetSocketAddress server, Duration timeout) implements StunCheck {
    @Override
    public String describe() {
      return "no answer from "
          + Addresses.text(server)
          + " within "
          + Addresses.text(timeout)
          + ": UDP to the server seems blocked on this network (or the server answers no STUN)";
    }
  }

  /** The server answered with an error, or the request could not be sent. */
  record Failed(String server, String why) implements StunCheck {
    @Override
    public String describe() {
      return "failed: " + server + ": " + why;
    }
  }

  /** There was no STUN server to ask. */
  record NotOffered(String why) implements StunCheck {
    @Override
    public String describe() {
      return "not checked: " + why;
    }
  }
}
