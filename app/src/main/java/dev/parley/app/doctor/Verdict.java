package dev.parley.app.doctor;

/**
 * What the checks mean for a person, in one or two sentences, and for a script.
 *
 * @param text the sentences
 * @param relayNeeded for which peers a relay is needed
 * @param relay whether the server's relay works from here
 */
public record Verdict(String text, RelayNeed relayNeeded, Relay relay) {

  /** UDP toward the server: open, through a NAT, blocked, or not checked. */
  public enum Udp {
    /** The server sees this computer's own address: no NAT. */
    OPEN,
    /** The server sees another address: a NAT (or several) in between. */
    NAT,
    /** No STUN answer: UDP seems blocked. */
    BLOCKED,
    /** No STUN server to ask, or it answered with an error. */
    UNCHECKED
  }

  /** The relay, as far as the checks tell. */
  public enum Relay {
    WORKS("works"),
    FAILS("fails"),
    NONE("none"),
    UNTESTED("untested");

    private final String wireName;

    Relay(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  /** For which peers a relay is needed. */
  public enum RelayNeed {
    NO("no"),
    /** Peers behind strict (per-destination) NATs. */
    SOME_PEERS("some-peers"),
    MOST_PEERS("most-peers"),
    ALL_PEERS("all-peers"),
    UNKNOWN("unknown");

    private final String wireName;

    RelayNeed(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  /**
   * What the decision rests on.
   *
   * @param canLogIn whether the server's WebSocket answered: without it nothing else matters
   */
  public record Facts(boolean canLogIn, Udp udp, NatCheck.Mapping mapping, Relay relay) {}

  /** The verdict on {@code facts}; a pure function, so that every case is easy to test. */
  public static Verdict decide(Facts facts) {
    Relay relay = facts.relay();
    if (!facts.canLogIn()) {
      return new Verdict(
          "You cannot log in to this server from here: its WebSocket does not work (see above);"
              + " tell its operator.",
          RelayNeed.UNKNOWN,
          relay);
    }
    return switch (facts.udp()) {
      case UNCHECKED ->
          new Verdict(
              "Your network could not be checked without a STUN answer from the server; if direct"
                  + " connections fail you will need the relay, and "
                  + server(relay),
              RelayNeed.UNKNOWN,
              relay);
      case BLOCKED ->
          new Verdict(
              "UDP seems blocked on this network, so direct connections will not work: you will"
                  + " need the relay over TCP for every peer, and "
                  + server(relay, "you cannot talk to anyone from this network."),
              RelayNeed.ALL_PEERS,
              relay);
      case OPEN ->
          new Verdict("Direct connections will work with most peers.", RelayNeed.NO, relay);
      case NAT -> behindNat(facts.mapping(), relay);
    };
  }

  private static Verdict behindNat(NatCheck.Mapping mapping, Relay relay) {
    return switch (mapping) {
      case ENDPOINT_INDEPENDENT ->
          new Verdict(
              "Direct connections will work with most peers; for peers behind strict NATs you will"
                  + " need the relay, and "
                  + server(relay),
              RelayNeed.SOME_PEERS,
              relay);
      case PER_DESTINATION ->
          new Verdict(
              "Your network maps ports per destination (a strict NAT, as on many mobile networks):"
                  + " you will need the relay for most peers; "
                  + server(relay, "you can talk directly only with peers on open networks."),
              RelayNeed.MOST_PEERS,
              relay);
      case UNKNOWN ->
          new Verdict(
              "Direct connections will work with many peers, but how your NAT maps ports could not"
                  + " be checked; where they fail you will need the relay, and "
                  + server(relay),
              RelayNeed.UNKNOWN,
              relay);
    };
  }

  /** The end of a sentence about the server's relay. */
  private static String server(Relay relay) {
    return clause(relay) + ".";
  }

  /** The same, and what is left without a working relay: {@code consequence}. */
  private static String server(Relay relay, String consequence) {
    return switch (relay) {
      case NONE, FAILS -> clause(relay) + ", so " + consequence;
      case WORKS, UNTESTED -> clause(relay) + ".";
    };
  }

  private static String clause(Relay relay) {
    return switch (relay) {
      case WORKS -> "this server has one that works";
      case NONE -> "this server has none";
      case FAILS -> "this server offers one, but it did not work from here";
      case UNTESTED -> "this server offers one, not tried from here";
    };
  }
}
