package dev.parley.stun;

import static dev.parley.stun.StunMessageTest.address;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.stun.BindingAnswer.Drop;
import dev.parley.stun.BindingAnswer.Reason;
import dev.parley.stun.BindingAnswer.Respond;
import dev.parley.stun.MessageType.MessageClass;
import dev.parley.stun.StunAttribute.Fingerprint;
import dev.parley.stun.StunAttribute.OtherAddress;
import dev.parley.stun.StunAttribute.Padding;
import dev.parley.stun.StunAttribute.ResponseOrigin;
import dev.parley.stun.StunAttribute.Unknown;
import dev.parley.stun.StunAttribute.XorMappedAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BindingResponderTest {
  private static final InetSocketAddress CLIENT_V4 = address("198.51.100.9", 40000);
  private static final InetSocketAddress CLIENT_V6 = address("2001:db8::9", 40000);
  private static final InetSocketAddress ORIGIN = address("192.0.2.10", 3478);
  private static final Optional<InetSocketAddress> OTHER = Optional.of(address("192.0.2.10", 3479));

  private final BindingResponder responder = new BindingResponder(ORIGIN);

  @Test
  void theSmallestIpv4RequestGetsFortyBytesWithTheMappedAddressAndAFingerprint() {
    StunMessage request = StunMessage.request(MessageType.BINDING);
    byte[] response = respond(request.encode(), CLIENT_V4);

    assertThat(response).hasSize(40);
    StunMessage decoded = StunMessage.decode(response);
    assertThat(decoded.type()).isEqualTo(MessageType.BINDING_SUCCESS);
    assertThat(decoded.transactionId()).isEqualTo(request.transactionId());
    assertThat(decoded.attributes()).hasSize(2).first().isEqualTo(new XorMappedAddress(CLIENT_V4));
    assertThat(StunMessage.verifyFingerprint(response)).isTrue();
  }

  @Test
  void theSmallestIpv6RequestGetsFiftyTwoBytes() {
    byte[] response = respond(StunMessage.request(MessageType.BINDING).encode(), CLIENT_V6);

    assertThat(response).hasSize(52);
    assertThat(StunMessage.decode(response).attribute(XorMappedAddress.class))
        .contains(new XorMappedAddress(CLIENT_V6));
    assertThat(BindingResponder.minimumResponseLength(CLIENT_V6)).isEqualTo(52);
  }

  @Test
  void optionalAttributesComeOnlyAsFarAsThePaddedRequestPaysForThem() {
    assertThat(attributesFor(padded(20))).isEmpty();
    assertThat(attributesFor(padded(48))).isEmpty();
    assertThat(attributesFor(padded(52))).containsExactly(StunAttribute.RESPONSE_ORIGIN);
    assertThat(attributesFor(padded(60))).containsExactly(StunAttribute.RESPONSE_ORIGIN);
    assertThat(attributesFor(padded(64)))
        .containsExactly(StunAttribute.RESPONSE_ORIGIN, StunAttribute.OTHER_ADDRESS);
  }

  @Test
  void theOptionalAttributesCarryTheirAddresses() {
    StunMessage response = StunMessage.decode(respond(padded(64), CLIENT_V4));

    assertThat(response.attribute(ResponseOrigin.class)).contains(new ResponseOrigin(ORIGIN));
    assertThat(response.attribute(OtherAddress.class)).contains(new OtherAddress(OTHER.get()));
  }

  @Test
  void aResponseIsNeverLargerThanTheRequestOnceTheRequestExceedsTheMinimum() {
    for (int length = 20; length <= 400; length += 4) {
      int answered = respond(padded(length), CLIENT_V6).length;
      assertThat(answered).as("for %d bytes", length).isLessThanOrEqualTo(Math.max(length, 52));
    }
  }

  @Test
  void onlyTheGivenLengthOfTheBufferIsRead() {
    byte[] request = StunMessage.request(MessageType.BINDING).encode();
    byte[] buffer = Arrays.copyOf(request, 1500);

    assertThat(responder.answer(buffer, request.length, CLIENT_V4)).isInstanceOf(Respond.class);
  }

  @Test
  void aRequestWithAMatchingFingerprintIsAnswered() {
    byte[] request = StunMessage.request(MessageType.BINDING).withFingerprint().encode();

    assertThat(respond(request, CLIENT_V4)).hasSize(40);
  }

  @Test
  void aDatagramOverTheLimitIsDroppedAsOversized() {
    byte[] big = ByteBuffer.allocate(StunMessage.MAX_LENGTH + 4).put(padded(20)).array();
    ByteBuffer.wrap(big).putShort(2, (short) (big.length - 20)).putShort(20, (short) 0x0026);
    ByteBuffer.wrap(big).putShort(22, (short) (big.length - 24));

    assertDropped(big, Reason.OVERSIZED);
  }

  @Test
  void aClassicRfc3489RequestIsDropped() {
    byte[] classic = new byte[20];
    classic[1] = 1;
    classic[4] = 0x55;

    assertDropped(classic, Reason.CLASSIC_STUN);
  }

  @Test
  void bytesThatAreNotStunAreDroppedAsMalformed() {
    assertDropped(
        "GET / HTTP/1.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        Reason.MALFORMED);
    assertDropped(new byte[7], Reason.MALFORMED);
  }

  @Test
  void indicationsAndResponsesAreNeverAnswered() {
    TransactionId id = TransactionId.random();
    assertDropped(
        new StunMessage(MessageType.of(MessageType.BINDING, MessageClass.INDICATION), id, List.of())
            .encode(),
        Reason.NOT_A_REQUEST);
    assertDropped(respond(padded(20), CLIENT_V4), Reason.NOT_A_REQUEST);
  }

  @Test
  void requestsOfOtherMethodsAreDropped() {
    assertDropped(StunMessage.request(MessageType.ALLOCATE).encode(), Reason.NOT_BINDING);
  }

  @Test
  void anUnknownComprehensionRequiredAttributeGetsTheRequestDropped() {
    assertDropped(
        StunMessage.request(MessageType.BINDING).with(new Unknown(0x7777, new byte[4])).encode(),
        Reason.UNKNOWN_REQUIRED_ATTRIBUTE);
    assertDropped(Rfc5769Vectors.REQUEST, Reason.UNKNOWN_REQUIRED_ATTRIBUTE);
  }

  @Test
  void anUnknownOptionalAttributeIsIgnored() {
    byte[] request =
        StunMessage.request(MessageType.BINDING).with(new Unknown(0xC001, new byte[4])).encode();

    assertThat(respond(request, CLIENT_V4)).hasSize(40);
  }

  @Test
  void aFingerprintThatDoesNotMatchGetsTheRequestDropped() {
    byte[] request = StunMessage.request(MessageType.BINDING).with(new Fingerprint(42)).encode();

    assertDropped(request, Reason.BAD_FINGERPRINT);
  }

  /** A Binding request of exactly {@code length} bytes: PADDING fills all past the header. */
  static byte[] padded(int length) {
    StunMessage request = StunMessage.request(MessageType.BINDING);
    return length == 20 ? request.encode() : request.with(new Padding(length - 24)).encode();
  }

  private List<Integer> attributesFor(byte[] request) {
    return StunMessage.decode(respond(request, CLIENT_V4)).attributes().stream()
        .map(StunAttribute::type)
        .filter(
            type -> type == StunAttribute.RESPONSE_ORIGIN || type == StunAttribute.OTHER_ADDRESS)
        .toList();
  }

  private byte[] respond(byte[] request, InetSocketAddress from) {
    BindingAnswer answer = responder.answer(request, request.length, from, OTHER);
    assertThat(answer).isInstanceOf(Respond.class);
    return ((Respond) answer).datagram();
  }

  private void assertDropped(byte[] datagram, Reason reason) {
    assertThat(responder.answer(datagram, datagram.length, CLIENT_V4, OTHER))
        .isEqualTo(new Drop(reason));
  }
}
