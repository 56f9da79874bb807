package dev.parley.client.trust;

import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.UserName;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Pins kept in memory for the life of the process; nothing survives a restart. */
public final class MemoryKeyPins implements KeyPins {
  private final Map<UserName, IdentityKey> pins = new ConcurrentHashMap<>();

  @Override
  public Optional<IdentityKey> pinned(UserName name) {
    return Optional.ofNullable(pins.get(name));
  }

  @Override
  public IdentityKey pinIfAbsent(UserName name, IdentityKey key) {
    return pins.computeIfAbsent(name, n -> key);
  }

  @Override
  public void accept(UserName name, IdentityKey key) {
    pins.put(name, key);
  }
}
