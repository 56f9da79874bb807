package dev.parley.client.profile;

/** Where a message or file stands (docs/p2p.md, "Delivery"). */
public enum Delivery {
  /** Ours, in the outbox: no open link to the peer yet. */
  QUEUED(0),
  /** Ours, written to an open link, not yet acknowledged. */
  SENT(1),
  /** Ours, acknowledged by the peer. */
  DELIVERED(2),
  /** Ours, refused by the peer (a file it would not take) or impossible to send. */
  FAILED(3),
  /** Theirs, received (and for a file, verified). */
  RECEIVED(4);

  /**
   * The number the profile's database keeps for this state, fixed here rather than taken from the
   * declaration order, so that a state added or moved never changes what stored entries mean (the
   * pending index is on {@code state IN (0, 1)}).
   */
  final int stored;

  Delivery(int stored) {
    this.stored = stored;
  }

  /** The state stored as {@code number}. */
  static Delivery stored(int number) {
    for (Delivery state : values()) {
      if (state.stored == number) {
        return state;
      }
    }
    throw new IllegalArgumentException("no delivery state is stored as " + number);
  }

  /** Whether an entry in this state is still to be sent (or sent again). */
  public boolean pending() {
    return this == QUEUED || this == SENT;
  }

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
