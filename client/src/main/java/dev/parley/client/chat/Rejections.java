package dev.parley.client.chat;

import dev.parley.client.group.GroupId;
import dev.parley.client.loop.EventLoop;
import dev.parley.protocol.UserName;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports group entries that were rejected (docs/p2p.md, "Receiving: checks and bad input"): of a
 * flood from one peer for one reason, one every {@link #EVERY}, saying how many were not reported.
 * On the client's event loop only.
 */
final class Rejections {
  static final Duration EVERY = Duration.ofSeconds(10);

  /** Past this many peers and reasons remembered, the record starts afresh. */
  private static final int MAX_KEPT = 1024;

  private static final Logger log = LoggerFactory.getLogger(Rejections.class);

  private final ChatListener listener;
  private final EventLoop loop;
  // Per peer and reason: when it was last reported, and how many were not since.
  private final Map<String, long[]> reported = new HashMap<>();

  Rejections(ChatListener listener, EventLoop loop) {
    this.listener = listener;
    this.loop = loop;
  }

  void report(UserName from, GroupId group, String why) {
    long now = loop.nanoTime();
    if (reported.size() >= MAX_KEPT) {
      reported.clear();
    }
    long[] last =
        reported.computeIfAbsent(
            from.key() + " " + why, p -> new long[] {now - EVERY.toNanos() - 1, 0});
    if (now - last[0] <= EVERY.toNanos()) {
      last[1]++;
      return;
    }
    String more = last[1] == 0 ? "" : " (and " + last[1] + " more rejected before it)";
    last[0] = now;
    last[1] = 0;
    log.warn("rejected a group entry of {} from {}: {}{}", group, from, why, more);
    listener.groupRejected(from, group, why + more);
  }
}
