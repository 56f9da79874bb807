package dev.parley.server.directory;

import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.UserName;
import java.time.Instant;
import java.util.List;
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
   *
   * <p>If the admission names an invite, the name is registered only if that invite is neither used
   * nor expired at {@code now}, and the registration uses it up in the same atomic step: of two
   * claims with one invite at most one registers a name, and a claim that registers nothing (the
   * name was taken meanwhile) leaves the invite as it was.
   *
   * @throws InviteInvalidException if the invite is unknown, used or expired (nothing registered)
   * @throws StorageFullException if the name is free but the database's disk has no room for it; a
   *     known name's claim never fails for want of room (its last-seen time is then not recorded)
   */
  Claim claim(UserName name, IdentityKey key, Instant now, Admission admission);

  /** Whether a free name may be registered now, and on what condition. */
  @FunctionalInterface
  interface Admission {
    /** Everyone may register. */
    Admission ANYONE = name -> Optional.empty();

    /**
     * Returns if {@code name}, free, may be registered now: with the {@linkplain Invite#codeHash()
     * hash of the invite code} its registration must use up, or empty if it needs none.
     *
     * @throws RuntimeException (a {@code ProtocolException} with its code) if not
     */
    Optional<String> admit(UserName name);

    /**
     * The registration {@link #admit} let through did not happen, for want of room: what it counted
     * against the client is given back, so that a retry once there is room is not refused for the
     * tries the full disk refused.
     */
    default void notUsed(UserName name) {}
  }

  /** The outcome of a successful {@link #claim}. */
  record Claim(User user, boolean registered) {}

  /** The user registered under {@code name} (in any case), if any. */
  Optional<User> find(UserName name);

  /**
   * Records that {@code name} was last seen at {@code when}; nothing happens for an unknown name.
   * Last-seen times are bookkeeping: a write that fails (a full disk) is not thrown, but logged by
   * the directory, once per spell of failures, and shown by {@link #full()}.
   */
  void touch(UserName name, Instant when);

  /**
   * Whether the last write failed because the database's disk is full (and none has worked since):
   * new names are refused meanwhile. It clears by itself with the first write that works.
   */
  boolean full();

  /**
   * Keeps {@code invites}, each able to register one new name until it expires (see {@link
   * #claim(UserName, IdentityKey, Instant, Admission)}).
   */
  void addInvites(List<Invite> invites);

  /** The invites neither used nor expired at {@code now}, the soonest to expire first. */
  List<Invite> openInvites(Instant now);

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
