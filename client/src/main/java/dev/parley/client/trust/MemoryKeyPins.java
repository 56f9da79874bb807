package dev.parley.client.trust;

import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.UserName;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Pins kept in memory for the life of the process; nothing survives a restart. */
public final class MemoryKeyPins implements KeyPins {
  private record Pin(IdentityKey key, boolean verified) {}

  private final Map<UserName, Pin> pins = new ConcurrentHashMap<>();

  @Override
  public Optional<IdentityKey> pinned(UserName name) {
    return Optional.ofNullable(pins.get(name)).map(Pin::key);
  }

  @Override
  public IdentityKey pinIfAbsent(UserName name, IdentityKey key) {
    return pins.computeIfAbsent(name, n -> new Pin(key, false)).key();
  }

  @Override
  public void accept(UserName name, IdentityKey key) {
    pins.compute(
        name, (n, pin) -> new Pin(key, pin != null && pin.verified() && pin.key().equals(key)));
  }

  @Override
  public boolean isVerified(UserName name) {
    Pin pin = pins.get(name);
    return pin != null && pin.verified();
  }

  @Override
  public boolean markVerified(UserName name, IdentityKey key) {
    // Compare and set: an accept of another key that races with this one wins, and is not marked.
    while (true) {
      Pin pin = pins.get(name);
      if (pin == null || !pin.key().equals(key)) {
        return false;
      }
      if (pin.verified() || pins.replace(name, pin, new Pin(key, true))) {
        return true;
      }
    }
  }

  @Override
  public boolean unmarkVerified(UserName name) {
    while (true) {
      Pin pin = pins.get(name);
      if (pin == null || !pin.verified()) {
        return false;
      }
      if (pins.replace(name, pin, new Pin(pin.key(), false))) {
        return true;
      }
    }
  }
}
