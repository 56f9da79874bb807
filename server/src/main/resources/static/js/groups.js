// Group conversations over the links (docs/p2p.md, "Groups"): entries checked as they come and
// stored in IndexedDB before they are shown, our own signed with the identity key, and the sync
// that brings each member what it lacks from whoever has it. The log's rules are in grouplog.js
// and group.js; this is who sends what to whom, and when. The bytes of the group's files travel
// apart (groupfiles.js), and so does typing (grouptyping.js).

import { nameKey, utf8 } from './bytes.js';
import { Emitter } from './emitter.js';
import { fileInfo, MAX_FILE_BYTES } from './files.js';
import { Group, MAX_HELD_BACK } from './group.js';
import { judge, Rejection, signedByAnyKeyOf } from './groupcheck.js';
import { GroupFiles } from './groupfiles.js';
import { fileBody, forgery, isChange, isStub, MalformedError, MAX_ENTRY_BYTES, MAX_MEMBERS, MAX_SYNC_AUTHORS, MAX_TEXT_CHARS, isTitle, payload, sha256Hex, stubOf, wellFormed } from './grouplog.js';
import { GroupTyping } from './grouptyping.js';
import { Holdings } from './holdings.js';

const MAX_ASIDE = 8;
const MAX_ASIDE_ENTRIES = 4096;
const MAX_LINKS = 32;
const CATCH_UP_LINKS = 3;
const REPORT_EVERY_MS = 10000;
const RESEND_FIRST_MS = 10000;
const RESEND_MAX_MS = 5 * 60 * 1000;
const FILE_MESSAGES = new Set(['group-file-get', 'group-file', 'group-file-missing']);

/**
 * Events: 'changed' (group id) when a group's entries, members or delivery change, 'rejected'
 * (sender name, group id, why) for an entry refused (at most one report per sender and reason in
 * 10 s, saying how many more there were), 'typing' (group id) when who types in it changes. Its
 * {@code files} (groupfiles.js) tell of the bytes of files.
 */
