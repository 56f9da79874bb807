package dev.parley.client.chat;

import dev.parley.client.link.PeerLink;
import dev.parley.client.link.PeerLinks;
import dev.parley.protocol.UserName;
import java.time.Duration;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes links that carried nothing either way for a while (docs/p2p.md, "Links over time": 5
 * minutes by default, hangup {@code idle}); the next message opens a new one. A link with something
 * still to do (an outbox to empty, a file on its way) is never idle. On the client's event loop
 * only.
 */
final class IdleLinks {
  private static final Logger log = LoggerFactory.getLogger(IdleLinks.class);

  private final Duration after;

  IdleLinks(Duration after) {
    this.after = after;
  }

  /** Closes the open links of {@code links} idle at {@code now}, unless {@code busy}. */
  void closeIdle(PeerLinks links, long now, Predicate<UserName> busy) {
    for (PeerLink link : links.links()) {
      if (link.isOpen() && now - link.lastActivity() > after.toNanos() && !busy.test(link.peer())) {
        log.debug("closing the idle link to {}", link.peer());
        link.closeIdle();
      }
    }
  }
}
