package dev.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

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
}
