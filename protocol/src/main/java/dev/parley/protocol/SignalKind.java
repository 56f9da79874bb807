package dev.parley.protocol;

/**
 * The signaling messages the server relays between two users without looking inside: the WebRTC
 * offer, answer and ICE candidates, and the hang-up that ends a link. The wire type is the name.
 */
public enum SignalKind {
  OFFER(MessageType.OFFER),
  ANSWER(MessageType.ANSWER),
  CANDIDATE(MessageType.CANDIDATE),
  HANGUP(MessageType.HANGUP);

  private final MessageType type;

  SignalKind(MessageType type) {
    this.type = type;
  }

  public String wireName() {
    return type.wireName();
  }

  /** The signal a frame of {@code type} carries. */
  static SignalKind of(MessageType type) {
    return switch (type) {
      case OFFER -> OFFER;
      case ANSWER -> ANSWER;
      case CANDIDATE -> CANDIDATE;
      case HANGUP -> HANGUP;
      default -> throw new IllegalArgumentException(type + " is not a signal");
    };
  }
}
