package dev.parley.client.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.UserName;
import org.junit.jupiter.api.Test;

class SafetyNumberTest {
  private static final IdentityKey ALICE = IdentityKey.ofRaw(bytes(0));
  private static final IdentityKey BOB = IdentityKey.ofRaw(bytes(32));

  @Test
  void matchesTheTestVectorOfTheSpecification() {
    assertThat(SafetyNumber.of(new UserName("Alice"), ALICE, new UserName("bob"), BOB))
        .isEqualTo("47725 85362 49896 62078 64057 74541 06879 13102 55235 64852 51079 67122");
  }

  @Test
  void isTheSameFromBothSidesAndChangesWithEitherKey() {
    String fromAlice = SafetyNumber.of(new UserName("alice"), ALICE, new UserName("BOB"), BOB);
    String fromBob = SafetyNumber.of(new UserName("bob"), BOB, new UserName("alice"), ALICE);

    assertThat(fromAlice).isEqualTo(fromBob).matches("(\\d{5} ){11}\\d{5}");
    assertThat(SafetyNumber.of(new UserName("alice"), ALICE, new UserName("bob"), ALICE))
        .isNotEqualTo(fromAlice);
  }

  private static byte[] bytes(int from) {
    byte[] raw = new byte[32];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = (byte) (from + i);
    }
    return raw;
  }
}
