package dev.parley.server.transport;

import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * The transport a server runs on: the one {@code --transport} asks for, which must then run here,
 * or by default epoll where its native library loads and NIO where it does not.
 *
 * @param transport what runs
 * @param asked whether the operator chose it
 * @param fallback why epoll, the default, does not run, when NIO runs in its place
 */
public record TransportChoice(Transport transport, boolean asked, Optional<String> fallback) {
  /** The transport the server runs on by default where it can. */
  public static final Transport DEFAULT = Transport.EPOLL;

  /**
   * The transport to run on when {@code asked} for one (or none).
   *
   * @throws TransportUnavailableException if the transport asked for cannot run here
   */
  public static TransportChoice of(Optional<Transport> asked) {
    return of(asked, Transport::unavailability);
  }

  static TransportChoice of(
      Optional<Transport> asked, Function<Transport, Optional<Throwable>> unavailability) {
    if (asked.isPresent()) {
      Transport transport = asked.get();
      Optional<Throwable> cause = unavailability.apply(transport);
      if (cause.isPresent()) {
        throw new TransportUnavailableException(transport, cause.get());
      }
      return new TransportChoice(transport, true, Optional.empty());
    }
    return unavailability
        .apply(DEFAULT)
        .map(cause -> new TransportChoice(Transport.NIO, false, Optional.of(reason(cause))))
        .orElseGet(() -> new TransportChoice(DEFAULT, false, Optional.empty()));
  }

  /** One line: what runs, and why. */
  public void log(Logger log) {
    String why =
        fallback
            .map(reason -> DEFAULT + ", the default, cannot load here: " + reason)
            .orElse(asked ? "chosen by --transport" : "the default");
    log.info("Transport: {} ({})", transport, why);
  }

  /**
   * Why a native library did not load, in a line: its error and, when it says another thing, its
   * innermost cause's.
   */
  static String reason(Throwable cause) {
    Throwable root = cause;
    for (int depth = 0; root.getCause() != null && depth < 16; depth++) {
      root = root.getCause();
    }
    String message = String.valueOf(cause.getMessage());
    String rootMessage = String.valueOf(root.getMessage());
    return message.contains(rootMessage) ? message : message + ": " + rootMessage;
  }
}
