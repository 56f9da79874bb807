package dev.parley.app.doctor;

import java.net.InetSocketAddress;

/**
 * How the NAT maps ports (the idea of RFC 5780's mapping test): two Binding requests from one
 * socket to two ports of the server. The same public address both times means one public port per
 * socket, so hole punching works; a different one means a port per destination (a symmetric NAT),
 * so the port a peer learns is not the one its packets would have to reach.
 */
public sealed interface NatCheck {
  Mapping mapping();

  String describe();

  /** The NAT's mapping behaviour, with its name in {@code --json} output. */
  enum Mapping {
    /** One public port per socket, whatever the destination: hole punching works. */
    ENDPOINT_INDEPENDENT("endpoint-independent"),
    /** A new public port per destination: a symmetric (strict) NAT. */
    PER_DESTINATION("per-destination"),
    /** Not checked, or the check could not be made. */
    UNKNOWN("unknown");

    private final String wireName;

    Mapping(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  /**
   * Both requests were answered.
   *
   * @param alternateServer where the second request went: the same host, the server's other port
   * @param first the public address the first request was seen from
   * @param second the public address the second request was seen from
   * @param behindNat whether the first check found a NAT at all
   */
  record Compared(
      InetSocketAddress alternateServer,
      InetSocketAddress first,
      InetSocketAddress second,
      boolean behindNat)
      implements NatCheck {
    @Override
    public Mapping mapping() {
      return first.equals(second) ? Mapping.ENDPOINT_INDEPENDENT : Mapping.PER_DESTINATION;
    }

    @Override
    public String describe() {
      String other = Addresses.text(alternateServer);
      if (mapping() == Mapping.ENDPOINT_INDEPENDENT) {
        return behindNat
            ? "endpoint-independent: "
                + other
                + " sees the same public port, so your NAT keeps one public port per socket"
                + " and hole punching works"
            : "endpoint-independent: " + other + " sees the same address (no NAT in between)";
      }
      return "per-destination: "
          + other
          + " sees you at "
          + Addresses.text(second)
          + ", not "
          + Addresses.text(first)
          + ": your NAT maps ports per destination (a strict NAT), so direct connections work only"
          + " with peers on open networks or behind friendly NATs; the others need the relay";
    }
  }

  /** The mapping could not be checked; {@code why} says why. */
  record Unknown(String why) implements NatCheck {
    @Override
    public Mapping mapping() {
      return Mapping.UNKNOWN;
    }

    @Override
    public String describe() {
      return "unknown: " + why;
    }
  }
}
