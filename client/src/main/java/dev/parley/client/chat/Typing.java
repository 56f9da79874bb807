package dev.parley.client.chat;

import dev.parley.protocol.UserName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who is typing, both ways (docs/p2p.md, "Typing"): ours goes out at most every 3 s while the user
 * keeps typing; theirs is shown until they stop, send, the link closes, or 6 s pass without a
 * refresh. On the client's event loop only; times are on its clock.
 */
final class Typing {
  static final Duration EVERY = Duration.ofSeconds(3);
  static final Duration SHOWN = Duration.ofSeconds(6);

  private final Map<UserName, Long> sent = new HashMap<>();
  private final Map<UserName, Long> seen = new HashMap<>();

  /** The user typed ({@code active}) or stopped: whether to tell {@code peer} now. */
  boolean tell(UserName peer, boolean active, long now) {
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
  void seen(UserName peer, boolean active, long now) {
    if (active) {
      seen.put(peer, now);
    } else {
      seen.remove(peer);
    }
  }

  /** {@code peer} is no longer typing (it sent, or the link closed): whether it was shown. */
  boolean clear(UserName peer) {
    return seen.remove(peer) != null;
  }

  /** The link to {@code peer} is gone: what we told it no longer counts. */
  void forget(UserName peer) {
    sent.remove(peer);
  }

  /** Those shown typing with no refresh for {@link #SHOWN}; no longer shown. */
  List<UserName> expired(long now) {
    List<UserName> quiet = new ArrayList<>();
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
