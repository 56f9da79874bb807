package dev.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LoginProofTest {
  private static final UserName ALICE = new UserName("alice");
  private final Identity identity = Identity.generate();

  @Test
  void aProofVerifiesForTheServerNonceNameAndKeyItWasMadeFor() {
    Signature signature = LoginProof.sign(identity, "server-1", "nonce-1", ALICE);
    assertThat(LoginProof.verify("server-1", "nonce-1", ALICE, identity.publicKey(), signature))
        .isTrue();
  }

  @Test
  void aProofIsWorthlessOnAnotherServerForAnotherNonceNameOrKey() {
    Signature signature = LoginProof.sign(identity, "server-1", "nonce-1", ALICE);
    IdentityKey key = identity.publicKey();
    assertThat(LoginProof.verify("server-2", "nonce-1", ALICE, key, signature)).isFalse();
    assertThat(LoginProof.verify("server-1", "nonce-2", ALICE, key, signature)).isFalse();
    assertThat(LoginProof.verify("server-1", "nonce-1", new UserName("bob"), key, signature))
        .isFalse();
    assertThat(
            LoginProof.verify(
                "server-1", "nonce-1", ALICE, Identity.generate().publicKey(), signature))
        .isFalse();
  }

  @Test
  void aKeySurvivesTheRoundTripThroughItsRawWireForm() {
    IdentityKey key = identity.publicKey();
    assertThat(IdentityKey.ofRaw(key.raw())).isEqualTo(key);
    assertThat(IdentityKey.of(key.toPublicKey())).isEqualTo(key);
    assertThat(key.raw()).hasSize(32);
  }

  @Test
  void aSignatureByAnotherKeyDoesNotVerify() {
    byte[] data = {1, 2, 3};
    Signature forged = Identity.generate().sign(data);
    assertThat(identity.publicKey().verifies(data, forged)).isFalse();
    assertThat(identity.publicKey().verifies(data, identity.sign(data))).isTrue();
  }

  @Test
  void signaturesAgreeWithTheJdksEd25519BothWays() throws Exception {
    byte[] data = "parley".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    java.security.Signature jdk = java.security.Signature.getInstance("Ed25519");
    jdk.initVerify(identity.publicKey().toPublicKey());
    jdk.update(data);
    assertThat(jdk.verify(identity.sign(data).raw())).isTrue();

    jdk.initSign(identity.privateKey());
    jdk.update(data);
    byte[] byJdk = jdk.sign();
    assertThat(identity.publicKey().verifies(data, Signature.ofRaw(byJdk))).isTrue();
    assertThat(identity.sign(data).raw()).isEqualTo(byJdk); // Ed25519 is deterministic
  }

  @Test
  void aTamperedSignatureDoesNotVerify() {
    byte[] data = {1, 2, 3};
    byte[] raw = identity.sign(data).raw();
    raw[10] ^= 1;
    assertThat(identity.publicKey().verifies(data, Signature.ofRaw(raw))).isFalse();
  }

  @Test
  void aKeyOrSignatureHasOneSpellingOnly() {
    String key = identity.publicKey().encoded();
    // The last of 43 characters carries 4 bits of data and 2 unused ones, zero when canonical:
    // the next character of the alphabet sets an unused bit and decodes to the same 32 bytes.
    // (Flipping a bit of the character itself could make an invalid one, as 'A' to '@' does.)
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char last = key.charAt(key.length() - 1);
    String other = key.substring(0, key.length() - 1) + alphabet.charAt(alphabet.indexOf(last) + 1);
    assertThatThrownBy(() -> new IdentityKey(other))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("canonical");
    String signature = Signature.ofRaw(new byte[64]).encoded();
    assertThatThrownBy(() -> new Signature(signature.substring(0, 85) + "B"))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("canonical");
  }
}
