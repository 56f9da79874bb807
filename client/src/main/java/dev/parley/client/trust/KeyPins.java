package dev.parley.client.trust;

import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.UserName;
import java.util.Optional;

/**
 * The identity key this user trusts for each peer name: the first key seen for a name is pinned
 * (trust on first use), and a different key later is refused until the user accepts it.
 *
 * <p>A pin is trusted, not verified: it is whatever key the server first presented. Once the user
 * has compared safety numbers with the peer out of band, they may mark the pin as verified. The
 * mark belongs to the key, not to the name: a key accepted in place of it starts unverified, so
 * that a key change is never shown as verified.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>Names MUST compare case-insensitively, as {@link UserName} does.
 *   <li>{@link #pinIfAbsent} MUST be atomic: of two racing first uses with different keys, one wins
 *       and both calls return the winner.
 *   <li>{@link #accept} MUST replace the pin, so that the accepted key is trusted from then on. A
 *       different key MUST lose the verified mark; the same key again MUST keep it.
 *   <li>{@link #markVerified} MUST mark only the key it is given, and only while that key is the
 *       pinned one: a user who compared the number of one key never verifies another.
 *   <li>The verified mark MUST last as long as the pins do (the profile's survive restarts).
 *   <li>All methods MUST be safe from any thread.
 * </ul>
 *
 * <p>Two implementations: {@link MemoryKeyPins}, for the life of the process (tools and tests), and
 * the profile's, kept in its database so that trust on first use survives restarts ({@link
 * dev.parley.client.profile.Profile#pins()}). A contract test holds both to these rules.
 */
public interface KeyPins {

  Optional<IdentityKey> pinned(UserName name);

  /** Pins {@code key} for {@code name} unless a key is pinned already; returns the pinned key. */
  IdentityKey pinIfAbsent(UserName name, IdentityKey key);

  /**
   * Replaces the pin: the user has accepted {@code key} as {@code name}'s new key. A new key is not
   * verified, whatever the old one was.
   */
  void accept(UserName name, IdentityKey key);

  /** Whether the user marked the key pinned for {@code name} as verified. */
  boolean isVerified(UserName name);

  /**
   * Marks {@code key} as verified for {@code name}, the user having compared its safety number with
   * the peer; only if it is the key pinned for {@code name}.
   *
   * @return whether {@code key} is the pinned key, and so now marked (or marked already)
   */
  boolean markVerified(UserName name, IdentityKey key);

  /**
   * Takes back the verified mark of {@code name}'s pinned key; the pin itself stays.
   *
   * @return whether there was a mark to take back
   */
  boolean unmarkVerified(UserName name);

  /**
   * The key to trust for {@code name}, given that the server presents {@code presented}: pinned on
   * first use, then the same key every time.
   *
   * @throws KeyChangedException if a different key is pinned for {@code name}
   */
  default IdentityKey trust(UserName name, IdentityKey presented) {
    IdentityKey pinned = pinIfAbsent(name, presented);
    if (!pinned.equals(presented)) {
      throw new KeyChangedException(name, pinned, presented);
    }
    return pinned;
  }
}
