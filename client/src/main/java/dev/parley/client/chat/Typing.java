package dev.parley.client.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Who is typing, both ways (docs/p2p.md, "Typing", "Typing in a group"): ours goes out at most
 * every 3 s while the user keeps typing; theirs is shown until they stop, send, the link closes, or
 * 6 s pass without a refresh. {@code K} names where: a peer for one-to-one, a group and a member in
 * a group. On the client's event loop only; times are on its clock.
 */
final class Typing<K> {
  static final Duration EVERY = Duration.ofSeconds(3);
  static final Duration SHOWN = Duration.ofSeconds(6);

  private final Map<K, Long> sent = new HashMap<>();
  private final Map<K, Long> seen = new HashMap<>();

  /** The user typed ({@code active}) or stopped: whether to tell {@code peer} now. */
  boolean tell(K peer, boolean active, long now) {
    Long last = sent.get(peer);
    if (active) {
      if (last != null && now - last < EVERY.toNanos()) {
        return false;
      }
      sent.put(peer, now);
      return true;
    }
    return sent.remove(peer) != null;
  }

  /** {@code peer} says it types, or stopped. */
  void seen(K peer, boolean active, long now) {
    if (active) {
      seen.put(peer, now);
    } else {
      seen.remove(peer);
    }
  }

  /** {@code peer} is no longer typing (it sent, or the link closed): whether it was shown. */
  boolean clear(K peer) {
    return seen.remove(peer) != null;
  }

  /** The link to {@code peer} is gone: what we told it no longer counts. */
  void forget(K peer) {
    sent.remove(peer);
  }

  /** Those shown typing that {@code gone} picks (their link closed); no longer shown. */
  List<K> clearIf(Predicate<K> gone) {
    List<K> cleared = new ArrayList<>();
    seen.keySet()
        .removeIf(
            k -> {
              boolean remove = gone.test(k);
              if (remove) {
                cleared.add(k);
              }
              return remove;
            });
    return cleared;
  }

  /** Those shown typing with no refresh for {@link #SHOWN}; no longer shown. */
  List<K> expired(long now) {
    List<K> quiet = new ArrayList<>();
    seen.entrySet()
        .removeIf(
            e -> {
              boolean expired = now - e.getValue() > SHOWN.toNanos();
              if (expired) {
                quiet.add(e.getKey());
              }
              return expired;
            });
    return quiet;
  }
}
