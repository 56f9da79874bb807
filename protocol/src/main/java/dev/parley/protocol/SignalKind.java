package dev.parley.protocol;

/**
 * The signaling messages the server relays between two users without looking inside: the WebRTC
 * offer, answer and ICE candidates, and the hang-up that ends a link. The wire type is the name.
 */
public enum SignalKind {
  OFFER("offer"),
  ANSWER("answer"),
  CANDIDATE("candidate"),
  HANGUP("hangup");

  private final String wireName;

  SignalKind(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
