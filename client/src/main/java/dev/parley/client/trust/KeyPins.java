package dev.parley.client.trust;

import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.UserName;
import java.util.Optional;

/**
 * The identity key this user trusts for each peer name: the first key seen for a name is pinned
 * (trust on first use), and a different key later is refused until the user accepts it.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>Names MUST compare case-insensitively, as {@link UserName} does.
 *   <li>{@link #pinIfAbsent} MUST be atomic: of two racing first uses with different keys, one wins
 *       and both calls return the winner.
 *   <li>{@link #accept} MUST replace the pin, so that the accepted key is trusted from then on.
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

  /** Replaces the pin: the user has accepted {@code key} as {@code name}'s new key. */
  void accept(UserName name, IdentityKey key);

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
