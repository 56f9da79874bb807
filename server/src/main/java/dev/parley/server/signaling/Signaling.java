package dev.parley.server.signaling;

import dev.parley.protocol.ClientMessage;
import dev.parley.protocol.ServerCodec;
import dev.parley.protocol.UserName;
import dev.parley.server.directory.Directory;
import dev.parley.server.metrics.Metrics;
import dev.parley.server.presence.Presence;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Forwards signaling between two logged-in users. It never looks inside the data, and the sender's
 * name on the forwarded message is the one the server knows, never one the client wrote.
 */
public final class Signaling {
  private final Presence presence;
  private final Directory directory;
  private final Executor blocking;
  private final Metrics metrics;

  public Signaling(Presence presence, Directory directory, Executor blocking, Metrics metrics) {
    this.presence = presence;
    this.directory = directory;
    this.blocking = blocking;
    this.metrics = metrics;
  }

  /**
   * Relays {@code signal} from {@code from}; {@code data} is the UTF-8 JSON text of its data as the
   * client wrote it, forwarded as it is, never built into a tree (the tree, its strings and
   * encoding it again were most of what a relay allocated). Completes when the addressee has it, or
   * exceptionally with a {@link UserOfflineException} or an {@link UnknownUserException}.
   *
   * @throws SignalToSelfException for a signal to oneself
   */
  public CompletionStage<Void> relay(UserName from, ClientMessage.Signal signal, byte[] data) {
    UserName to = signal.to();
    if (to.equals(from)) {
      throw new SignalToSelfException();
    }
    byte[] frame = ServerCodec.encodeSignal(signal.kind(), from, data);
    return presence
        .deliver(to, frame)
        .thenCompose(
            delivered -> {
              if (delivered) {
                metrics.relayed(signal.kind(), frame.length);
                return CompletableFuture.<Void>completedFuture(null);
              }
              return CompletableFuture.supplyAsync(() -> directory.find(to), blocking)
                  .thenApply(
                      user -> {
                        throw user.isPresent()
                            ? new UserOfflineException(to)
                            : new UnknownUserException(to);
                      });
            });
  }
}
