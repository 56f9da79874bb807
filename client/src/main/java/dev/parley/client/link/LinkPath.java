package dev.parley.client.link;

import java.util.Locale;
import java.util.Optional;

/**
 * How an open link reaches its peer: the candidate pair ICE selected, and what kind of path that
 * makes. A person reads {@link #describe()}; tools read the fields.
 *
 * @param kind direct, direct through NAT, or relayed
 * @param local our end of the selected pair
 * @param remote the peer's end of the selected pair
 */
public record LinkPath(Kind kind, Candidate local, Candidate remote) {

  /** The kinds of path, from the most direct. */
  public enum Kind {
    /** Both ends are host candidates: the peers reach each other's own addresses (one LAN). */
    DIRECT("direct"),
    /** A reflexive candidate on either end: a direct path through one or two NATs. */
    NAT("direct through NAT"),
    /** A relay candidate on either end: the bytes go through a TURN server (still encrypted). */
    RELAY("relayed");

    private final String words;

    Kind(String words) {
      this.words = words;
    }

    /** The kind in a few words, such as {@code direct through NAT}. */
    public String words() {
      return words;
    }

    /** The kind of path a pair of candidate types makes. */
    public static Kind of(String localType, String remoteType) {
      if (localType.equals("relay") || remoteType.equals("relay")) {
        return RELAY;
      }
      if (localType.equals("host") && remoteType.equals("host")) {
        return DIRECT;
      }
      return NAT;
    }
  }

  /**
   * One end of the pair.
   *
   * @param type {@code host}, {@code srflx} (server-reflexive), {@code prflx} (peer-reflexive) or
   *     {@code relay}
   * @param address its IP address; WebRTC does not report a peer-reflexive candidate's address
   * @param port its port
   * @param protocol {@code udp} or {@code tcp}
   * @param relayProtocol for a relay candidate of ours, how we reach the relay ({@code udp}, {@code
   *     tcp} or {@code tls})
   */
  public record Candidate(
      String type,
      Optional<String> address,
      int port,
      String protocol,
      Optional<String> relayProtocol) {

    @Override
    public String toString() {
      String host = address.map(a -> a.contains(":") ? "[" + a + "]" : a).orElse("?");
      String where = host + ":" + port;
      return type
          + " "
          + where
          + " "
          + protocol.toLowerCase(Locale.ROOT)
          + relayProtocol.map(p -> " (relay over " + p + ")").orElse("");
    }
  }

  /**
   * For example {@code direct through NAT: srflx 203.0.113.7:5000 udp ⇄ host 192.0.2.4:6000 udp}.
   */
  public String describe() {
    return kind.words() + ": " + local + " \u21c4 " + remote;
  }
}
