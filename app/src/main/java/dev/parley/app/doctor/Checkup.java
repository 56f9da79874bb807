package dev.parley.app.doctor;

/**
 * Everything {@code parley doctor} found, in the order it reports it, and the verdict on it.
 *
 * @param address the server as the user typed it
 */
public record Checkup(
    String address,
    ServerCheck server,
    WebSocketCheck webSocket,
    StunCheck stun,
    NatCheck nat,
    RelayCheck relay) {

  public Verdict verdict() {
    return Verdict.decide(facts());
  }

  Verdict.Facts facts() {
    Verdict.Udp udp =
        switch (stun) {
          case StunCheck.Mapped mapped -> mapped.behindNat() ? Verdict.Udp.NAT : Verdict.Udp.OPEN;
          case StunCheck.NoAnswer noAnswer -> Verdict.Udp.BLOCKED;
          case StunCheck.Failed failed -> Verdict.Udp.UNCHECKED;
          case StunCheck.NotOffered notOffered -> Verdict.Udp.UNCHECKED;
        };
    return new Verdict.Facts(
        webSocket instanceof WebSocketCheck.Answered,
        udp,
        nat.mapping(),
        relay.relay(udp == Verdict.Udp.BLOCKED));
  }
}
