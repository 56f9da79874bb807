package dev.parley.client.chat;

import dev.parley.protocol.UserName;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * When a link to a peer may be opened again after failures (docs/p2p.md, "Links over time"): the
 * wait grows with the failures in a row, from 1 s doubling to a minute; after no path was found,
 * which a retry seldom changes, from 15 s doubling to 5 minutes. It is reset when the peer comes
 * online again or a link to them opens. A peer whose key changed is not tried at all until the user
 * accepts the new key. On the client's event loop only; times are on its clock.
 */
final class Reopening {
  private static final Duration FIRST_WAIT = Duration.ofSeconds(1);
  private static final Duration MAX_WAIT = Duration.ofSeconds(60);
  private static final Duration NO_PATH_FIRST_WAIT = Duration.ofSeconds(15);
  private static final Duration NO_PATH_MAX_WAIT = Duration.ofMinutes(5);

  private final Map<UserName, Integer> failures = new HashMap<>();
  private final Map<UserName, Long> notBefore = new HashMap<>();
  private final Set<UserName> keyChanged = new HashSet<>();

  /** How long to wait before the next link after {@code failures} failures in a row. */
  static Duration delay(int failures, boolean noPath) {
    int doublings = Math.min(Math.max(failures - 1, 0), 10);
    Duration first = noPath ? NO_PATH_FIRST_WAIT : FIRST_WAIT;
    Duration most = noPath ? NO_PATH_MAX_WAIT : MAX_WAIT;
    Duration wait = first.multipliedBy(1L << doublings);
    return wait.compareTo(most) > 0 ? most : wait;
  }

  /** Whether a link to {@code peer} may be opened at {@code now}. */
  boolean allowed(UserName peer, long now) {
    Long after = notBefore.get(peer);
    return !keyChanged.contains(peer) && (after == null || now >= after);
  }

  /** A link to {@code peer} failed or closed at {@code now} with something still to send. */
  void failed(UserName peer, boolean noPath, long now) {
    int n = failures.merge(peer, 1, Integer::sum);
    notBefore.put(peer, now + delay(n, noPath).toNanos());
  }

  /** {@code peer} came online again, or a link to them opened: the next link may come at once. */
  void reset(UserName peer) {
    failures.remove(peer);
    notBefore.remove(peer);
  }

  /** {@code peer}'s key is not the pinned one: no link until the user accepts it. */
  void keyChanged(UserName peer) {
    keyChanged.add(peer);
  }

  /** {@code peer}'s key is the pinned one again (the user accepted the new one, say). */
  void keyTrusted(UserName peer) {
    keyChanged.remove(peer);
  }
}
