package dev.parley.stun;

import java.net.InetSocketAddress;

/** How a {@link TurnProbe} went; network trouble is a result too, never an exception. */
public sealed interface TurnProbeResult {
  /**
   * The server allocated a relay, and the probe released it at once.
   *
   * @param relayedAddress the relay's address (XOR-RELAYED-ADDRESS), which peers would send to
   * @param mappedAddress the probe's own address as the server saw it (XOR-MAPPED-ADDRESS)
   */
  record Allocated(InetSocketAddress relayedAddress, InetSocketAddress mappedAddress)
      implements TurnProbeResult {}

  /**
   * The server answered with an error. 401 after credentials were sent means a wrong secret or
   * expired credentials; 403 forbidden, 437 allocation mismatch, 486 quota reached, 508 no
   * capacity.
   */
  record Refused(int code, String reason) implements TurnProbeResult {}

  /** No TURN conversation happened: no answer in time, refused, TLS failed, name not resolved. */
  record Unreachable(String why) implements TurnProbeResult {}
}
