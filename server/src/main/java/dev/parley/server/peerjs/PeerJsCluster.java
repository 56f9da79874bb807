package dev.parley.server.peerjs;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The PeerJS ids of the other nodes of a deployment, as this node's realm sees them: ids are unique
 * deployment-wide, a message to an id on another node goes there, and messages queued for an absent
 * id go to the node where it connects. One node alone has {@link #NONE}.
 *
 * <p>Contract for implementations: methods MUST NOT block on I/O and MAY be called from any thread.
 */
public interface PeerJsCluster {

  /** Whose an id was when this node claimed it. */
  enum Claim {
    /** Nobody's: it is this node's now. */
    FREE,
    /** A client with the same token held it on another node (reconnecting): it is ours now. */
    REATTACHED,
    /** A client with another token holds it: not ours. */
    TAKEN
  }

  /** What the realm hears from the other nodes. */
  interface Listener {
    /** {@code id} connected on {@code node}: what waits here for it goes there. */
    void claimed(String id, String node);

    /** Hands {@code frame} to the client {@code id} of this node; whether there is one. */
    boolean deliverHere(String id, byte[] frame);

    /** The client {@code id} of this node reconnected on another node: close it here. */
    void reattachedElsewhere(String id);
  }

  /** One node alone. */
  PeerJsCluster NONE = new Alone();

  /**
   * A node on its own: every id is free, no id is anywhere else. Open for a test's deployment that
   * differs in one answer.
   */
  class Alone implements PeerJsCluster {
    @Override
    public void start(Listener listener) {}

    @Override
    public CompletionStage<Claim> claim(String id, String token) {
      return CompletableFuture.completedFuture(Claim.FREE);
    }

    @Override
    public void release(String id, String token) {}

    @Override
    public Optional<String> nodeOf(String id) {
      return Optional.empty();
    }

    @Override
    public Set<String> ids() {
      return Set.of();
    }

    @Override
    public CompletionStage<Boolean> deliver(String node, String id, byte[] frame) {
      return CompletableFuture.completedFuture(false);
    }
  }

  /** Starts telling {@code listener}. Called once. */
  void start(Listener listener);

  /**
   * Claims {@code id} for a client of this node with {@code token}; completes with whose it was (at
   * once with {@link Claim#FREE} when the other nodes cannot be reached).
   */
  CompletionStage<Claim> claim(String id, String token);

  /** The client {@code id} with {@code token} left this node: the id is free again. */
  void release(String id, String token);

  /** The node where {@code id} is connected, if another one. */
  Optional<String> nodeOf(String id);

  /** The ids connected on the other nodes. */
  Set<String> ids();

  /** Carries {@code frame} to the client {@code id} on {@code node}; whether that node took it. */
  CompletionStage<Boolean> deliver(String node, String id, byte[] frame);
}
