package dev.parley.client.link;

import dev.parley.protocol.OnlineUser;
import dev.parley.protocol.UserName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Which link each peer of one client has, and the events that go with a link's life: the one owner
 * of link state, shared by both {@link PeerLinks} implementations so that they keep the contract's
 * rules the same way. Used on the client's event loop only.
 */
final class LinkTable {
  private final LinkListener listener;
  private final Map<UserName, Slot> slots = new HashMap<>();
  private boolean closing;

  /** A peer's current link, and the {@link PeerLinks#open} callers waiting for it to open. */
  private static final class Slot {
    final AbstractLink link;
    final List<CompletableFuture<PeerLink>> waiters = new ArrayList<>();

    Slot(AbstractLink link) {
      this.link = link;
    }
  }

  LinkTable(LinkListener listener) {
    this.listener = listener;
  }

  LinkListener listener() {
    return listener;
  }

  @Nullable AbstractLink get(UserName peer) {
    Slot slot = slots.get(peer);
    return slot == null ? null : slot.link;
  }

  List<PeerLink> all() {
    List<PeerLink> links = new ArrayList<>();
    slots.values().forEach(slot -> links.add(slot.link));
    return links;
  }

  /** Completes {@code result} with {@code peer}'s current link once it is open. */
  void await(UserName peer, CompletableFuture<PeerLink> result) {
    Slot slot = slots.get(peer);
    if (slot == null) {
      result.completeExceptionally(new LinkException("no link to " + peer));
    } else if (slot.link.isOpen()) {
      result.complete(slot.link);
    } else {
      slot.waiters.add(result);
    }
  }

  /**
   * Makes {@code next} its peer's current link. The link it replaces ends, telling the peer {@code
   * hangup}: if it was open, it is reported closed; if it was still being opened (glare), the
   * callers waiting for it wait for {@code next} instead.
   */
  void put(AbstractLink next, String hangup) {
    Slot slot = new Slot(next);
    Slot old = slots.put(next.peer(), slot);
    if (old == null) {
      return;
    }
    boolean wasOpen = old.link.isOpen();
    if (!wasOpen) {
      slot.waiters.addAll(old.waiters);
    }
    old.link.end(null, hangup); // no longer current: ended() reports nothing for it
    if (wasOpen && !closing) {
      listener.closed(old.link);
    }
  }

  /** No link to {@code peer} could even be tried (its key changed, say). */
  void refused(UserName peer, RuntimeException why, CompletableFuture<PeerLink> result) {
    result.completeExceptionally(why);
    if (!closing) {
      listener.refused(peer, why);
    }
  }

  /** Whether our own offer to {@code peer}, still being answered, meets the peer's offer. */
  boolean glare(UserName peer) {
    AbstractLink current = get(peer);
    return current != null && current.offered() && !current.opened().isDone();
  }

  /** Glare: the offer of the side whose name, in lower case, sorts higher wins. */
  static boolean ourOfferWins(UserName self, UserName peer) {
    return self.key().compareTo(peer.key()) > 0;
  }

  /** {@code link}'s slot while it is its peer's current link; null once another replaced it. */
  @SuppressWarnings("ReferenceEquality") // one link object is one link: identity, not equality
  private @Nullable Slot slotOf(AbstractLink link) {
    Slot slot = slots.get(link.peer());
    return slot != null && slot.link == link ? slot : null;
  }

  void opened(AbstractLink link) {
    Slot slot = slotOf(link);
    if (slot == null) {
      return;
    }
    if (!closing) {
      listener.opened(link);
    }
    List<CompletableFuture<PeerLink>> waiting = List.copyOf(slot.waiters);
    slot.waiters.clear();
    waiting.forEach(waiter -> waiter.complete(link));
  }

  /** {@code link}'s reading of its path changed kind while it is open: tells the listener. */
  void pathChanged(AbstractLink link) {
    if (slotOf(link) != null && !closing) {
      listener.pathChanged(link);
    }
  }

  void ended(AbstractLink link, boolean wasOpen, @Nullable LinkException cause) {
    Slot slot = slotOf(link);
    if (slot == null) {
      return; // replaced: put() has reported it
    }
    slots.remove(link.peer());
    if (wasOpen) {
      if (!closing) {
        listener.closed(link);
      }
      return;
    }
    LinkException why =
        cause != null
            ? cause
            : new LinkException("the link to " + link.peer() + " closed before it opened");
    slot.waiters.forEach(waiter -> waiter.completeExceptionally(why));
    if (!closing) {
      listener.refused(link.peer(), why);
    }
  }

  /**
   * The server presents {@code user}, maybe with another key: a link belongs to the key it was
   * verified against (a new device, a reset server, an impostor), so it ends.
   */
  void presented(OnlineUser user) {
    AbstractLink link = get(user.name());
    if (link != null && !link.peerKey().equals(user.publicKey())) {
      link.end(new LinkException(user.name() + " has another key now"), "key_changed");
    }
  }

  /**
   * {@code peer} left the server. An open link outlives that (the server may be what went away);
   * one still being negotiated is abandoned, since its signals can no longer reach the peer.
   */
  void left(UserName peer) {
    AbstractLink link = get(peer);
    if (link != null && !link.opened().isDone()) {
      link.end(new LinkException(peer + " went offline"), null);
    }
  }

  /** Hangs up every link, reporting nothing more. */
  void closeAll() {
    closing = true;
    List.copyOf(slots.values()).forEach(slot -> slot.link.end(null, "closed"));
  }
}
