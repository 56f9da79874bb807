package dev.parley.stun;

import static dev.parley.stun.Rfc5769Vectors.IPV4_RESPONSE;
import static dev.parley.stun.Rfc5769Vectors.IPV6_RESPONSE;
import static dev.parley.stun.Rfc5769Vectors.LONG_TERM_REQUEST;
import static dev.parley.stun.Rfc5769Vectors.PASSWORD;
import static dev.parley.stun.Rfc5769Vectors.REQUEST;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.stun.StunAttribute.Nonce;
import dev.parley.stun.StunAttribute.Realm;
import dev.parley.stun.StunAttribute.Software;
import dev.parley.stun.StunAttribute.Username;
import dev.parley.stun.StunAttribute.XorMappedAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class Rfc5769VectorsTest {
  private static final byte[] SHORT_TERM_KEY = StunKeys.shortTerm(PASSWORD);

  @Test
  void theSampleRequestDecodesAndBothChecksumsVerify() {
    StunMessage request = StunMessage.decode(REQUEST);

    assertThat(request.type()).isEqualTo(MessageType.BINDING_REQUEST);
    assertThat(request.transactionId()).hasToString("b7e7a701bc34d686fa87dfae");
    assertThat(request.attribute(Software.class)).contains(new Software("STUN test client"));
    assertThat(request.attribute(Username.class)).contains(new Username("evtj:h6vY"));
    assertThat(StunMessage.verifyFingerprint(REQUEST)).isTrue();
    assertThat(StunMessage.verifyIntegrity(REQUEST, SHORT_TERM_KEY)).isTrue();
    assertThat(StunMessage.verifyIntegrity(REQUEST, StunKeys.shortTerm("wrong"))).isFalse();
  }

  @Test
  void theSampleRequestCarriesPriorityWhichAPlainStunServerDoesNotUnderstand() {
    // PRIORITY (0x0024) is ICE's and comprehension-required; ICE-CONTROLLED (0x8029) is optional.
    assertThat(StunMessage.decode(REQUEST).unknownComprehensionRequired()).containsExactly(0x0024);
  }

  @Test
  void theIpv4ResponseGivesItsMappedAddress() throws Exception {
    StunMessage response = StunMessage.decode(IPV4_RESPONSE);

    assertThat(response.type()).isEqualTo(MessageType.BINDING_SUCCESS);
    assertThat(response.attribute(Software.class)).contains(new Software("test vector"));
    assertThat(response.attribute(XorMappedAddress.class).orElseThrow().address())
        .isEqualTo(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853));
    assertThat(StunMessage.verifyFingerprint(IPV4_RESPONSE)).isTrue();
    assertThat(StunMessage.verifyIntegrity(IPV4_RESPONSE, SHORT_TERM_KEY)).isTrue();
  }

  @Test
  void theIpv6ResponseGivesItsMappedAddress() throws Exception {
    StunMessage response = StunMessage.decode(IPV6_RESPONSE);

    assertThat(response.attribute(XorMappedAddress.class).orElseThrow().address())
        .isEqualTo(
            new InetSocketAddress(
                InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853));
    assertThat(StunMessage.verifyFingerprint(IPV6_RESPONSE)).isTrue();
    assertThat(StunMessage.verifyIntegrity(IPV6_RESPONSE, SHORT_TERM_KEY)).isTrue();
  }

  @Test
  void theLongTermRequestVerifiesWithTheKeyOfTheSaslPreparedPassword() {
    StunMessage request = StunMessage.decode(LONG_TERM_REQUEST);
    byte[] key =
        StunKeys.longTerm(
            Rfc5769Vectors.LONG_TERM_USERNAME, "example.org", Rfc5769Vectors.LONG_TERM_PASSWORD);

    assertThat(request.attribute(Username.class))
        .contains(new Username(Rfc5769Vectors.LONG_TERM_USERNAME));
    assertThat(request.attribute(Realm.class)).contains(new Realm("example.org"));
    assertThat(request.attribute(Nonce.class)).contains(new Nonce("f//499k954d6OL34oL9FSTvy64sA"));
    assertThat(StunMessage.verifyIntegrity(LONG_TERM_REQUEST, key)).isTrue();
    assertThat(StunMessage.verifyFingerprint(LONG_TERM_REQUEST)).as("it has none").isFalse();
  }

  @Test
  void theLongTermRequestDoesNotVerifyWithThePasswordAsTyped() {
    // Why the missing SASLprep matters for other text than Parley's ASCII credentials.
    byte[] unprepared =
        StunKeys.longTerm(
            Rfc5769Vectors.LONG_TERM_USERNAME, "example.org", "The\u00ADM\u00AAtr\u2168");

    assertThat(StunMessage.verifyIntegrity(LONG_TERM_REQUEST, unprepared)).isFalse();
  }

  @Test
  void anEncoderWritesTheIpv4ResponseWithZeroPaddingAndChecksumsOverThoseZeros() {
    StunMessage received = StunMessage.decode(IPV4_RESPONSE);
    byte[] encoded =
        new StunMessage(
                MessageType.BINDING_SUCCESS,
                received.transactionId(),
                received.attributes().subList(0, 2))
            .withIntegrity(SHORT_TERM_KEY)
            .withFingerprint()
            .encode();

    assertThat(encoded).hasSameSizeAs(IPV4_RESPONSE);
    assertThat(encoded[35]).as("SOFTWARE's padding byte").isZero();
    encoded[35] = 0x20;
    assertThat(Arrays.copyOf(encoded, 48))
        .as("header, SOFTWARE and XOR-MAPPED-ADDRESS")
        .isEqualTo(Arrays.copyOf(IPV4_RESPONSE, 48));
    encoded[35] = 0;
    assertThat(StunMessage.verifyIntegrity(encoded, SHORT_TERM_KEY)).isTrue();
    assertThat(StunMessage.verifyFingerprint(encoded)).isTrue();
  }
}
