package dev.parley.stun;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.stun.StunAttribute.Fingerprint;
import dev.parley.stun.StunAttribute.MessageIntegrity;
import dev.parley.stun.StunAttribute.Software;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each rule of RFC 8489's format, broken once: decode names it in a StunFormatException. */
class StunFormatTest {
  private static final byte[] VALID =
      StunMessage.request(MessageType.BINDING).with(new Software("abc")).withFingerprint().encode();

  @Test
  void fewerThanTwentyBytesAreRefused() {
    assertRefused(Arrays.copyOf(VALID, 19), "fewer than the 20");
  }

  @Test
  void aFirstByteWithEitherTopBitSetIsRefused() {
    byte[] bytes = VALID.clone();
    bytes[0] |= 0x40;
    assertRefused(bytes, "first two bits");
  }

  @Test
  void aWrongMagicCookieIsRefused() {
    byte[] bytes = VALID.clone();
    bytes[4] = 0;
    assertRefused(bytes, "no magic cookie");
  }

  @Test
  void aLengthFieldThatDisagreesWithTheDatagramIsRefused() {
    assertRefused(Arrays.copyOf(VALID, VALID.length + 4), "the length field says");
    byte[] bytes = VALID.clone();
    bytes[3] = (byte) (bytes[3] + 4);
    assertRefused(bytes, "the length field says");
  }

  @Test
  void aLengthThatIsNotAMultipleOfFourIsRefused() {
    byte[] bytes = Arrays.copyOf(VALID, VALID.length + 2);
    bytes[3] = (byte) (bytes[3] + 2);
    assertRefused(bytes, "not a multiple of 4");
  }

  @Test
  void anAttributeThatRunsPastTheEndIsRefused() {
    byte[] bytes = VALID.clone();
    bytes[23] = 13; // SOFTWARE "abc" now claims 13 bytes, 16 with padding, where 4 + 8 remain
    assertRefused(bytes, "attribute 0x8022 at offset 20 has 13 bytes of value, padded to 16");
  }

  @Test
  void anAttributeAfterFingerprintIsRefused() {
    assertRefused(
        encodeUnchecked(new Fingerprint(0), new Software("late")),
        "comes after FINGERPRINT, which must be last");
  }

  @Test
  void onlyTheOtherChecksumsMayFollowMessageIntegrity() {
    assertRefused(
        encodeUnchecked(new MessageIntegrity(new byte[20]), new Software("late")),
        "comes after MESSAGE-INTEGRITY, which only MESSAGE-INTEGRITY-SHA256 and FINGERPRINT");
  }

  @Test
  void aDatagramOverTheLimitIsRefused() {
    assertRefused(new byte[StunMessage.MAX_LENGTH + 4], "over the limit of 1280");
  }

  @Test
  void anAddressOfAnUnknownFamilyIsRefused() {
    assertRefused(withAttribute(0x0020, new byte[] {0, 3, 0, 1, 1, 2, 3, 4}), "address family 3");
  }

  @Test
  void anAddressOfTheWrongLengthIsRefused() {
    assertRefused(
        withAttribute(0x0001, new byte[] {0, 1, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8}), "12 bytes");
  }

  @Test
  void anErrorCodeOutsideItsClassesIsRefused() {
    assertRefused(withAttribute(0x0009, new byte[] {0, 0, 7, 1}), "class 7");
    assertRefused(withAttribute(0x0009, new byte[] {0, 0, 4, 100}), "number 100");
  }

  @Test
  void textThatIsNotUtf8IsRefused() {
    assertRefused(withAttribute(0x8022, new byte[] {(byte) 0xC3, 0x28}), "not UTF-8");
  }

  @Test
  void aFixedSizeAttributeOfAnotherSizeIsRefused() {
    assertRefused(withAttribute(0x8028, new byte[] {1, 2, 3, 4, 5}), "5 bytes where 4 belong");
    assertRefused(withAttribute(0x0008, new byte[8]), "MESSAGE-INTEGRITY is 8 bytes");
  }

  @Test
  void unknownAttributesWithAnOddLengthIsRefused() {
    assertRefused(withAttribute(0x000A, new byte[3]), "odd length");
  }

  @Test
  void verifyingAMalformedMessageIsRefusedToo() {
    assertThatThrownBy(() -> StunMessage.verifyFingerprint(new byte[5]))
        .isInstanceOf(StunFormatException.class);
  }

  private static void assertRefused(byte[] bytes, String why) {
    assertThatThrownBy(() -> StunMessage.decode(bytes))
        .isInstanceOf(StunFormatException.class)
        .hasMessageContaining(why);
  }

  /** A Binding request holding one raw attribute, written by hand. */
  private static byte[] withAttribute(int type, byte[] value) {
    int padded = (value.length + 3) & ~3;
    return ByteBuffer.allocate(24 + padded)
        .putShort((short) 1)
        .putShort((short) (4 + padded))
        .putInt(StunMessage.MAGIC_COOKIE)
        .put(new byte[12])
        .putShort((short) type)
        .putShort((short) value.length)
        .put(value)
        .array();
  }

  /** Attributes in an order the record would refuse, written one TLV at a time. */
  private static byte[] encodeUnchecked(StunAttribute... attributes) {
    ByteBuffer out = ByteBuffer.allocate(StunMessage.MAX_LENGTH);
    out.position(20);
    for (StunAttribute attribute : List.of(attributes)) {
      byte[] one =
          new StunMessage(
                  MessageType.BINDING_REQUEST, TransactionId.of(new byte[12]), List.of(attribute))
              .encode();
      out.put(one, 20, one.length - 20);
    }
    int length = out.position();
    out.putShort(0, (short) 1)
        .putShort(2, (short) (length - 20))
        .putInt(4, StunMessage.MAGIC_COOKIE);
    return Arrays.copyOf(out.array(), length);
  }
}
