// The checks an entry whose parents are all held must pass (docs/p2p.md, "Who is a member" and
// "Receiving: checks and bad input"), by the state of its causal past. A failed check is a
// Rejection, reported to the user; the entry is neither stored nor shown.

import { nameKey } from './bytes.js';
import { forgery, MAX_MEMBERS, payload } from './grouplog.js';
import { verify } from './identity.js';

/** Why an entry was refused; its message is for people. */
export class Rejection extends Error {}

/**
 * Throws a Rejection unless {@code entry} (its parents all held) is valid by the state of its
 * causal past (docs/p2p.md, "Who is a member", and the checks of "Receiving").
 */
export async function judge(group, entry, hash, pinnedKey) {
  const author = nameKey(entry.author);
  if (entry.seq > 1) {
    const previous = group.entryOf(author, entry.seq - 1);
    if (!previous || !entry.parents.includes(previous)) throw new Rejection(`its seq ${entry.seq} does not follow ${entry.author}'s previous entry`);
  }
  if (group.entryOf(author, entry.seq) && group.entryOf(author, entry.seq) !== hash) throw new Rejection(`a second entry ${entry.seq} of ${entry.author} (a fork)`);
  const state = entry.op === 'create'
    ? new Map(entry.members.map((m) => [nameKey(m.name), { name: m.name, key: m.key, admin: nameKey(m.name) === author }]))
    : group.membersOf(group.past(entry.parents));
  const member = state.get(author);
  if (!member) throw new Rejection(`${entry.author} is not a member`);
  if (!(await verify(member.key, await payload(entry), entry.sig))) throw new Rejection(`forged: the signature of ${entry.author}'s entry does not check`);
  const forged = await forgery(entry);
  if (forged) throw new Rejection(forged);
  const pinned = pinnedKey(author);
  if (pinned !== undefined && pinned !== member.key) throw new Rejection(`forged: the group gives ${entry.author} another key than the one pinned for them`);
  if (['add', 'remove', 'admin'].includes(entry.op)) {
    if (!member.admin) throw new Rejection(`${entry.author} is not an admin`);
    const named = state.has(nameKey(entry.member));
    if (entry.op === 'add' && named) throw new Rejection(`${entry.member} is a member already`);
    if (entry.op !== 'add' && !named) throw new Rejection(`${entry.member} is not a member`);
    if (entry.op === 'add' && state.size >= MAX_MEMBERS) throw new Rejection(`a group has at most ${MAX_MEMBERS} members`);
  }
}

/**
 * Whether a key the log ever gave {@code entry}'s author signs it: an entry held back for its parents
 * that no such key signs is forged at once.
 */
export async function signedByAnyKeyOf(group, entry) {
  const text = await payload(entry);
  for (const key of group.everKeys(entry.author)) if (await verify(key, text, entry.sig)) return true;
  return false;
}
