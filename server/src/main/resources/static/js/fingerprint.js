// The DTLS fingerprint of an SDP and the payload each side signs for it (docs/p2p.md).

import { nameKey } from './bytes.js';

const HASHES = new Set(['sha-256', 'sha-384', 'sha-512']);
const VALUE = /^([A-Za-z0-9-]+)\s+((?:[0-9A-Fa-f]{2}:)*[0-9A-Fa-f]{2})$/;

/** The SDP's fingerprint, normalized ("sha-256 AB:CD:..."); throws unless there is exactly one. */
export function fingerprintOf(sdp) {
  const found = new Set();
  for (const line of sdp.split(/\r?\n/)) {
    if (line.toLowerCase().startsWith('a=fingerprint:')) {
      const match = VALUE.exec(line.slice('a=fingerprint:'.length).trim());
      if (!match || !HASHES.has(match[1].toLowerCase())) {
        throw new Error(`unusable DTLS fingerprint: ${line}`);
      }
      found.add(`${match[1].toLowerCase()} ${match[2].toUpperCase()}`);
    }
  }
  if (found.size !== 1) {
    throw new Error(found.size ? 'the SDP has several DTLS fingerprints' : 'the SDP has no DTLS fingerprint');
  }
  return [...found][0];
}

export function fingerprintPayload(from, to, link, fingerprint) {
  return `parley-dtls-v1\n${nameKey(from)}\n${nameKey(to)}\n${link}\n${fingerprint}\n`;
}
