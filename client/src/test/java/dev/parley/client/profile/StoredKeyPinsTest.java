package dev.parley.client.profile;

import dev.parley.client.trust.KeyPins;
import dev.parley.client.trust.KeyPinsContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** {@link StoredKeyPins}, a profile's pins, keeps the contract of {@link KeyPins}. */
class StoredKeyPinsTest extends KeyPinsContract {
  @TempDir Path dir;
  private Profile profile;

  @Override
  protected KeyPins pins() {
    profile = Profile.open(dir);
    return profile.pins();
  }

  @AfterEach
  void close() {
    if (profile != null) {
      profile.close();
    }
  }
}
