package dev.parley.client.chat;

import dev.parley.client.trust.KeyChangedException;
import dev.parley.client.trust.KeyPins;
import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.UserName;
import java.util.Optional;

/**
 * Keys that changed under a pinned name (docs/p2p.md, "Links over time"): each change is reported
 * when it is found (the server presents the peer, or a link is refused for it), and no link to that
 * peer is tried again until the user accepts the new key. On the client's event loop only.
 */
final class KeyWatch {
  private final KeyPins pins;
  private final Reopening reopening;
  private final ChatListener listener;

  KeyWatch(KeyPins pins, Reopening reopening, ChatListener listener) {
    this.pins = pins;
    this.reopening = reopening;
    this.listener = listener;
  }

  /**
   * The server presents {@code presented} for {@code peer}: whether that is the pinned key (or none
   * is pinned yet). If not, the change is reported and links to {@code peer} wait.
   */
  boolean check(UserName peer, IdentityKey presented) {
    Optional<IdentityKey> pinned = pins.pinned(peer);
    if (pinned.isEmpty() || pinned.get().equals(presented)) {
      reopening.keyTrusted(peer);
      return true;
    }
    changed(new KeyChangedException(peer, pinned.get(), presented));
    return false;
  }

  /** A link was refused because the key changed. */
  void changed(KeyChangedException e) {
    reopening.keyChanged(e.name());
    listener.keyChanged(e.name(), e.pinned(), e.presented());
  }

  /** The user accepted {@code peer}'s new key: the next link may come at once. */
  void accepted(UserName peer) {
    reopening.keyTrusted(peer);
    reopening.reset(peer);
  }
}
