package dev.parley.client.profile;

/** Where a message or file stands (docs/p2p.md, "Delivery"). */
public enum Delivery {
  /** Ours, in the outbox: no open link to the peer yet. */
  QUEUED,
  /** Ours, written to an open link, not yet acknowledged. */
  SENT,
  /** Ours, acknowledged by the peer. */
  DELIVERED,
  /** Ours, refused by the peer (a file it would not take) or impossible to send. */
  FAILED,
  /** Theirs, received (and for a file, verified). */
  RECEIVED;

  /** Whether an entry in this state is still to be sent (or sent again). */
  public boolean pending() {
    return this == QUEUED || this == SENT;
  }

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
