// The rules of a group's log (docs/p2p.md, "Groups"), without storage or links: an entry's shape
// and limits, its signed payload and hash, who is a member of a set of entries, and the order every
// member shows them in. The Java client keeps the same rules (dev.parley.client.group).

import { fromBase64Url, isUuid, nameKey, toHex, utf8 } from './bytes.js';
import { NAME } from './directory.js';

export const VERSION = 'parley-group-v1';
export const MAX_MEMBERS = 32;
export const MAX_TITLE_CHARS = 100;
export const MAX_TEXT_CHARS = 65536;
export const MAX_ENTRY_BYTES = 262144;
export const MAX_PARENTS = 16;
export const MAX_SYNC_AUTHORS = 256;
export const MAX_GROUP_FILE_BYTES = 1073741824;
const MAX_FILE_NAME_CHARS = 255;
const MAX_MIME_CHARS = 255;
/** The SHA-256 of no bytes: the only one a file of size 0 may name. */
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

const OPS = new Set(['create', 'add', 'remove', 'admin', 'leave', 'message', 'file']);
const CHANGES = new Set(['create', 'add', 'remove', 'admin', 'leave']);
const HASH = /^[0-9a-f]{64}$/;
const KEY = /^[A-Za-z0-9_-]{43}$/;
const SIG = /^[A-Za-z0-9_-]{86}$/;
// Control characters (C0, DEL, C1), which a title may not hold.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** An entry that is not one: dropped and logged, never reported to the user. */
export class MalformedError extends Error {}

export function isChange(entry) {
  return CHANGES.has(entry.op);
}

export function isName(name) {
  return typeof name === 'string' && NAME.test(name);
}

/** A file's name in a group: 1 to 255 characters, no control character, no / or \\. */
export function isFileName(name) {
  return typeof name === 'string' && name.length >= 1 && name.length <= MAX_FILE_NAME_CHARS && !CONTROL.test(name) && !/[/\\]/.test(name);
}

export function isTitle(title) {
  return typeof title === 'string' && title.length >= 1 && title.length <= MAX_TITLE_CHARS && !CONTROL.test(title);
}

function isKey(key) {
  return typeof key === 'string' && KEY.test(key) && fromBase64Url(key).length === 32;
}

function isCount(n) {
  return Number.isSafeInteger(n) && n >= 0;
}

/**
 * The entry in {@code raw} (a parsed JSON value) with only its known fields, or a MalformedError:
 * not an object with the fields of its op, a limit exceeded, not version 1.
 */
export function wellFormed(raw) {
  const bad = (why) => new MalformedError(why);
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw bad('not an object');
  if (raw.v !== 1) throw bad(`version ${raw.v}`);
  const { group, author, seq, ts, parents, op, sig } = raw;
  if (!isUuid(group) || group !== group.toLowerCase()) throw bad('no group id');
  if (!isName(author)) throw bad('no author');
  if (!isCount(seq) || seq < 1 || !isCount(ts)) throw bad('no seq or ts');
  if (typeof sig !== 'string' || !SIG.test(sig)) throw bad('no signature');
  if (!OPS.has(op)) throw bad(`unknown op ${op}`);
  if (!Array.isArray(parents) || parents.length > MAX_PARENTS || !parents.every((p) => typeof p === 'string' && HASH.test(p))) {
    throw bad('bad parents');
  }
  for (let i = 1; i < parents.length; i++) if (parents[i - 1] >= parents[i]) throw bad('parents not sorted');
  if ((op === 'create') !== (parents.length === 0)) throw bad('only a create has no parents');
  if (op === 'create' && seq !== 1) throw bad('a create is seq 1');
  const entry = { v: 1, group, author, seq, ts, parents: [...parents], op };
  switch (op) {
    case 'create': {
      if (!isTitle(raw.title)) throw bad('bad title');
      const members = raw.members;
      if (!Array.isArray(members) || members.length < 1 || members.length > MAX_MEMBERS) throw bad('bad members');
      for (const m of members) if (!m || !isName(m.name) || !isKey(m.key)) throw bad('bad member');
      for (let i = 1; i < members.length; i++) {
        if (nameKey(members[i - 1].name) >= nameKey(members[i].name)) throw bad('members not sorted');
      }
      if (!members.some((m) => nameKey(m.name) === nameKey(author))) throw bad('the author is not a member');
      entry.title = raw.title;
      entry.members = members.map((m) => ({ name: m.name, key: m.key }));
      break;
    }
    case 'add':
      if (!isName(raw.member) || !isKey(raw.key)) throw bad('bad member');
      entry.member = raw.member;
      entry.key = raw.key;
      break;
    case 'remove':
    case 'admin':
      if (!isName(raw.member)) throw bad('bad member');
      entry.member = raw.member;
      break;
    case 'message':
      if (typeof raw.body !== 'string' || !HASH.test(raw.body)) throw bad('bad body');
      entry.body = raw.body;
      if (raw.text !== undefined) {
        if (typeof raw.text !== 'string' || raw.text.length < 1 || raw.text.length > MAX_TEXT_CHARS) throw bad('bad text');
        entry.text = raw.text;
      }
      break;
    case 'file':
      if (typeof raw.body !== 'string' || !HASH.test(raw.body)) throw bad('bad body');
      if (typeof raw.sha256 !== 'string' || !HASH.test(raw.sha256)) throw bad('bad sha256');
      if (!isCount(raw.size) || raw.size > MAX_GROUP_FILE_BYTES) throw bad('bad size');
      entry.body = raw.body;
      entry.sha256 = raw.sha256;
      entry.size = raw.size;
      if (raw.name !== undefined || raw.mime !== undefined) {
        if (!isFileName(raw.name)) throw bad('bad file name');
        if (typeof raw.mime !== 'string' || raw.mime.length > MAX_MIME_CHARS) throw bad('bad mime');
        entry.name = raw.name;
        entry.mime = raw.mime;
      }
      break;
    default:
      break; // leave: no fields of its own
  }
  entry.sig = sig;
  return entry;
}

