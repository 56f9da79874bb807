// Names, and the server's directory of registered users (docs/protocol.md, GET /api/users/{name}):
// a conversation can be started with someone offline only once the server knows their name.

import { nameKey } from './bytes.js';

/** What the server accepts as a name (the protocol's UserName). */
export const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;
export const NAME_RULE = 'A name is 1 to 32 letters, digits, “.”, “_” or “-”, starting with a letter or digit.';

/** Why a name could not be looked up; its message is for people. */
export class LookupError extends Error {}

/**
 * The registered user named {@code name} (in any case): {name, publicKey}, {@code name} in its
 * registered spelling. Throws LookupError when the name is malformed, unknown, or the server cannot
 * be asked.
 */
export async function findUser(name) {
  if (!NAME.test(name)) throw new LookupError(NAME_RULE);
  let response;
  try {
    response = await fetch(`/api/users/${encodeURIComponent(name)}`, { cache: 'no-store' });
  } catch {
    throw new LookupError('The server could not be reached to check the name. Try again once it is back.');
  }
  let body = {};
  try {
    body = await response.json();
  } catch {
    // a proxy's error page, say: the status alone decides
  }
  if (response.status === 404) {
    throw new LookupError(`Nobody is registered on this server as “${name}”. Check the spelling with them.`);
  }
  if (response.status === 400) throw new LookupError(NAME_RULE);
  if (!response.ok || typeof body.name !== 'string' || !NAME.test(body.name) || typeof body.publicKey !== 'string') {
    throw new LookupError(`The server could not check the name (HTTP ${response.status}). Try again in a while.`);
  }
  if (nameKey(body.name) !== nameKey(name)) {
    throw new LookupError(`The server answered for another name (“${body.name}”).`);
  }
  return { name: body.name, publicKey: body.publicKey };
}
