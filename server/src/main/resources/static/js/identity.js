// The user's identity: an Ed25519 key pair made by WebCrypto. The private key is non-extractable
// and kept in IndexedDB as a CryptoKey, so it never leaves this browser profile.

import { fromBase64Url, nameKey, toBase64Url, utf8 } from './bytes.js';

export class Identity {
  constructor(name, privateKey, publicKey) {
    this.name = name;
    this.privateKey = privateKey;
    /** The raw public key in unpadded base64url: what the server and peers see. */
    this.publicKey = publicKey;
  }

  /** The identity kept for {@code name} in this profile, or a new one, stored at once. */
  static async forName(store, name) {
    const key = nameKey(name);
    const kept = await store.get('accounts', key);
    if (kept) return new Identity(kept.name, kept.privateKey, kept.publicKey);
    const pair = await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']);
    const publicKey = toBase64Url(await crypto.subtle.exportKey('raw', pair.publicKey));
    await store.put('accounts', { key, name, privateKey: pair.privateKey, publicKey });
    return new Identity(name, pair.privateKey, publicKey);
  }

  async sign(text) {
    return toBase64Url(await crypto.subtle.sign('Ed25519', this.privateKey, utf8(text)));
  }
}

/** Whether {@code signature} (base64url) is {@code publicKey}'s signature of {@code text}. */
export async function verify(publicKey, text, signature) {
  try {
    const key = await crypto.subtle.importKey('raw', fromBase64Url(publicKey), 'Ed25519', false, [
      'verify',
    ]);
    return await crypto.subtle.verify('Ed25519', key, fromBase64Url(signature), utf8(text));
  } catch {
    return false;
  }
}
