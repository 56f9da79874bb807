package dev.parley.protocol;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;

/** A user's identity key pair: the private half signs, the public half is the user's identity. */
public record Identity(IdentityKey publicKey, PrivateKey privateKey) {

  /** A fresh random Ed25519 identity. */
  public static Identity generate() {
    try {
      KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      return new Identity(IdentityKey.of(pair.getPublic()), pair.getPrivate());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no Ed25519", e);
    }
  }

  public Signature sign(byte[] data) {
    try {
      java.security.Signature signer = java.security.Signature.getInstance("Ed25519");
      signer.initSign(privateKey);
      signer.update(data);
      return Signature.ofRaw(signer.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign with an Ed25519 key", e);
    }
  }
}
