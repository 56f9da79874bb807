package dev.parley.client.link;

/**
 * A STUN or TURN server that did not give us a candidate, as WebRTC reports it: the server's URL,
 * the STUN error code (401 for credentials the relay refused, 701 for a server that did not answer)
 * and its reason text.
 */
record IceServerError(String url, int code, String text) {

  /** Whether the server answered and refused us (a STUN error class 4 or 5), not just timed out. */
  boolean refused() {
    return code >= 400 && code < 600;
  }

  boolean relay() {
    return url.startsWith("turn:") || url.startsWith("turns:");
  }
}
