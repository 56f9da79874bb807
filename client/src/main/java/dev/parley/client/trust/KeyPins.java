package dev.parley.client.trust;

import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.UserName;
import java.util.Optional;

/**
 * The identity key this user trusts for each peer name: the first key seen for a name is pinned
 * (trust on first use), and a different key later is refused until the user accepts it.
 *
 * <p>Contract: names compare case-insensitively, as {@link UserName} does. {@link #pinIfAbsent}
 * MUST be atomic: of two racing first uses with different keys, one wins and both calls return the
 * winner. All methods are safe from any thread. Implementations: {@link MemoryKeyPins} today; a
 * persistent one per profile later.
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
