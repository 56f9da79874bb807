package dev.parley.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.stun.MessageType.MessageClass;
import dev.parley.stun.StunAttribute.ErrorCode;
import dev.parley.stun.StunAttribute.Fingerprint;
import dev.parley.stun.StunAttribute.Lifetime;
import dev.parley.stun.StunAttribute.MappedAddress;
import dev.parley.stun.StunAttribute.MessageIntegrity;
import dev.parley.stun.StunAttribute.MessageIntegritySha256;
import dev.parley.stun.StunAttribute.Nonce;
import dev.parley.stun.StunAttribute.OtherAddress;
import dev.parley.stun.StunAttribute.Padding;
import dev.parley.stun.StunAttribute.Realm;
import dev.parley.stun.StunAttribute.RequestedTransport;
import dev.parley.stun.StunAttribute.ResponseOrigin;
import dev.parley.stun.StunAttribute.Software;
import dev.parley.stun.StunAttribute.Unknown;
import dev.parley.stun.StunAttribute.UnknownAttributes;
import dev.parley.stun.StunAttribute.Username;
import dev.parley.stun.StunAttribute.XorMappedAddress;
import dev.parley.stun.StunAttribute.XorPeerAddress;
import dev.parley.stun.StunAttribute.XorRelayedAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class StunMessageTest {
  private static final InetSocketAddress V4 = address("203.0.113.7", 50000);
  private static final InetSocketAddress V6 = address("2001:db8::42", 3478);

  @Test
  void everyAttributeSurvivesARoundTrip() {
    StunMessage message =
        new StunMessage(
            MessageType.of(MessageType.ALLOCATE, MessageClass.ERROR_RESPONSE),
            TransactionId.random(),
            List.of(
                new MappedAddress(V4),
                new XorMappedAddress(V6),
                new XorRelayedAddress(V4),
                new XorPeerAddress(V6),
                new ResponseOrigin(V6),
                new OtherAddress(V4),
                new Username("1700000000:alice"),
                new Realm("parley.test"),
                new Nonce("abc"),
                new Software("Parley"),
                new ErrorCode(438, "Stale Nonce"),
                new UnknownAttributes(List.of(0x0024, 0x7777)),
                new Lifetime(0xFFFF_FFFFL),
                new RequestedTransport(RequestedTransport.UDP),
                new Padding(7),
                new Unknown(0xC001, new byte[] {1, 2, 3}),
                new MessageIntegrity(new byte[20]),
                new MessageIntegritySha256(new byte[32]),
                new Fingerprint(0x12345678)));

    assertThat(StunMessage.decode(message.encode())).isEqualTo(message);
  }

  @Test
  void typeCodesInterleaveMethodAndClassAsRfc8489Says() {
    assertThat(MessageType.BINDING_REQUEST.code()).isEqualTo(0x0001);
    assertThat(MessageType.BINDING_SUCCESS.code()).isEqualTo(0x0101);
    assertThat(MessageType.of(MessageType.BINDING, MessageClass.ERROR_RESPONSE).code())
        .isEqualTo(0x0111);
    assertThat(MessageType.of(MessageType.BINDING, MessageClass.INDICATION).code())
        .isEqualTo(0x0011);
    assertThat(MessageType.of(MessageType.ALLOCATE, MessageClass.ERROR_RESPONSE).code())
        .isEqualTo(0x0113);
    for (int code = 0; code < 0x4000; code++) {
      assertThat(MessageType.fromCode(code).code()).isEqualTo(code);
    }
  }

  @Test
  void xorAddressesAreMaskedOnTheWire() {
    StunMessage message =
        new StunMessage(
            MessageType.BINDING_SUCCESS, TransactionId.random(), List.of(new XorMappedAddress(V4)));
    ByteBuffer bytes = ByteBuffer.wrap(message.encode());

    assertThat(bytes.getShort(26) & 0xFFFF).isEqualTo(50000 ^ 0x2112);
    assertThat(bytes.getInt(28)).isEqualTo(ipv4(V4) ^ StunMessage.MAGIC_COOKIE);
  }

  @Test
  void integrityAndFingerprintVerifyAndFailOnAnyChangedByte() {
    byte[] key = StunKeys.longTerm("user", "realm", "pass");
    byte[] bytes =
        StunMessage.request(MessageType.ALLOCATE)
            .with(new RequestedTransport(17), new Username("user"))
            .withIntegrity(key)
            .withFingerprint()
            .encode();

    assertThat(StunMessage.verifyIntegrity(bytes, key)).isTrue();
    assertThat(StunMessage.verifyFingerprint(bytes)).isTrue();
    bytes[25] ^= 1;
    assertThat(StunMessage.verifyIntegrity(bytes, key)).isFalse();
    assertThat(StunMessage.verifyFingerprint(bytes)).isFalse();
  }

  @Test
  void aMessageWithoutTheChecksumsDoesNotVerify() {
    byte[] bytes = StunMessage.request(MessageType.BINDING).encode();

    assertThat(StunMessage.verifyFingerprint(bytes)).isFalse();
    assertThat(StunMessage.verifyIntegrity(bytes, new byte[16])).isFalse();
  }

  @Test
  void decodingABufferReadsItsRemainingBytesAndLeavesItsPosition() {
    byte[] message = StunMessage.request(MessageType.BINDING).withFingerprint().encode();
    ByteBuffer buffer = ByteBuffer.allocate(message.length + 10).position(10);
    buffer.put(message).position(10);

    assertThat(StunMessage.decode(buffer).type()).isEqualTo(MessageType.BINDING_REQUEST);
    assertThat(StunMessage.verifyFingerprint(buffer)).isTrue();
    assertThat(buffer.position()).isEqualTo(10);
  }

  @Test
  void onlyUnknownAttributesBelow0x8000AreComprehensionRequired() {
    StunMessage message =
        StunMessage.request(MessageType.BINDING)
            .with(
                new Unknown(0x7777, new byte[0]),
                new Unknown(0xC001, new byte[0]),
                new RequestedTransport(17));

    assertThat(message.unknownComprehensionRequired()).containsExactly(0x7777);
  }

  @Test
  void aMessageThatWouldBeOverTheLimitIsNotEncoded() {
    StunMessage message =
        StunMessage.request(MessageType.BINDING).with(new Padding(StunMessage.MAX_LENGTH - 20));

    assertThatThrownBy(message::encode)
        .isInstanceOf(StunFormatException.class)
        .hasMessageContaining("over 1280");
  }

  @Test
  void attributesRefuseValuesTheRfcForbids() {
    assertThatThrownBy(() -> new ErrorCode(700, "x")).hasMessageContaining("300 to 699");
    assertThatThrownBy(() -> new Username("u".repeat(513))).hasMessageContaining("over 512");
    assertThatThrownBy(() -> new Realm("r".repeat(128))).hasMessageContaining("128 characters");
    assertThatThrownBy(() -> new MessageIntegrity(new byte[19])).hasMessageContaining("19 bytes");
    assertThatThrownBy(() -> new Lifetime(-1)).hasMessageContaining("unsigned");
    assertThatThrownBy(() -> new XorMappedAddress(InetSocketAddress.createUnresolved("a", 1)))
        .hasMessageContaining("IP address");
  }

  static InetSocketAddress address(String ip, int port) {
    try {
      return new InetSocketAddress(InetAddress.getByName(ip), port);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static int ipv4(InetSocketAddress address) {
    return ByteBuffer.wrap(address.getAddress().getAddress()).getInt();
  }
}
