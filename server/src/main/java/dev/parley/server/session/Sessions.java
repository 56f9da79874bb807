package dev.parley.server.session;

import dev.parley.protocol.Base64Url;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ProtocolException;
import dev.parley.server.connection.Connection;
import dev.parley.server.limits.AddressLimit;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** The open sessions of this node: it starts each, counts them, and ends them all at shutdown. */
public final class Sessions {
  private final Collaborators node;
  private final AddressLimit addressLimit;
  private final SecureRandom random = new SecureRandom();
  private final Set<Session> open = ConcurrentHashMap.newKeySet();
  private final Object allClosed = new Object();

  public Sessions(Collaborators node, AddressLimit addressLimit) {
    this.node = node;
    this.addressLimit = addressLimit;
    node.metrics().gauges(open::size, node.presence()::localCount);
  }

  /**
   * A client connected: starts its session with a challenge, or, if its address already has the
   * most connections allowed, tells it so and closes it (returning empty).
   */
  public Optional<Session> open(Connection connection) {
    node.metrics().connectionOpened();
    if (!addressLimit.tryAcquire(connection.remoteAddress())) {
      ErrorMapper.answer(
          connection,
          node.metrics(),
          new ProtocolException(
              ErrorCode.TOO_MANY_CONNECTIONS,
              "at most " + addressLimit.max() + " connections from one address"),
          null);
      return Optional.empty();
    }
    byte[] nonce = new byte[32];
    random.nextBytes(nonce);
    Session session = new Session(connection, Base64Url.encode(nonce), node, this::closed);
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
  public boolean awaitAllClosed(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (allClosed) {
      while (!open.isEmpty()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(allClosed, left);
      }
    }
    return true;
  }

  private void closed(Session session) {
    if (open.remove(session)) {
      addressLimit.release(session.remoteAddress());
      if (open.isEmpty()) {
        synchronized (allClosed) {
          allClosed.notifyAll();
        }
      }
    }
  }
}
