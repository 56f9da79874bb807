package dev.parley.client.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.Identity;
import dev.parley.protocol.Signature;
import dev.parley.protocol.UserName;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DtlsFingerprintTest {
  private static final UserName ALICE = new UserName("Alice");
  private static final UserName BOB = new UserName("bob");
  private static final String FINGERPRINT =
      "sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:3D:8C:2C:6A:AD:2E:1F:2B:C9:6B:A1:D7";
  private static final String SDP =
      "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
          + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
          + "a=fingerprint:"
          + FINGERPRINT
          + "\r\na=setup:actpass\r\n";
  private final Identity alice = Identity.generate();

  @Test
  void theFingerprintIsReadFromTheSdp() {
    assertThat(DtlsFingerprint.of(SDP)).isEqualTo(FINGERPRINT);
  }

  @Test
  void theFingerprintIsNormalized() {
    String sdp = SDP.replace("a=fingerprint:sha-256 4A:AD", "a=fingerprint:SHA-256   4a:ad");

    assertThat(DtlsFingerprint.of(sdp)).isEqualTo(FINGERPRINT);
  }

  @Test
  void anSdpWithoutOrWithConflictingFingerprintsIsRefused() {
    assertThatThrownBy(() -> DtlsFingerprint.of("v=0\r\n"))
        .isInstanceOf(FingerprintMismatchException.class)
        .hasMessageContaining("no DTLS fingerprint");
    assertThatThrownBy(() -> DtlsFingerprint.of(SDP + "a=fingerprint:sha-256 00:11\r\n"))
        .isInstanceOf(FingerprintMismatchException.class)
        .hasMessageContaining("several");
    assertThatThrownBy(() -> DtlsFingerprint.of(SDP.replace("sha-256", "md5")))
        .hasMessageContaining("unusable");
  }

  @Test
  void thePayloadBindsBothNamesInLowerCaseTheLinkAndTheFingerprint() {
    assertThat(
            new String(
                DtlsFingerprint.payload(ALICE, BOB, "L1", FINGERPRINT), StandardCharsets.UTF_8))
        .isEqualTo("parley-dtls-v1\nalice\nbob\nL1\n" + FINGERPRINT + "\n");
  }

  @Test
  void aSignedFingerprintVerifiesWithTheSignersKey() {
    Signature signature = DtlsFingerprint.sign(alice, ALICE, BOB, "L1", SDP);

    assertThatCode(
            () -> DtlsFingerprint.verify(alice.publicKey(), ALICE, BOB, "L1", SDP, signature))
        .doesNotThrowAnyException();
  }

  @Test
  void anyChangeBreaksTheSignature() {
    Signature signature = DtlsFingerprint.sign(alice, ALICE, BOB, "L1", SDP);
    String forged = SDP.replace("4A:AD", "4A:AE");

    assertThatThrownBy(
            () -> DtlsFingerprint.verify(alice.publicKey(), ALICE, BOB, "L1", forged, signature))
        .isInstanceOf(FingerprintMismatchException.class)
        .hasMessageContaining("not signed by the identity key pinned for Alice");
    assertThatThrownBy(
            () -> DtlsFingerprint.verify(alice.publicKey(), ALICE, BOB, "L2", SDP, signature))
        .isInstanceOf(FingerprintMismatchException.class);
    assertThatThrownBy(
            () -> DtlsFingerprint.verify(alice.publicKey(), BOB, ALICE, "L1", SDP, signature))
        .isInstanceOf(FingerprintMismatchException.class);
    assertThatThrownBy(
            () ->
                DtlsFingerprint.verify(
                    Identity.generate().publicKey(), ALICE, BOB, "L1", SDP, signature))
        .isInstanceOf(FingerprintMismatchException.class);
  }
}
