package dev.parley.server.presence;

import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.OnlineUser;
import dev.parley.protocol.UserName;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The other nodes of a deployment, as this node's presence sees them: it tells them of this node's
 * joins and leaves, carries frames to members on them, and tells the presence ({@link Listener}) of
 * theirs. One node alone has {@link #NONE}.
 *
 * <p>Contract for implementations: every method MUST NOT block on I/O and MAY be called from any
 * thread; the listener is called from one thread at a time, in the order the deployment's changes
 * happened; a change this node made itself is not reported back to it.
 */
public interface Cluster extends AutoCloseable {

  /**
   * A name online on another node, with its key. One object per remote user, of whom a node keeps
   * every one, so it is kept small: the key as its 32 raw bytes (48 bytes of heap, against 104 for
   * an {@link IdentityKey} with its base64 string), and its {@link OnlineUser} made when asked for,
   * rather than held beside it.
   */
  final class Remote {
    private final String node;
    private final UserName name;
    private final byte[] key;

    public Remote(String node, UserName name, IdentityKey key) {
      this(node, name, key.raw());
    }

    private Remote(String node, UserName name, byte[] key) {
      this.node = node;
      this.name = name;
      this.key = key;
    }

    /** The same user, named by {@code same}, a copy of its name spelled alike held elsewhere. */
    Remote sharing(UserName same) {
      return new Remote(node, same, key);
    }

    /** The id of the node the name is online on. */
    public String node() {
      return node;
    }

    public UserName name() {
      return name;
    }

    public IdentityKey key() {
      return IdentityKey.ofRaw(key);
    }

    public OnlineUser user() {
      return new OnlineUser(name, key());
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Remote remote
          && node.equals(remote.node)
          && name.equals(remote.name)
          && Arrays.equals(key, remote.key);
    }

    @Override
    public int hashCode() {
      return Objects.hash(node, name, Arrays.hashCode(key));
    }

    @Override
    public String toString() {
      return name + " on " + node;
    }
  }

  /** What the presence hears from the other nodes. */
  interface Listener {
    /** {@code remote} came online on its node, or logged in there again. */
    void joined(Remote remote);

    /** {@code name}, online on {@code node}, left. */
    void left(String node, UserName name);

    /**
     * {@code member} of this node lost its name to a login on another node (or, after an outage, to
     * the session the deployment kept): it must go without a leave being announced.
     */
    void replaced(Member member);

    /** Hands {@code frame} to the member of this node named {@code to}; whether there is one. */
    boolean deliverHere(UserName to, byte[] frame);

    /**
     * After (re)connecting: everyone online on the other nodes now. The presence makes its view
     * agree, announcing the difference.
     */
    void resynced(Map<UserName, Remote> others);
  }

  /** One node alone: there is nobody else. */
  Cluster NONE =
      new Cluster() {
        @Override
        public void start(Listener listener) {}

        @Override
        public CompletionStage<Void> joined(Member member) {
          return CompletableFuture.completedFuture(null);
        }

        @Override
        public void left(Member member) {}

        @Override
        public CompletionStage<Boolean> deliver(String node, UserName to, byte[] frame) {
          return CompletableFuture.completedFuture(false);
        }

        @Override
        public Map<String, Object> status() {
          return Map.of();
        }

        @Override
        public void close() {}
      };

  /** Starts telling {@code listener} of the other nodes' changes. Called once. */
  void start(Listener listener);

  /**
   * Claims {@code member}'s name deployment-wide and tells the other nodes: a session of the name
   * on another node is replaced. Completes once that is done, or at once, normally, when the other
   * nodes cannot be reached (the claim is then made when they can).
   */
  CompletionStage<Void> joined(Member member);

  /** Tells the other nodes that {@code member} left, unless its name has a newer session. */
  void left(Member member);

  /**
   * Carries {@code frame} to the member named {@code to} on {@code node}; completes with whether
   * that node took it.
   */
  CompletionStage<Boolean> deliver(String node, UserName to, byte[] frame);

  /** How this node sees the deployment, for {@code /health}; empty for one node alone. */
  Map<String, Object> status();

  /**
   * The node is stopping: {@link #left} no longer tells the others; {@link #close} tells them of
   * the names this node still holds once their members have had time to log in on another node.
   */
  default void handOff() {}

  @Override
  void close();
}