export class Groups extends Emitter {
  constructor(store, identity, links, chat) {
    super();
    this.store = store;
    this.identity = identity;
    this.me = nameKey(identity.name);
    this.links = links;
    this.chat = chat; // opens links as the chat does, waiting after a failure
    this.groups = new Map(); // id -> Group
    this.holdings = new Holdings();
    /** The key pinned for a name key (ours for us): the one the log must give that name. */
    this.pinnedKey = (name) => (name === this.me ? identity.publicKey : links.pins.pinned(name));
    this.heard = new Set(); // peers who sent a group-sync since they came online
    this.resends = new Map(); // `${peer}|${group}` -> {at, wait}
    this.reports = new Map(); // `${peer}|${why}` -> {at, more}
    this.acks = new Map(); // `${peer}|${group}` -> authors whose entries the link brought
    this.steps = Promise.resolve(); // what arrives is handled one at a time, in order
    this.files = new GroupFiles(this, chat);
    this.typing = new GroupTyping(this.me, {
      group: (id) => this.get(id),
      send: (peer, message) => links.sendMessage(peer, message),
      changed: (id) => this.emit('typing', id),
    });
    links.on('open', (peer) => this.#linkOpened(peer));
    links.on('closed', (peer) => {
      this.#forgetLink(nameKey(peer));
      this.typing.linkClosed(nameKey(peer));
    });
    links.on('text', (peer, text) => this.#onText(peer, text));
    links.server.on('welcome', () => this.#reachOut(true));
    links.server.on('presence', (joined, left) => {
      for (const user of joined) this.heard.delete(nameKey(user.name));
      for (const name of left) this.heard.delete(nameKey(name));
      this.#reachOut(false);
    });
    this.timer = setInterval(() => this.#resendDue(), 2000);
  }

  async load() {
    const rows = await this.store.byIndex('groupEntries', 'account', this.me);
    rows.sort((a, b) => a.arrived - b.arrived);
    for (const row of rows) this.#group(row.group).add(row.hash, row.entry, row);
    for (const meta of await this.store.byIndex('groups', 'account', this.me)) {
      const group = this.groups.get(meta.group);
      if (group) group.unread = meta.unread;
    }
    await this.files.load();
  }

  stop() {
    clearInterval(this.timer);
    this.files.stop();
  }

  /** The groups we are or were a member of, the one with the latest entry first. */
  list() {
    return [...this.groups.values()].filter((g) => !g.aside && g.root()).sort((a, b) => b.arrivals - a.arrivals);
  }

  get(id) {
    const group = this.groups.get(id);
    return group && !group.aside ? group : undefined;
  }

  /** The entries to show, in the shared order: changes, and messages and files whole and for us. */
  shown(id) {
    const group = this.get(id);
    if (!group) return [];
    return group.ordered().map((hash) => group.nodes.get(hash)).filter((n) => this.#isShown(group, n.hash, n.entry));
  }

  #isShown(group, hash, entry) {
    return isChange(entry) || (!isStub(entry) && group.recipients(hash).has(this.me));
  }

  /** For our entry {@code node}: how many of its recipients other than us hold it, of how many. */
  delivery(group, node) {
    const others = [...group.recipients(node.hash)].filter((name) => name !== this.me);
    return { delivered: others.filter((name) => node.deliveredTo.has(name)).length, of: others.length };
  }

  /** Whether we are a member of {@code id} now. */
  joined(id) {
    return this.get(id)?.members().has(this.me) === true;
  }

  markRead(id) {
    const group = this.get(id);
    if (!group || !group.unread) return;
    group.unread = 0;
    this.#saveMeta(group);
    this.emit('changed', id);
  }

  /** Creates a group of us and {@code members} ({name, key} each); its id. */
  async create(title, members) {
    if (!isTitle(title)) throw new Error('A title is 1 to 100 characters, without control characters.');
    const all = new Map([[this.me, { name: this.identity.name, key: this.identity.publicKey }]]);
    for (const m of members) all.set(nameKey(m.name), { name: m.name, key: m.key });
    if (all.size > MAX_MEMBERS) throw new Error(`A group has at most ${MAX_MEMBERS} members.`);
    const sorted = [...all.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, m]) => m);
    const id = crypto.randomUUID();
    await this.#author(id, { op: 'create', title, members: sorted });
    return id;
  }

  async send(id, text) {
    if (!text || text.length > MAX_TEXT_CHARS) throw new Error(`A message is 1 to ${MAX_TEXT_CHARS} characters.`);
    this.typing.stopped(id);
    await this.#author(id, { op: 'message', body: await sha256Hex(text), text });
  }

  /** Shares {@code file} (a File) with group {@code id}: its entry goes out now, its bytes to whoever asks. */
  async sendFile(id, file) {
    if (file.size > MAX_FILE_BYTES) {
      throw new Error(`files up to ${MAX_FILE_BYTES / 1024 / 1024} MiB can be sent from a browser`);
    }
    const { name, size, sha256, mime } = await fileInfo(file);
    await this.#author(id, { op: 'file', body: await fileBody(name, mime), sha256, size, name, mime }, file);
  }

  /** The user typed in group {@code id} (told to the members with an open link, at most every 3 s). */
  typed(id) {
    this.typing.typed(id);
  }

  /** The user cleared the text in group {@code id}. */
  stopTyping(id) {
    this.typing.stopped(id);
  }

  async addMember(id, name, key) {
    await this.#author(id, { op: 'add', member: name, key });
  }

  async removeMember(id, name) {
    await this.#author(id, { op: 'remove', member: name });
  }

  async makeAdmin(id, name) {
    await this.#author(id, { op: 'admin', member: name });
  }

  async leave(id) {
    await this.#author(id, { op: 'leave' });
  }

  // --- Our own entries ---------------------------------------------------------------------------

  /**
   * Signs, checks and stores a new entry of ours (and the bytes of a file, {@code blob}, before it
   * can be asked for), then delivers it. Throws if it is not allowed.
   */
  async #author(id, fields, blob) {
    // In turn with what arrives, and with our other entries: each names the one before it.
    const { group, hash } = await this.#run(async () => {
      const group = fields.op === 'create' ? new Group(id) : this.get(id);
      if (!group) throw new Error('unknown group');
      const seq = group.lastSeq(this.me) + 1;
      const entry = { v: 1, group: id, author: this.identity.name, seq, ts: Date.now(), parents: fields.op === 'create' ? [] : group.heads(this.me), op: fields.op, ...fields };
      const text = await payload(entry);
      entry.sig = await this.identity.sign(text);
      const checked = wellFormed(entry);
      if (utf8(JSON.stringify({ type: 'group-entry', entry: checked })).length > MAX_ENTRY_BYTES) {
        throw new Error('That message is too long to send to a group.');
      }
      const hash = await sha256Hex(text);
      if (fields.op === 'create') this.groups.set(id, group);
      await judge(group, checked, hash, this.pinnedKey);
      if (blob) await this.files.keep(id, hash, blob);
      await this.#keep(group, hash, checked);
      return { group, hash };
    });
    this.#deliver(group, group.nodes.get(hash));
  }

  /** Sends our new entry to each recipient with an open link, and opens links to the others. */
  #deliver(group, node) {
    for (const peer of group.recipients(node.hash)) {
      if (peer === this.me) continue;
      this.#due(peer, group.id);
      if (this.links.isOpen(peer)) this.#sendWhatTheyLack(peer, group);
      else this.#reach(peer);
    }
  }

  // --- What arrives ------------------------------------------------------------------------------

  #onText(peerName, text) {
    if (!text.includes('"group-')) return;
    if (utf8(text).length > MAX_ENTRY_BYTES) {
      console.warn(`dropping a group message from ${peerName} of more than ${MAX_ENTRY_BYTES} bytes`);
      return;
    }
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      return; // chat.js logs what is not JSON
    }
    if (message?.type === 'group-entry') this.#run(() => this.#onEntry(peerName, message.entry));
    else if (message?.type === 'group-sync') this.#run(() => this.#onSync(peerName, message));
    else if (message?.type === 'group-typing') this.typing.seen(peerName, message);
    // At once, not in turn: the chunks that follow a group-file must find it taken.
    else if (FILE_MESSAGES.has(message?.type)) this.files.onMessage(peerName, message);
  }

  #run(step) {
    const next = this.steps.then(step);
    this.steps = next.catch((e) => console.error('a group step failed', e));
    return next;
  }

  async #onEntry(peerName, raw) {
    let entry;
    try {
      entry = wellFormed(raw);
    } catch (e) {
      if (!(e instanceof MalformedError)) throw e;
      console.warn(`dropping a malformed group entry from ${peerName}: ${e.message}`);
      return;
    }
    const hash = await sha256Hex(await payload(entry));
    const brought = new Set();
    try {
      await this.#receive(peerName, entry, hash, brought);
    } catch (e) {
      if (!(e instanceof Rejection)) throw e;
      this.#report(peerName, entry.group, e.message);
    }
    if (this.groups.get(entry.group)?.has(hash)) {
      // Who sent us an entry holds it, and its author's entries before it.
      const have = [[nameKey(entry.author), entry.seq]];
      this.holdings.told(nameKey(peerName), entry.group, have);
    }
    if (brought.size) this.#acknowledgeSoon(peerName, entry.group, brought);
  }

  /** Entries come in runs (the answer to a sync): one acknowledgement after the run. */
  #acknowledgeSoon(peerName, id, authors) {
    const key = `${nameKey(peerName)}|${id}`;
    const waiting = this.acks.get(key);
    if (waiting) {
      for (const a of authors) waiting.add(a);
      return;
    }
    this.acks.set(key, new Set(authors));
    setTimeout(() => {
      const all = this.acks.get(key);
      this.acks.delete(key);
      this.#acknowledge(peerName, id, all);
    }, 50);
  }

  /** Checks and keeps one entry, then those held back for it; adds the authors it kept to {@code brought}. */
  async #receive(from, entry, hash, brought) {
    let group = this.groups.get(entry.group);
    if (group?.has(hash)) {
      const node = group.nodes.get(hash);
      if (isStub(node.entry) && !isStub(entry)) {
        const forged = await forgery(entry);
        if (forged) throw new Rejection(forged);
        node.entry = entry; // the whole entry in place of its stub
        node.from = nameKey(from);
        await this.#keep(group, hash, entry, node);
        brought.add(nameKey(entry.author));
      }
      return;
    }
    if (!group) {
      if (entry.op !== 'create') throw new Rejection('an entry of a group we do not know');
      const aside = !entry.members.some((m) => nameKey(m.name) === this.me);
      if (aside && [...this.groups.values()].filter((g) => g.aside).length >= MAX_ASIDE) return;
      group = this.#group(entry.group);
      group.aside = aside;
    } else if (entry.op === 'create') {
      throw new Rejection('a second create of a group');
    }
    const missing = entry.parents.filter((p) => !group.has(p));
    if (missing.length) {
      if (!(await signedByAnyKeyOf(group, entry))) throw new Rejection(`forged: no key ${entry.author} has signs it`);
      if (group.heldBack.size < MAX_HELD_BACK) group.heldBack.set(hash, { entry, from });
      return;
    }
    try {
      await judge(group, entry, hash, this.pinnedKey);
    } catch (e) {
      if (entry.op === 'create') this.groups.delete(entry.group);
      throw e;
    }
    if (group.aside && group.nodes.size >= MAX_ASIDE_ENTRIES) return;
    await this.#keep(group, hash, entry, undefined, from);
    brought.add(nameKey(entry.author));
    this.#forward(from, group, hash);
    await this.#release(group, brought);
  }

  /** Takes in the entries held back whose parents have all come. */
  async #release(group, brought) {
    for (let progress = true; progress;) {
      progress = false;
      for (const [hash, { entry, from }] of group.heldBack) {
        if (!entry.parents.every((p) => group.has(p))) continue;
        group.heldBack.delete(hash);
        progress = true;
        try {
          await judge(group, entry, hash, this.pinnedKey);
          await this.#keep(group, hash, entry, undefined, from);
          brought.add(nameKey(entry.author));
          this.#forward(from, group, hash);
        } catch (e) {
          if (!(e instanceof Rejection)) throw e;
          this.#report(from, group.id, e.message);
        }
      }
    }
  }

  /**
   * Holds a checked entry that came from {@code from} (a name), and stores it (with all of its
   * group, once we are a member) before it is shown; then the bytes of a file are asked for.
   */
  async #keep(group, hash, entry, existing, from) {
    const node = existing || group.add(hash, entry, { from: from && nameKey(from) });
    let stored = [node];
    if (group.aside) {
      if (!group.members().has(this.me)) return;
      group.aside = false; // an entry made us a member: the group is ours now
      stored = [...group.nodes.values()];
    }
    for (const held of stored) await this.#save(group, held);
    const author = nameKey(entry.author);
    if (!isChange(entry) && author !== this.me && this.#isShown(group, hash, entry)) {
      group.unread++;
      this.#saveMeta(group);
    }
    this.typing.wrote(group.id, author);
    this.emit('changed', group.id);
    for (const held of stored) this.files.kept(group, held);
  }

  async #save(group, node) {
    try {
      await this.store.put('groupEntries', {
        key: `${this.me}|${node.hash}`, account: this.me, group: group.id, hash: node.hash,
        entry: node.entry, arrived: node.arrived, deliveredTo: [...node.deliveredTo], from: node.from,
      });
    } catch (e) {
      console.error('could not store a group entry', e); // not confirmed: the sender sends it again
      throw e;
    }
  }

  #saveMeta(group) {
    this.store.put('groups', { account: this.me, group: group.id, unread: group.unread })
      .catch((e) => console.error('could not store a group', e));
  }

  // --- Sync and forwarding -----------------------------------------------------------------------

  /** A link opened: a sync for every group in which, as far as we know, both are members. */
  #linkOpened(peerName) {
    const peer = nameKey(peerName);
    this.#forgetLink(peer);
    for (const group of this.list()) {
      const members = group.members();
      if (members.has(this.me) && members.has(peer)) this.#sendSync(peer, group);
    }
  }

  #forgetLink(peer) {
    this.holdings.forget(peer);
  }

  async #onSync(peerName, message) {
    const peer = nameKey(peerName);
    const { group: id, have } = message;
    if (typeof id !== 'string' || !have || typeof have !== 'object' || Array.isArray(have)) return;
    const authors = Object.entries(have);
    if (authors.length > MAX_SYNC_AUTHORS || !authors.every(([, seq]) => Number.isSafeInteger(seq) && seq >= 0)) return;
    const group = this.groups.get(id);
    if (!group || !group.root()) {
      if (authors.length) this.links.sendMessage(peer, { type: 'group-sync', group: id, have: {} });
      return;
    }
    if (!group.everMember(peer)) return;
    this.heard.add(peer);
    const told = authors.map(([author, seq]) => [nameKey(author), seq]);
    this.holdings.told(peer, id, told);
    this.#confirmed(peer, group, new Map(told).get(this.me) || 0);
    this.#sendWhatTheyLack(peer, group);
  }

  /** {@code peer} holds our entries 1 to {@code seq}: "delivered to k of n" counts it. */
  #confirmed(peer, group, seq) {
    let changed = false;
    for (let s = 1; s <= seq; s++) {
      const node = group.nodes.get(group.entryOf(this.me, s));
      if (!node || node.deliveredTo.has(peer) || !group.recipients(node.hash).has(peer)) continue;
      node.deliveredTo.add(peer);
      changed = true;
      if (!group.aside) this.#save(group, node).catch(() => {});
    }
    if (seq >= group.lastSeq(this.me)) this.resends.delete(`${peer}|${group.id}`);
    if (changed) this.emit('changed', group.id);
  }

  /**
   * What {@code peer} lacks, as far as we know (or, resending, as far as it told), or our sync if
   * it has not told yet.
   */
  #sendWhatTheyLack(peer, group, resending = false) {
    const have = this.holdings.of(peer, group.id, resending);
    if (!have) {
      this.#sendSync(peer, group);
      return;
    }
    for (const { node, whole } of group.lacking(peer, have)) {
      const entry = whole || isChange(node.entry) ? node.entry : stubOf(node.entry);
      if (!this.links.sendMessage(peer, { type: 'group-entry', entry })) return;
      this.holdings.sent(peer, group.id, nameKey(node.entry.author), node.entry.seq);
    }
  }

  #sendSync(peer, group) {
    if (this.links.sendMessage(peer, { type: 'group-sync', group: group.id, have: group.have() })) this.holdings.asked(peer, group.id);
  }

  /**
   * After storing what a link brought: one sync on it, and on the open link to each author of
   * what it brought, which acknowledges it and asks for what we still lack.
   */
  #acknowledge(peerName, id, authors) {
    const group = this.get(id);
    if (!group) return;
    for (const peer of new Set([nameKey(peerName), ...authors])) {
      if (peer !== this.me && this.links.isOpen(peer)) this.#sendSync(peer, group);
    }
  }

  /** An entry accepted from {@code from} goes on every other open link to a recipient not known to hold it. */
  #forward(from, group, hash) {
    if (group.aside) return;
    const node = group.nodes.get(hash);
    for (const [peer, link] of this.links.links) {
      if (peer === nameKey(from) || peer === this.me || !link.isOpen() || !group.recipients(hash).has(peer)) continue;
      const have = this.holdings.of(peer, group.id);
      if (!have) {
        if (!this.holdings.wasAsked(peer, group.id)) this.#sendSync(peer, group);
      } else if ((have[nameKey(node.entry.author)] || 0) < node.entry.seq) {
        if (this.links.sendMessage(peer, { type: 'group-entry', entry: node.entry })) {
          this.holdings.sent(peer, group.id, nameKey(node.entry.author), node.entry.seq);
        }
      }
    }
  }

  // --- Links for groups --------------------------------------------------------------------------

  /**
   * Coming online, links to up to 3 online members of each group bring what we missed; and the
   * first member online by name opens a link to a member no one has heard from since it came,
   * who may not know the group yet.
   */
  #reachOut(catchUp) {
    const server = this.links.server;
    for (const group of this.list()) {
      const members = group.members();
      if (!members.has(this.me)) continue;
      const online = [...members.keys()].filter((m) => m !== this.me && server.isOnline(m)).sort();
      if (catchUp) online.slice(0, CATCH_UP_LINKS).forEach((m) => this.#reach(m));
      if (online.length && this.me < online[0]) {
        for (const m of online) if (!this.heard.has(m)) this.#reach(m);
      }
    }
  }

  #reach(peer) {
    if (this.links.isOpen(peer) || this.links.links.size >= MAX_LINKS) return;
    const name = this.links.server.online.get(peer)?.name ?? peer;
    this.chat.reach(name);
  }

  /** Our entries became due to {@code peer} in {@code id}: resent if not confirmed in 10 s. */
  #due(peer, id) {
    const key = `${peer}|${id}`;
    if (!this.resends.has(key)) this.resends.set(key, { at: Date.now() + RESEND_FIRST_MS, wait: RESEND_FIRST_MS });
  }

  #resendDue() {
    const now = Date.now();
    for (const [key, due] of this.resends) {
      if (now < due.at) continue;
      const [peer, id] = key.split('|');
      const group = this.get(id);
      if (!group) {
        this.resends.delete(key);
        continue;
      }
      due.wait = Math.min(due.wait * 2, RESEND_MAX_MS);
      due.at = now + due.wait;
      if (this.links.isOpen(peer)) this.#sendWhatTheyLack(peer, group, true);
      else this.#reach(peer);
    }
  }

  // --- Reports -----------------------------------------------------------------------------------

  /** Logs a rejected entry and reports it, once in 10 s per sender and reason. */
  #report(from, id, why) {
    console.warn(`rejected a group entry from ${from} in ${id}: ${why}`);
    const key = `${nameKey(from)}|${why}`;
    const last = this.reports.get(key);
    const now = Date.now();
    if (last && now - last.at < REPORT_EVERY_MS) {
      last.more++;
      return;
    }
    const more = last?.more || 0;
    this.reports.set(key, { at: now, more: 0 });
    this.emit('rejected', from, id, more ? `${why} (and ${more} more like it)` : why);
  }

  #group(id) {
    let group = this.groups.get(id);
    if (!group) {
      group = new Group(id);
      this.groups.set(id, group);
    }
    return group;
  }
}
