package dev.parley.server.session;

import dev.parley.protocol.Base64Url;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ServerCodec;
import dev.parley.protocol.ServerMessage;
import dev.parley.server.connection.Connection;
import dev.parley.server.directory.Directory;
import dev.parley.server.ice.IceServers;
import dev.parley.server.limits.AddressLimit;
import dev.parley.server.metrics.Metrics;
import dev.parley.server.presence.Presence;
import dev.parley.server.signaling.Signaling;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/** The sessions of this node and what they share: the directory, presence, signaling, limits. */
public final class Sessions {
  private final Directory directory;
  private final Presence presence;
  private final Signaling signaling;
  private final IceServers iceServers;
  private final SessionLimits limits;
  private final AddressLimit addressLimit;
  private final Metrics metrics;
  private final Clock clock;
  private final ExecutorService blocking;
  private final ScheduledExecutorService timers;
  private final String serverId;
  private final SecureRandom random = new SecureRandom();
  private final Set<Session> open = ConcurrentHashMap.newKeySet();
  private final Object allClosed = new Object();

  @SuppressWarnings("TooManyParameters") // the node's wiring, assembled in one place
  public Sessions(
      Directory directory,
      Presence presence,
      IceServers iceServers,
      SessionLimits limits,
      AddressLimit addressLimit,
      Metrics metrics,
      Clock clock,
      ExecutorService blocking,
      ScheduledExecutorService timers) {
    this.directory = directory;
    this.presence = presence;
    this.iceServers = iceServers;
    this.limits = limits;
    this.addressLimit = addressLimit;
    this.metrics = metrics;
    this.clock = clock;
    this.blocking = blocking;
    this.timers = timers;
    this.serverId = directory.serverId();
    this.signaling = new Signaling(presence, directory, blocking, metrics);
    metrics.gauges(open::size, presence::localCount);
  }

  /**
   * A client connected: starts its session with a challenge, or, if its address already has the
   * most connections allowed, tells it so and closes it (returning empty).
   */
  public Optional<Session> open(Connection connection) {
    metrics.connectionOpened();
    if (!addressLimit.tryAcquire(connection.remoteAddress())) {
      metrics.error(ErrorCode.TOO_MANY_CONNECTIONS);
      connection.send(
          ServerCodec.encode(
              ServerMessage.Error.of(
                  new ProtocolException(
                      ErrorCode.TOO_MANY_CONNECTIONS,
                      "at most " + addressLimit.max() + " connections from one address"))));
      connection.close(1013, ErrorCode.TOO_MANY_CONNECTIONS.wireName());
      return Optional.empty();
    }
    byte[] nonce = new byte[32];
    random.nextBytes(nonce);
    Session session = new Session(connection, this, Base64Url.encode(nonce));
    open.add(session);
    session.start();
    return Optional.of(session);
  }

  /** Tells every client that the server is going away and closes their connections. */
  public void shutdown() {
    open.forEach(Session::shutdown);
  }

  public int openCount() {
    return open.size();
  }

  /** Waits until every session has closed; false if some are still open after {@code timeout}. */
  public boolean awaitAllClosed(java.time.Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (allClosed) {
      while (!open.isEmpty()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(allClosed, left);
      }
    }
    return true;
  }

  void closed(Session session) {
    if (open.remove(session)) {
      addressLimit.release(session.remoteAddress());
      if (open.isEmpty()) {
        synchronized (allClosed) {
          allClosed.notifyAll();
        }
      }
    }
  }

  Directory directory() {
    return directory;
  }

  Presence presence() {
    return presence;
  }

  Signaling signaling() {
    return signaling;
  }

  IceServers iceServers() {
    return iceServers;
  }

  SessionLimits limits() {
    return limits;
  }

  Metrics metrics() {
    return metrics;
  }

  Clock clock() {
    return clock;
  }

  long nanoTime() {
    return System.nanoTime();
  }

  ExecutorService blocking() {
    return blocking;
  }

  ScheduledExecutorService timers() {
    return timers;
  }

  String serverId() {
    return serverId;
  }
}
