package dev.parley.server.directory;

import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.UserName;
import java.time.Instant;
import java.util.Optional;

/**
 * The registered users. Implementations are shared by every server node of a deployment and MUST be
 * safe for concurrent use by many threads and many nodes. Calls block: never call them on an
 * event-loop thread.
 */
public interface Directory extends AutoCloseable {

  /**
   * Claims {@code name} for {@code key}: registers the name if it is free, and otherwise succeeds
   * only if it is registered to this very key. Names compare case-insensitively. Atomic: of two
   * concurrent first claims of a name with different keys, exactly one succeeds. A successful claim
   * sets the user's last-seen time to {@code now}.
   *
   * @return the user as registered (with the spelling of the first registration), and whether this
   *     claim registered it
   * @throws NameTakenException if the name belongs to another key
   */
  default Claim claim(UserName name, IdentityKey key, Instant now) {
    return claim(name, key, now, Admission.ANYONE);
  }

  /**
   * Claims {@code name} as {@link #claim(UserName, IdentityKey, Instant)} does, but registers a
   * free name only if {@code admission} lets it: asked only for a name that is free, it throws what
   * the client is to be told if not (nothing is then registered).
   */
  Claim claim(UserName name, IdentityKey key, Instant now, Admission admission);

  /** Whether a free name may be registered now. */
  @FunctionalInterface
  interface Admission {
    /** Everyone may register. */
    Admission ANYONE = name -> {};

    /**
     * Returns if {@code name}, free, may be registered now.
     *
     * @throws RuntimeException (a {@code ProtocolException} with its code) if not
     */
    void admit(UserName name);
  }

  /** The outcome of a successful {@link #claim}. */
  record Claim(User user, boolean registered) {}

  /** The user registered under {@code name} (in any case), if any. */
  Optional<User> find(UserName name);

  /**
   * Records that {@code name} was last seen at {@code when}; nothing happens for an unknown name.
   */
  void touch(UserName name, Instant when);

  /** How many users are registered. */
  long count();

  /**
   * The id of this deployment, created once and then stable: every node of a deployment and every
   * restart answers the same. Login proofs are bound to it.
   */
  String serverId();

  @Override
  void close();
}
