package dev.parley.client.chat;

import dev.parley.client.profile.Entry;

/** The peer refused one of our entries (a file it would not take), or it could not be sent. */
public final class DeliveryFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Entry entry;

  public DeliveryFailedException(Entry entry) {
    super(entry.text() + " to " + entry.peer() + " failed: " + entry.detail());
    this.entry = entry;
  }

  public Entry entry() {
    return entry;
  }
}
