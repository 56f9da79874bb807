package dev.parley.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of what a login carries (docs/fuzzing.md): a name, a key and a signature
 * as the wire spells them, and the server's id and nonce they are signed with, one per line of the
 * input. Each value is read or refused with its {@link ProtocolException}; what is read is valid,
 * one spelling per value (so that equal values are equal strings), and a proof verifies for the
 * fields it was made for and for no other name or key, without ever throwing.
 */
@Timeout(10)
class LoginProofFuzzTest {
  private static final Identity SIGNER = Identity.generate();

  @FuzzTest
  void namesKeysAndProofsAreReadOrRefusedAndVerifyOnlyWhatWasSigned(byte[] input) {
    String[] lines = new String(input, UTF_8).split("\n", 5);
    String line = lines[0];
    UserName name = read(input.length, () -> name(line), ErrorCode.INVALID_NAME);
    IdentityKey key = lines.length > 1 ? read(input.length, () -> key(lines[1]), null) : null;
    Signature signature =
        lines.length > 2 ? read(input.length, () -> signature(lines[2]), null) : null;
    String serverId = lines.length > 3 ? lines[3] : "";
    String nonce = lines.length > 4 ? lines[4] : "";
    if (name == null) {
      return;
    }
    Signature proof = LoginProof.sign(SIGNER, serverId, nonce, name);
    assertThat(LoginProof.verify(serverId, nonce, name, SIGNER.publicKey(), proof)).isTrue();
    UserName other = new UserName(name.value().equals("x") ? "y" : "x");
    assertThat(LoginProof.verify(serverId, nonce, other, SIGNER.publicKey(), proof)).isFalse();
    if (key != null) {
      assertThat(LoginProof.verify(serverId, nonce, name, key, proof))
          .isEqualTo(key.equals(SIGNER.publicKey()));
      if (signature != null && LoginProof.verify(serverId, nonce, name, key, signature)) {
        // No input holds another key's proof, and without the private key none can be made.
        assertThat(key).as("the key of a proof that verified").isEqualTo(SIGNER.publicKey());
      }
    }
  }

  private interface Reader<T> {
    T read();
  }

  /** The value {@code reader} reads, or null if it refused it with {@code code}. */
  private static <T> @Nullable T read(int length, Reader<T> reader, @Nullable ErrorCode code) {
    try {
      return Allocations.bounded(length, reader::read);
    } catch (ProtocolException e) {
      assertThat(e.code()).isEqualTo(code == null ? ErrorCode.INVALID_FIELD : code);
      assertThat(e.getMessage()).isNotBlank();
      return null;
    }
  }

  private static UserName name(String text) {
    UserName name = new UserName(text);
    assertThat(name.value()).isEqualTo(text).matches("[A-Za-z0-9][A-Za-z0-9._-]{0,31}");
    UserName upper = new UserName(text.toUpperCase(Locale.ROOT));
    assertThat(upper).isEqualTo(name).hasSameHashCodeAs(name);
    assertThat(upper.key()).isEqualTo(name.key()).isEqualTo(text.toLowerCase(Locale.ROOT));
    return name;
  }

  private static IdentityKey key(String text) {
    IdentityKey key = new IdentityKey(text);
    assertThat(key.raw()).hasSize(32);
    assertThat(IdentityKey.ofRaw(key.raw())).as("the one spelling of its bytes").isEqualTo(key);
    return key;
  }

  private static Signature signature(String text) {
    Signature signature = new Signature(text);
    assertThat(signature.raw()).hasSize(64);
    assertThat(Signature.ofRaw(signature.raw()))
        .as("the one spelling of its bytes")
        .isEqualTo(signature);
    return signature;
  }
}
