// Safety numbers (docs/p2p.md): 60 digits both people can compare to be sure no server swapped keys.

import { nameKey, utf8 } from './bytes.js';

export async function safetyNumber(nameA, keyA, nameB, keyB) {
  let first = [nameKey(nameA), keyA];
  let second = [nameKey(nameB), keyB];
  if (first[0] > second[0]) [first, second] = [second, first];
  const payload = `parley-safety-v1\n${first[0]}\n${first[1]}\n${second[0]}\n${second[1]}\n`;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-512', utf8(payload)));
  const groups = [];
  for (let g = 0; g < 12; g++) {
    let value = 0;
    for (let i = 0; i < 5; i++) value = value * 256 + digest[g * 5 + i]; // < 2^40: exact in a double
    groups.push(String(value % 100000).padStart(5, '0'));
  }
  return groups.join(' ');
}
