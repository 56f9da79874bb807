package dev.parley.client.link;

import dev.parley.protocol.UserName;

/**
 * What {@link PeerLinks} reports. Calls come one at a time on the client's link thread: an
 * implementation MUST return quickly and MUST NOT wait for another link event.
 */
public interface LinkListener {

  /** A link is open, whichever side offered it. */
  default void opened(PeerLink link) {}

  /** A chat message arrived on {@code link}; it has already been acknowledged to the sender. */
  default void message(PeerLink link, ChannelMessage.Chat message) {}

  /**
   * A link to or from {@code peer} was refused or failed before it opened. {@code why} is, for
   * example, a {@link FingerprintMismatchException} (the peer's DTLS fingerprint is not signed by
   * its pinned key), a {@link dev.parley.client.trust.KeyChangedException} or a {@link
   * LinkRefusedException} (the peer hung up).
   */
  default void refused(UserName peer, RuntimeException why) {}

  /** An open link closed, by either side. */
  default void closed(PeerLink link) {}
}
