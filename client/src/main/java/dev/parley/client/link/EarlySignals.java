package dev.parley.client.link;

import dev.parley.client.server.Signaling;
import dev.parley.protocol.UserName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a peer sent before we know its key, held until we do: presence is batched and signals are
 * not, so a peer's join may still be on its way; in contacts mode it comes only once we watch the
 * peer, which the first held signal asks for. At most {@link #MAX_PER_PEER} are held per peer. Used
 * on the links' event loop only.
 */
final class EarlySignals {
  static final int MAX_PER_PEER = 64;

  private final Signaling server;
  private final Map<UserName, List<Runnable>> held = new HashMap<>();

  EarlySignals(Signaling server) {
    this.server = server;
  }

  /**
   * Holds {@code later} if {@code peer}'s key is not known yet.
   *
   * @return whether it was held (or dropped past the cap); false if the peer is known: go on
   */
  boolean holdUnlessKnown(UserName peer, Runnable later) {
    if (server.onlineKey(peer).isPresent()) {
      return false;
    }
    List<Runnable> waiting = held.get(peer);
    if (waiting == null) {
      waiting = new ArrayList<>();
      held.put(peer, waiting);
      var unused = server.watch(List.of(peer)); // else, in contacts mode, it never comes
    }
    if (waiting.size() < MAX_PER_PEER) {
      waiting.add(later);
    }
    return true;
  }

  /** {@code peer} joined: what it sent goes on. */
  void release(UserName peer) {
    List<Runnable> waiting = held.remove(peer);
    if (waiting != null) {
      waiting.forEach(Runnable::run);
    }
  }

  /**
   * We are online: peers heard of while logging in are not reported joined (the session's starting
   * point), so what they sent goes on now.
   */
  void releaseKnown() {
    for (UserName peer : List.copyOf(held.keySet())) {
      if (server.onlineKey(peer).isPresent()) {
        release(peer);
      }
    }
  }

  /** {@code peer} left: what it sent early is moot. */
  void forget(UserName peer) {
    held.remove(peer);
  }
}
