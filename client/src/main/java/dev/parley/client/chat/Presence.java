package dev.parley.client.chat;

import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.UserName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who the user is told comes and goes (docs/client.md, "Presence"): the server's joins and leaves,
 * except that a leave is held for a grace period, and dropped if the peer comes back with the same
 * key meanwhile. A reconnect is not news: neither ours (after a restart the server's first welcome
 * lacks whoever has not reconnected yet) nor a peer's (the server announces its dropped connection
 * as a leave, and its return as a join). A peer back with another key is reported as it happened,
 * left and then joined, so that the key change that follows has its context.
 *
 * <p>The grace counts only while we are connected: whatever the server said as it went away is
 * judged once we are back, from then on, so that a long outage does not report everyone gone. On
 * the client's event loop only; time is the loop's clock, read by the caller.
 */
final class Presence {
  private record Away(IdentityKey key, long since) {}

  private final long graceNanos;
  private final ChatListener listener;

  /** Everyone the user was told is online (or was online at our first login), with their key. */
  private final Map<UserName, IdentityKey> shown = new HashMap<>();

  /** Who left, not reported yet; in the order they left. */
  private final Map<UserName, Away> away = new LinkedHashMap<>();

  private boolean connected;

  Presence(Duration grace, ChatListener listener) {
    this.graceNanos = grace.toNanos();
    this.listener = listener;
  }

  /**
   * We are online with the server, which lists {@code online}: those the user has not heard of are
   * online as far as they know (the first login's list is the starting point, not news), and the
   * grace of whoever left starts again from {@code now}.
   */
  void connected(Map<UserName, IdentityKey> online, long now) {
    connected = true;
    online.forEach(
        (name, key) -> {
          if (!away.containsKey(name)) {
            shown.putIfAbsent(name, key);
          }
        });
    away.replaceAll((name, gone) -> new Away(gone.key(), now));
  }

  /** We lost the server: nobody's grace runs out until we are back. */
  void disconnected() {
    connected = false;
  }

  void joined(UserName name, IdentityKey key) {
    Away gone = away.remove(name);
    if (gone != null) {
      if (gone.key().equals(key)) {
        return; // back in time: nothing happened, as far as the user is concerned
      }
      shown.remove(name);
      listener.left(name);
    }
    shown.put(name, key);
    listener.joined(name);
  }

  void left(UserName name, long now) {
    IdentityKey key = shown.get(name);
    if (key == null) {
      // Not online as far as the user knows: no news (in contacts mode the answer to a watch lists
      // the names offline as left).
      return;
    }
    if (graceNanos == 0) {
      shown.remove(name);
      listener.left(name);
    } else {
      away.putIfAbsent(name, new Away(key, now));
    }
  }

  /** Reports the leaves whose grace ran out by {@code now}. */
  void expire(long now) {
    if (!connected) {
      return;
    }
    List<UserName> gone = new ArrayList<>();
    away.forEach(
        (name, left) -> {
          if (now - left.since() >= graceNanos) {
            gone.add(name);
          }
        });
    for (UserName name : gone) {
      away.remove(name);
      shown.remove(name);
      listener.left(name);
    }
  }
}
