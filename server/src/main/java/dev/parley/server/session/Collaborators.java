package dev.parley.server.session;

import dev.parley.server.directory.Directory;
import dev.parley.server.ice.IceServers;
import dev.parley.server.metrics.Metrics;
import dev.parley.server.presence.Presence;
import dev.parley.server.signaling.Signaling;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;

/**
 * What every session of a node works with, the same for all of them.
 *
 * @param serverId the deployment's id, which every login proof signs
 * @param blocking where directory calls run, off the connection's thread
 * @param timers where login timeouts wait
 * @param registration who may register a new name, and how often from one address
 * @param nanoTime the clock of the rate limit
 */
public record Collaborators(
    String serverId,
    Directory directory,
    Presence presence,
    Signaling signaling,
    IceServers iceServers,
    SessionLimits limits,
    Metrics metrics,
    Clock clock,
    LongSupplier nanoTime,
    Executor blocking,
    Timers timers,
    Registration registration) {

  /** Runs a task once, after a delay, unless its future is cancelled first. */
  @FunctionalInterface
  public interface Timers {
    Future<?> schedule(Runnable task, Duration delay);
  }
}
