package dev.parley.server.ice;

import dev.parley.stun.TurnProbe;
import dev.parley.stun.TurnProbeResult;
import dev.parley.stun.TurnUrl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks that the relay accepts what this server hands out: a real TURN Allocate on every TURN URL
 * clients get, with credentials minted as for a user, released at once. A wrong shared secret is
 * the most common mistake in a coturn set-up, and nobody else would notice it: clients just never
 * get a relay. Runs at start and then every {@link #PERIOD}; each change is logged once.
 */
public final class TurnCheck implements AutoCloseable {
  static final Duration PERIOD = Duration.ofMinutes(5);
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);
  private static final String LABEL = "parley-self-check";
  private static final Logger log = LoggerFactory.getLogger(TurnCheck.class);

  /** The last result for one URL, and when it came. */
  public record Outcome(String url, TurnProbeResult result, Instant at) {
    public boolean ok() {
      return result instanceof TurnProbeResult.Allocated;
    }
  }

  private final IceServers ice;
  private final Clock clock;
  private final Map<String, Outcome> outcomes = new LinkedHashMap<>();
  private final Optional<ScheduledFuture<?>> schedule;

  private TurnCheck(IceServers ice, Clock clock, ScheduledExecutorService timers) {
    this.ice = ice;
    this.clock = clock;
    this.schedule =
        ice.relayOffered()
            ? Optional.of(
                timers.scheduleWithFixedDelay(
                    () -> Thread.ofVirtual().name("turn-check").start(this::checkAll),
                    0,
                    PERIOD.toMillis(),
                    TimeUnit.MILLISECONDS))
            : Optional.empty();
  }

  /** Starts checking the relay of {@code ice}, if it offers one, on {@code timers}. */
  public static TurnCheck start(IceServers ice, Clock clock, ScheduledExecutorService timers) {
    return new TurnCheck(ice, clock, timers);
  }

  /** Whether there is a relay to check. */
  public boolean enabled() {
    return schedule.isPresent();
  }

  /** The last outcome of each URL; empty before the first check has finished. */
  public synchronized List<Outcome> outcomes() {
    return List.copyOf(outcomes.values());
  }

  /** Runs one check of every URL now, on the calling thread. */
  void checkAll() {
    for (String url : ice.turnUrls()) {
      IceServers.Credentials minted = ice.credentials(LABEL, clock.instant());
      TurnProbeResult result =
          TurnProbe.allocate(
              TurnUrl.parse(url), minted.username(), minted.password(), PROBE_TIMEOUT);
      record(new Outcome(url, result, clock.instant()));
    }
  }

  private void record(Outcome outcome) {
    Outcome before;
    synchronized (this) {
      before = outcomes.put(outcome.url(), outcome);
    }
    if (before != null && sameKind(before.result(), outcome.result())) {
      return;
    }
    String sentence = describe(outcome);
    if (outcome.ok()) {
      log.info("TURN self-check: {}", sentence);
    } else {
      log.warn("TURN self-check FAILED: {}", sentence);
    }
  }

  /** The outcome as a sentence for the log and {@code /health}. */
  public static String describe(Outcome outcome) {
    String url = outcome.url();
    return switch (outcome.result()) {
      case TurnProbeResult.Allocated allocated ->
          url
              + " accepted the credentials this server mints (relay address "
              + allocated.relayedAddress().getAddress().getHostAddress()
              + ":"
              + allocated.relayedAddress().getPort()
              + ")";
      case TurnProbeResult.Refused refused when refused.code() == 401 ->
          url
              + " refused the credentials this server mints (401 "
              + refused.reason()
              + "): --turn-secret must be coturn's static-auth-secret (with use-auth-secret),"
              + " and the two machines' clocks must agree. Clients get no working relay";
      case TurnProbeResult.Refused refused ->
          url
              + " refused an allocation ("
              + refused.code()
              + " "
              + refused.reason()
              + "). Clients may get no working relay";
      case TurnProbeResult.Unreachable unreachable ->
          url
              + " did not answer ("
              + unreachable.why()
              + "): is coturn running, and reachable at that address from this server?";
    };
  }

  private static boolean sameKind(TurnProbeResult a, TurnProbeResult b) {
    return switch (a) {
      case TurnProbeResult.Allocated x -> b instanceof TurnProbeResult.Allocated;
      case TurnProbeResult.Refused x ->
          b instanceof TurnProbeResult.Refused y && x.code() == y.code();
      case TurnProbeResult.Unreachable x -> b instanceof TurnProbeResult.Unreachable;
    };
  }

  @Override
  public void close() {
    schedule.ifPresent(s -> s.cancel(false));
  }
}
