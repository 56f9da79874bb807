package dev.parley.client.trust;

/** {@link MemoryKeyPins} keeps the contract of {@link KeyPins}. */
class MemoryKeyPinsTest extends KeyPinsContract {
  @Override
  protected KeyPins pins() {
    return new MemoryKeyPins();
  }
}
