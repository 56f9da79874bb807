package dev.parley.client.link;

import dev.parley.client.loop.EventLoop;
import dev.parley.client.server.Signaling;
import dev.parley.client.trust.KeyPins;
import dev.parley.protocol.UserName;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Clients in one JVM, linked without WebRTC: each {@linkplain #join joins} with its own {@link
 * MemoryLinks}, and their links open, carry messages and file chunks, report their path (direct,
 * host candidates on 127.0.0.1) and end as WebRTC links do, with the same checks of pinned keys.
 * Shipped beside {@link WebRtcLinks} so that the client's conversations can be tested, and
 * simulated, in milliseconds; both keep the contract of {@link PeerLinks}.
 *
 * <p>The network can be told to fail the links between two clients (with a {@link NoPathException},
 * as two networks that let no connection through would) and to cut an open one. All methods are
 * safe from any thread.
 */
public final class MemoryNetwork {
  private final Map<UserName, MemoryLinks> clients = new ConcurrentHashMap<>();
  private final Map<Set<UserName>, LinkException> failures = new ConcurrentHashMap<>();
  private final Map<Set<UserName>, Integer> cuts = new ConcurrentHashMap<>();
  private final AtomicInteger ports = new AtomicInteger(50_000);

  /**
   * Joins a client: {@code server} says who it is and whom it may talk to, with which key. Join
   * before the client's server session logs in, so that no presence event is missed.
   *
   * @throws IllegalStateException if a client of that name is on the network already
   */
  public MemoryLinks join(Signaling server, KeyPins pins, EventLoop loop, LinkListener listener) {
    MemoryLinks links =
        new MemoryLinks(this, server, pins, loop, listener, ports.getAndIncrement());
    if (clients.putIfAbsent(server.name(), links) != null) {
      throw new IllegalStateException(server.name() + " is on this network already");
    }
    return links;
  }

  /**
   * From now on every link between {@code a} and {@code b} fails before it opens, on both sides,
   * with {@code why}: a {@link NoPathException} for two networks that let no connection through.
   */
  public void fail(UserName a, UserName b, LinkException why) {
    failures.put(Set.of(a, b), why);
  }

  /** Links between {@code a} and {@code b} open again. */
  public void heal(UserName a, UserName b) {
    failures.remove(Set.of(a, b));
  }

  /**
   * Breaks the link between {@code a} and {@code b}, as a network that stops carrying it would:
   * what is on its way is lost, and both sides see the link fail (reported closed if it was open).
   */
  public void cut(UserName a, UserName b) {
    cuts.merge(Set.of(a, b), 1, Integer::sum);
    client(a).ifPresent(links -> links.broken(b));
    client(b).ifPresent(links -> links.broken(a));
  }

  Optional<MemoryLinks> client(UserName name) {
    return Optional.ofNullable(clients.get(name));
  }

  Optional<LinkException> failure(UserName a, UserName b) {
    return Optional.ofNullable(failures.get(Set.of(a, b)));
  }

  /** How many times the links between {@code a} and {@code b} were cut. */
  int cuts(UserName a, UserName b) {
    return cuts.getOrDefault(Set.of(a, b), 0);
  }

  void leave(MemoryLinks links) {
    clients.remove(links.name(), links);
  }
}
