package dev.parley.client.group;

/**
 * An entry that does not belong in a group's log (docs/p2p.md, "Receiving: checks and bad input"):
 * forged, by a non-member, a change by a non-admin, a fork, a second root. Its message says why, in
 * words for people.
 */
public final class RejectedEntryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RejectedEntryException(String message) {
    super(message);
  }
}