/** The bytes an entry's signature and hash cover, as text (each line ended by \n). */
export async function payload(entry) {
  const lines = [VERSION, entry.group, nameKey(entry.author), String(entry.seq), String(entry.ts), entry.op, entry.parents.join(',')];
  switch (entry.op) {
    case 'create':
      lines.push(await sha256Hex(entry.title));
      for (const m of entry.members) lines.push(`${nameKey(m.name)} ${m.key}`);
      break;
    case 'add':
      lines.push(`${nameKey(entry.member)} ${entry.key}`);
      break;
    case 'remove':
    case 'admin':
      lines.push(nameKey(entry.member));
      break;
    case 'message':
      lines.push(entry.body);
      break;
    case 'file':
      lines.push(entry.body, `${entry.sha256} ${entry.size}`);
      break;
    default:
      break;
  }
  return lines.map((line) => `${line}\n`).join('');
}

export async function sha256Hex(text) {
  return toHex(await crypto.subtle.digest('SHA-256', utf8(text)));
}

/** The {@code body} of a file entry: what its signature covers of the name and type. */
export function fileBody(name, mime) {
  return sha256Hex(`${name}\n${mime}`);
}

/**
 * A message or file entry without what the signature covers only by its hash (a text, a file's name
 * and type): what a member who may not read it gets to check later ones.
 */
export function stubOf(entry) {
  const { text, name, mime, ...stub } = entry;
  return stub;
}

/** Whether {@code entry} is a message or a file without its text or name: never shown. */
export function isStub(entry) {
  return (entry.op === 'message' && entry.text === undefined) || (entry.op === 'file' && entry.name === undefined);
}

/**
 * Why {@code entry} (well formed) is forged by its own fields, or undefined: a text, or a file's name
 * and type, that do not hash to its body; a file of size 0 that names other bytes than none.
 */
export async function forgery(entry) {
  if (entry.op === 'message' && entry.text !== undefined && (await sha256Hex(entry.text)) !== entry.body) {
    return 'forged: its text is not the one signed';
  }
  if (entry.op !== 'file') return undefined;
  if (entry.name !== undefined && (await fileBody(entry.name, entry.mime)) !== entry.body) {
    return 'forged: its file name and type are not the ones signed';
  }
  if (entry.size === 0 && entry.sha256 !== EMPTY_SHA256) return 'forged: a file of no bytes with the hash of some';
  return undefined;
}

/**
 * Who is a member of a set of entries closed under parents, given its changes (docs/p2p.md, "Who is
 * a member"): name key -> {name, key, admin}. {@code isAncestor(a, b)} tells whether the entry of
 * hash {@code a} is among the ancestors of the entry of hash {@code b}.
 */
export function membership(changes, isAncestor) {
  const adds = new Map(); // name key -> [{hash, name, key}]
  const grants = new Map(); // name key -> [hash]
  const ends = new Map(); // name key -> [hash]
  const push = (map, name, value) => {
    const list = map.get(nameKey(name)) || [];
    list.push(value);
    map.set(nameKey(name), list);
  };
  for (const { hash, entry } of changes) {
    switch (entry.op) {
      case 'create':
        for (const m of entry.members) push(adds, m.name, { hash, name: m.name, key: m.key });
        push(grants, entry.author, hash);
        break;
      case 'add':
        push(adds, entry.member, { hash, name: entry.member, key: entry.key });
        break;
      case 'admin':
        push(grants, entry.member, hash);
        break;
      case 'remove':
        push(ends, entry.member, hash);
        break;
      case 'leave':
        push(ends, entry.author, hash);
        break;
      default:
        break;
    }
  }
  const members = new Map();
  for (const [name, adding] of adds) {
    const ending = ends.get(name) || [];
    const standing = (hash) => !ending.some((end) => isAncestor(hash, end));
    const effective = adding.filter((a) => standing(a.hash)).sort((a, b) => (a.hash < b.hash ? -1 : 1))[0];
    if (!effective) continue;
    const admin = (grants.get(name) || []).some(standing);
    members.set(name, { name: effective.name, key: effective.key, admin });
  }
  return members;
}

/**
 * The hashes of {@code nodes} (hash -> {parents}) in the order every member shows them: Kahn's
 * algorithm, always taking the ready entry with the smallest hash.
 */
export function order(nodes) {
  const waiting = new Map(); // hash -> parents not yet taken
  const children = new Map();
  const ready = [];
  for (const [hash, { parents }] of nodes) {
    const held = parents.filter((p) => nodes.has(p));
    waiting.set(hash, held.length);
    for (const p of held) {
      if (!children.has(p)) children.set(p, []);
      children.get(p).push(hash);
    }
    if (!held.length) ready.push(hash);
  }
  const taken = [];
  ready.sort();
  while (ready.length) {
    const hash = ready.shift();
    taken.push(hash);
    for (const child of children.get(hash) || []) {
      const left = waiting.get(child) - 1;
      waiting.set(child, left);
      if (!left) insertSorted(ready, child);
    }
  }
  return taken;
}

function insertSorted(list, value) {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, value);
}
