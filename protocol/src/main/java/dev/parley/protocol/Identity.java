package dev.parley.protocol;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * A user's identity key pair: the private half signs, the public half is the user's identity. The
 * private key is a JDK key (so it can be stored in a JDK key store); the arithmetic is
 * BouncyCastle's Ed25519, which is several times faster than the JDK's and gives the same RFC 8032
 * signatures.
 */
public record Identity(IdentityKey publicKey, PrivateKey privateKey) {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A fresh random Ed25519 identity. */
  public static Identity generate() {
    byte[] seed = new byte[Ed25519.SECRET_KEY_SIZE];
    RANDOM.nextBytes(seed);
    byte[] publicKey = new byte[Ed25519.PUBLIC_KEY_SIZE];
    Ed25519.generatePublicKey(seed, 0, publicKey, 0);
    try {
      PrivateKey privateKey =
          KeyFactory.getInstance("Ed25519")
              .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
      return new Identity(IdentityKey.ofRaw(publicKey), privateKey);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no Ed25519", e);
    }
  }

  public Signature sign(byte[] data) {
    if (!(privateKey instanceof EdECPrivateKey key)) {
      throw new IllegalStateException("not an Ed25519 private key: " + privateKey.getAlgorithm());
    }
    byte[] seed =
        key.getBytes()
            .orElseThrow(() -> new IllegalStateException("the private key cannot be read"));
    byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
    Ed25519.sign(seed, 0, data, 0, data.length, signature, 0);
    return Signature.ofRaw(signature);
  }
}
