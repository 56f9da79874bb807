package dev.parley.client.chat;

import dev.parley.client.link.PeerLink;
import dev.parley.client.profile.Delivery;
import dev.parley.client.profile.Entry;
import dev.parley.client.profile.ProfileException;
import dev.parley.client.profile.Store;
import dev.parley.protocol.UserName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Our messages and files not yet acknowledged (docs/p2p.md, "Delivery"), and the futures that wait
 * for their acknowledgement.
 *
 * <p>The profile's database is the source of truth: an entry is stored before it is first sent, and
 * leaves the outbox there only when it is acknowledged or refused, so after a crash whatever was
 * not acknowledged is sent again. This class holds the same pending entries in memory, with what
 * only the running client knows (which link carried each last, and when), so that an entry costs
 * one write when it is stored and one when it is settled, and nothing is read back. Being sent is
 * part of that knowledge: the database keeps an entry queued until it is settled, and after a
 * restart it is queued again.
 *
 * <p>On the client's event loop only.
 */
final class Outbox {
  /** How long a sent entry waits for its acknowledgement before it is sent again. */
  static final Duration RESEND_AFTER = Duration.ofSeconds(10);

  /** A pending entry, and the link that last carried it. */
  static final class Pending {
    private Entry entry;
    private @Nullable PeerLink carrier;
    private long carriedAt;

    private Pending(Entry entry) {
      this.entry = entry;
    }

    Entry entry() {
      return entry;
    }

    /** Whether to send it on {@code link} now: it never went on this link, or waited too long. */
    @SuppressWarnings("ReferenceEquality") // one link object is one link: identity, not equality
    boolean due(PeerLink link, long now) {
      return carrier != link || now - carriedAt > RESEND_AFTER.toNanos();
    }
  }

  private final Store store;
  private final ChatListener listener;
  private final Map<UserName, LinkedHashMap<String, Pending>> pending = new HashMap<>();
  private final Map<String, CompletableFuture<Entry>> watchers = new HashMap<>();

  /** Takes up what the database holds, from an earlier run too. */
  Outbox(Store store, ChatListener listener) {
    this.store = store;
    this.listener = listener;
    store.outbox().forEach(this::index);
  }

  /** Stores {@code draft}, queued, and reports it; {@code delivered} completes when it is acked. */
  Entry add(Entry draft, CompletableFuture<Entry> delivered) {
    Entry entry = store.add(draft).orElseThrow();
    adopt(entry, delivered);
    return entry;
  }

  /** Takes in {@code entry}, just stored (queued) elsewhere, and reports it. */
  void adopt(Entry entry, CompletableFuture<Entry> delivered) {
    index(entry);
    watchers.put(entry.id(), delivered);
    listener.updated(entry);
  }

  /** What waits for {@code peer}, oldest first. */
  List<Pending> pending(UserName peer) {
    Map<String, Pending> entries = pending.get(peer);
    return entries == null ? List.of() : List.copyOf(entries.values());
  }

  boolean isEmpty(UserName peer) {
    return !pending.containsKey(peer);
  }

  /** Everyone something waits for. */
  Set<UserName> peers() {
    return Set.copyOf(pending.keySet());
  }

  /** {@code entry} is being written to a link: it is sent (reported if it was queued). */
  void sending(Pending entry) {
    if (entry.entry.state() == Delivery.QUEUED) {
      entry.entry = entry.entry.withState(Delivery.SENT, "");
      listener.updated(entry.entry);
    }
  }

  /** {@code entry} is all on {@code link}: its acknowledgement is awaited from {@code now}. */
  void carried(Pending entry, PeerLink link, long now) {
    sending(entry);
    entry.carrier = link;
    entry.carriedAt = now;
  }

  /**
   * Our entry {@code id} to {@code peer} reached its end: {@code DELIVERED}, or {@code FAILED}
   * because {@code why}. Stored, reported, and its future completed; nothing happens if it is not
   * pending (a second acknowledgement).
   */
  void settle(UserName peer, String id, Delivery state, String why) {
    Settled settled = take(peer, id, state, why);
    if (settled == null) {
      return;
    }
    ProfileException failure = null;
    try {
      write(settled);
    } catch (ProfileException e) {
      failure = e;
    }
    report(settled, failure);
  }

  /** An entry taken out of the outbox ({@link #take}), to be {@linkplain #write written}. */
  record Settled(Entry entry, Delivery state, String why) {}

  /**
   * The first of three steps of {@link #settle}, for settling several in one transaction: takes our
   * entry {@code id} to {@code peer} out of what is pending; null if it is not pending.
   */
  @Nullable Settled take(UserName peer, String id, Delivery state, String why) {
    Map<String, Pending> entries = pending.get(peer);
    Pending taken = entries == null ? null : entries.remove(id);
    if (taken == null) {
      return null;
    }
    if (entries.isEmpty()) {
      pending.remove(peer);
    }
    return new Settled(taken.entry, state, why);
  }

  /** Stores what became of {@code settled}, in the caller's transaction if it has one. */
  void write(Settled settled) {
    Entry entry = settled.entry();
    store.settle(entry.peer(), entry.id(), settled.state(), settled.why());
  }

  /**
   * Once it is {@linkplain #write written} (committed), or could not be ({@code failure}): reports
   * what became of {@code settled} and completes its future.
   */
  void report(Settled settled, @Nullable ProfileException failure) {
    UserName peer = settled.entry().peer();
    if (failure != null) {
      // Still pending on disk: the next run sends it again, and the peer drops the duplicate.
      listener.problem(
          peer,
          "Cannot record what became of a message to " + peer + ": " + failure.getMessage() + ".");
    }
    Entry updated = settled.entry().withState(settled.state(), settled.why());
    listener.updated(updated);
    CompletableFuture<Entry> watcher = watchers.remove(updated.id());
    if (watcher != null) {
      if (settled.state() == Delivery.DELIVERED) {
        watcher.complete(updated);
      } else {
        watcher.completeExceptionally(new DeliveryFailedException(updated));
      }
    }
  }

  /** {@code history} as the running client sees it: with its pending entries' live states. */
  List<Entry> live(List<Entry> history) {
    List<Entry> result = new ArrayList<>(history.size());
    for (Entry entry : history) {
      Map<String, Pending> entries = entry.outgoing() ? pending.get(entry.peer()) : null;
      Pending live = entries == null ? null : entries.get(entry.id());
      result.add(live == null ? entry : live.entry);
    }
    return result;
  }

  private void index(Entry entry) {
    pending
        .computeIfAbsent(entry.peer(), p -> new LinkedHashMap<>())
        .put(entry.id(), new Pending(entry));
  }
}
