// One group's log as this browser holds it (docs/p2p.md, "Groups"): its entries by hash, what each
// author wrote by sequence number, the entries held back for their parents, and what follows from
// them: ancestors, who is a member of an entry's causal past, its recipients, the shared order.

import { nameKey } from './bytes.js';
import { isChange, membership, order } from './grouplog.js';

export const MAX_HELD_BACK = 1024;

export class Group {
  constructor(id) {
    this.id = id;
    this.nodes = new Map(); // hash -> {hash, entry, arrived, deliveredTo: Set of name keys, from}
    this.bySeq = new Map(); // `${author key}|${seq}` -> hash
    this.changes = []; // the nodes of create, add, remove, admin and leave entries
    this.heldBack = new Map(); // hash -> {entry, from}
    this.arrivals = 0;
    this.unread = 0;
    this.aside = false; // not yet a member: checked, neither stored nor shown
    this.#ancestors = new Map();
    this.#recipients = new Map();
    this.#order = null;
  }

  #ancestors;
  #recipients;
  #order;

  get title() {
    return this.root()?.entry.title ?? '';
  }

  root() {
    return this.changes.find((n) => n.entry.op === 'create');
  }

  has(hash) {
    return this.nodes.has(hash);
  }

  /**
   * Takes in a checked entry; {@code arrived} orders the heads named by our next entry, {@code from}
   * is the name key of the peer it came from (a file's bytes are asked of them first).
   */
  add(hash, entry, { arrived, deliveredTo = [], from } = {}) {
    const node = { hash, entry, arrived: arrived ?? ++this.arrivals, deliveredTo: new Set(deliveredTo), from };
    this.arrivals = Math.max(this.arrivals, node.arrived);
    this.nodes.set(hash, node);
    this.bySeq.set(`${nameKey(entry.author)}|${entry.seq}`, hash);
    if (isChange(entry)) this.changes.push(node);
    this.#order = null;
    return node;
  }

  /** The hash of {@code author}'s entry {@code seq}, if held. */
  entryOf(author, seq) {
    return this.bySeq.get(`${nameKey(author)}|${seq}`);
  }

  /** The hashes of every ancestor of the entries named in {@code parents}, those included. */
  past(parents) {
    const seen = new Set();
    const stack = [...parents];
    while (stack.length) {
      const hash = stack.pop();
      if (seen.has(hash)) continue;
      seen.add(hash);
      const node = this.nodes.get(hash);
      if (node) stack.push(...node.entry.parents);
    }
    return seen;
  }

  /** Whether the entry {@code a} is among the ancestors of entry {@code b}. */
  isAncestor(a, b) {
    let set = this.#ancestors.get(b);
    if (!set) {
      set = this.past(this.nodes.get(b)?.entry.parents || []);
      this.#ancestors.set(b, set); // asked only of changes that end a membership: few
    }
    return set.has(a);
  }

  /** Who is a member of the entries in {@code hashes} (closed under parents). */
  membersOf(hashes) {
    return membership(this.changes.filter((n) => hashes.has(n.hash)), (a, b) => this.isAncestor(a, b));
  }

  /** The members now, by the whole log. */
  members() {
    return membership(this.changes, (a, b) => this.isAncestor(a, b));
  }

  /** Whether {@code name} was ever added to the group (a sync from anyone else is ignored). */
  everMember(name) {
    return this.everKeys(name).length > 0;
  }

  /** Every key a change of the log ever gave {@code name}. */
  everKeys(name) {
    const key = nameKey(name);
    const keys = [];
    for (const { entry } of this.changes) {
      if (entry.op === 'create') keys.push(...entry.members.filter((m) => nameKey(m.name) === key).map((m) => m.key));
      if (entry.op === 'add' && nameKey(entry.member) === key) keys.push(entry.key);
    }
    return keys;
  }

  /**
   * The name keys of the recipients of entry {@code hash}: the members of its causal past and the
   * members after it.
   */
  recipients(hash) {
    let names = this.#recipients.get(hash);
    if (!names) {
      const node = this.nodes.get(hash);
      const past = this.past(node.entry.parents);
      names = new Set(node.entry.op === 'create' ? [] : this.membersOf(past).keys());
      past.add(hash);
      for (const name of this.membersOf(past).keys()) names.add(name);
      this.#recipients.set(hash, names);
    }
    return names;
  }

  /** The hashes in the order every member shows them. */
  ordered() {
    if (!this.#order) this.#order = order(new Map([...this.nodes].map(([h, n]) => [h, n.entry])));
    return this.#order;
  }

  /** Per author (name key), the highest seq such that we hold its entries 1 to seq. */
  have() {
    const have = {};
    for (const { entry } of this.nodes.values()) {
      const author = nameKey(entry.author);
      if (have[author] !== undefined) continue;
      let seq = 0;
      while (this.bySeq.has(`${author}|${seq + 1}`)) seq++;
      have[author] = seq;
    }
    return have;
  }

  /**
   * The parents of our next entry: our own previous entry (which must be among them even when a
   * later entry descends from it, as the Java client does) and the heads, those that arrived last
   * first, at most 16 in all; sorted. Later entries join the heads left out.
   */
  heads(me) {
    const named = new Set();
    for (const { entry } of this.nodes.values()) for (const p of entry.parents) named.add(p);
    const heads = [...this.nodes.values()].filter((n) => !named.has(n.hash)).sort((a, b) => b.arrived - a.arrived);
    const own = this.entryOf(me, this.lastSeq(me));
    const parents = own ? [own] : [];
    for (const n of heads) if (parents.length < 16 && !parents.includes(n.hash)) parents.push(n.hash);
    return parents.sort();
  }

  lastSeq(author) {
    let seq = 0;
    while (this.bySeq.has(`${nameKey(author)}|${seq + 1}`)) seq++;
    return seq;
  }

  /**
   * What {@code peer} may get of what it lacks by {@code have}, in order: the entries it is a
   * recipient of, whole, and those it needs to check them (their ancestors), messages as stubs.
   */
  lacking(peer, have) {
    const key = nameKey(peer);
    const ordered = this.ordered();
    const needed = new Set();
    const sent = [];
    for (let i = ordered.length - 1; i >= 0; i--) {
      const node = this.nodes.get(ordered[i]);
      const whole = this.recipients(node.hash).has(key);
      if (!whole && !needed.has(node.hash)) continue;
      for (const p of node.entry.parents) needed.add(p);
      if (node.entry.seq > (have[nameKey(node.entry.author)] || 0)) sent.push({ node, whole });
    }
    return sent.reverse();
  }
}
