package dev.parley.stun;

/** What {@link BindingResponder} decided about one datagram: a response to send, or a drop. */
public sealed interface BindingAnswer {
  /** Send {@code datagram} back to the address the request came from. */
  @SuppressWarnings("ArrayRecordComponent") // bytes handed to a socket, never compared
  record Respond(byte[] datagram) implements BindingAnswer {}

  /** Send nothing; the reason is there to be counted. */
  record Drop(Reason reason) implements BindingAnswer {}

  /** Why a datagram got no answer, in the order the responder checks. */
  enum Reason {
    /** Longer than {@link StunMessage#MAX_LENGTH}: no legitimate request is. */
    OVERSIZED,
    /** A classic RFC 3489 request (no magic cookie), whose response cannot be checked. */
    CLASSIC_STUN,
    /** Not a well-formed RFC 8489 message. */
    MALFORMED,
    /** An indication or a response, such as an ICE keepalive; neither is ever answered. */
    NOT_A_REQUEST,
    /** A request of another method, such as a TURN Allocate sent to a STUN-only port. */
    NOT_BINDING,
    /** A comprehension-required attribute the responder does not know (RFC 8489 §7.3.1). */
    UNKNOWN_REQUIRED_ATTRIBUTE,
    /** A FINGERPRINT that does not match: damaged, or not STUN at all. */
    BAD_FINGERPRINT
  }
}
