package dev.parley.client.link;

/**
 * The DTLS fingerprint in a peer's SDP is not signed by the identity key we trust for that peer:
 * someone between us (a hostile relay, say) may have swapped in their own certificate. The link is
 * refused.
 */
public final class FingerprintMismatchException extends LinkException {
  private static final long serialVersionUID = 1L;

  public FingerprintMismatchException(String message) {
    super(message);
  }
}
