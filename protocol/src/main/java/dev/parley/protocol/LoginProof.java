package dev.parley.protocol;

import java.nio.charset.StandardCharsets;

/**
 * What a client signs to log in. It binds the signature to one server (its id), one connection (the
 * single-use nonce), and the name and key being claimed, so a captured login proves nothing
 * anywhere else or later.
 */
public final class LoginProof {
  static final String CONTEXT = "parley-login-v1";

  private LoginProof() {}

  /**
   * The bytes to sign: the UTF-8 lines {@code parley-login-v1}, server id, nonce, name, public key,
   * each followed by a newline.
   */
  public static byte[] payload(String serverId, String nonce, UserName name, IdentityKey key) {
    String text =
        CONTEXT
            + "\n"
            + serverId
            + "\n"
            + nonce
            + "\n"
            + name.value()
            + "\n"
            + key.encoded()
            + "\n";
    return text.getBytes(StandardCharsets.UTF_8);
  }

  public static Signature sign(Identity identity, String serverId, String nonce, UserName name) {
    return identity.sign(payload(serverId, nonce, name, identity.publicKey()));
  }

  public static boolean verify(
      String serverId, String nonce, UserName name, IdentityKey key, Signature signature) {
    return key.verifies(payload(serverId, nonce, name, key), signature);
  }
}
