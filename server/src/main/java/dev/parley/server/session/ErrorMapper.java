package dev.parley.server.session;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ServerCodec;
import dev.parley.protocol.ServerMessage;
import dev.parley.server.connection.Connection;
import dev.parley.server.metrics.Metrics;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * The one place where a problem becomes what a client is told. Problems are raised where they are
 * found, as {@link ProtocolException}s that carry their code (those of other features with classes
 * of their own: {@code NameTakenException}, {@code UserOfflineException}, ...); here, and nowhere
 * before, a problem gets the {@code ref} of the message at fault, is counted, goes out as an error
 * frame and, if its code is fatal, is followed by the close code that fits.
 */
final class ErrorMapper {
  private ErrorMapper() {}

  /** Tells the client on {@code connection} about {@code problem}, and closes it if fatal. */
  static void answer(
      Connection connection, Metrics metrics, ProtocolException problem, @Nullable String ref) {
    ErrorCode code = problem.code();
    metrics.error(code);
    connection.send(
        ServerCodec.encode(
            new ServerMessage.Error(code, String.valueOf(problem.getMessage()), ref)));
    if (code.fatal()) {
      connection.close(closeCode(code), code.wireName());
    }
  }

  /**
   * The protocol problem an asynchronous step failed with, out of the wrappers of the futures it
   * went through; null if the failure is not one (a bug, or the directory or presence failing).
   */
  static @Nullable ProtocolException problem(Throwable failure) {
    return cause(failure) instanceof ProtocolException problem ? problem : null;
  }

  /** {@code failure} without the wrappers of the futures it went through. */
  static Throwable cause(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** The WebSocket close code after a fatal error (RFC 6455, section 7.4.1). */
  static int closeCode(ErrorCode code) {
    return switch (code) {
      case FRAME_TOO_LARGE -> 1009;
      case SERVER_SHUTDOWN -> 1001;
      case SESSION_REPLACED -> 1000;
      case TOO_MANY_CONNECTIONS, TOO_MANY_REGISTRATIONS, STORAGE_FULL -> 1013;
      default -> 1008;
    };
  }
}
