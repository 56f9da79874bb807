package dev.parley.client.link;

import dev.parley.protocol.UserName;

/**
 * What {@link PeerLinks} reports. Calls come one at a time on the client's event loop: an
 * implementation MUST return quickly and MUST NOT wait for another link event.
 */
public interface LinkListener {

  /** A link is open, whichever side offered it. */
  default void opened(PeerLink link) {}

  /**
   * An open link now goes by a different kind of path than it reported (see {@link LinkPath.Kind}):
   * it opened before the peer's candidate was signalled and read its peer end as peer-reflexive
   * until the signal came, or ICE moved to another pair. {@link PeerLink#path()} has the new
   * reading. A pair changed within one kind is not reported.
   */
  default void pathChanged(PeerLink link) {}

  /** A control message (chat, file offer, ack, typing...) arrived on {@code link}. */
  default void received(PeerLink link, ChannelMessage message) {}

  /** A piece of a file arrived on {@code link}; its data is only valid during the call. */
  default void chunk(PeerLink link, FileChunk chunk) {}

  /**
   * {@code link}'s send buffer fell to {@link PeerLink#LOW_WATER} after a sender was told to wait.
   */
  default void drained(PeerLink link) {}

  /**
   * A link to or from {@code peer} was refused or failed before it opened. {@code why} is, for
   * example, a {@link NoPathException} (no way between the two networks worked), a {@link
   * FingerprintMismatchException} (the peer's DTLS fingerprint is not signed by its pinned key), a
   * {@link dev.parley.client.trust.KeyChangedException} or a {@link LinkRefusedException} (the peer
   * hung up).
   */
  default void refused(UserName peer, RuntimeException why) {}

  /**
   * An open link closed: either side hung up, it broke, or a newer link to the peer replaced it.
   */
  default void closed(PeerLink link) {}
}
