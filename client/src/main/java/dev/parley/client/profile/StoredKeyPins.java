package dev.parley.client.profile;

import dev.parley.client.trust.KeyPins;
import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.UserName;
import java.util.Optional;

/** Pins kept in the profile's database, so trust on first use survives restarts. */
final class StoredKeyPins implements KeyPins {
  private final Store store;

  StoredKeyPins(Store store) {
    this.store = store;
  }

  @Override
  public Optional<IdentityKey> pinned(UserName name) {
    return store.pinned(name);
  }

  @Override
  public IdentityKey pinIfAbsent(UserName name, IdentityKey key) {
    return store.pinIfAbsent(name, key);
  }

  @Override
  public void accept(UserName name, IdentityKey key) {
    store.pin(name, key);
  }

  @Override
  public boolean isVerified(UserName name) {
    return store.isVerified(name);
  }

  @Override
  public boolean markVerified(UserName name, IdentityKey key) {
    return store.markVerified(name, key);
  }

  @Override
  public boolean unmarkVerified(UserName name) {
    return store.unmarkVerified(name);
  }
}
