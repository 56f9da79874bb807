// The bytes of the files shared with a group (docs/p2p.md, "Files in a group"), which travel apart
// from their signed entries: kept in IndexedDB by the hash of their entry; fetched from any member
// who holds them (the one the entry came from first, then its author, then the others by name;
// one ask pending per link, and again on each new link, also after a reload); and served to the
// entry's recipients who ask, through the session's one FileSender (files.js), so that the group's
// files and the one-to-one files to a peer take turns and never interleave.

import { isUuid, nameKey } from './bytes.js';
import { Emitter } from './emitter.js';
import { MAX_FILE_BYTES } from './files.js';
import { isStub } from './grouplog.js';

/** Asks of one peer waiting their turn; more are answered group-file-missing. */
const MAX_ASKS = 16;
/** An ask that brings neither an answer nor a chunk for this long is given up. */
const SILENCE_MS = 30000; // between chunks, once the bytes come
const UNANSWERED_MS = 120000; // for an answer: the member may be sending other files first
const HASH = /^[0-9a-f]{64}$/;

/**
 * Events: 'changed' (group id) when what we hold or fetch of one of its files changes, 'progress'
 * (entry hash, bytes, size) while bytes come, 'damaged' (peer name, group id, file name) when a
 * member sent bytes that are not the file's.
 */
export class GroupFiles extends Emitter {
  #held = new Map(); // entry hash -> Blob
  #wanted = new Map(); // entry hash -> {group, asked: Set of peer keys, asking, heard, id, bytes}
  #asks = new Map(); // peer key -> the entry hash we asked them for
  #serving = new Map(); // peer key -> [{group, hash}] they asked us for, waiting their turn

  /** {@code groups} (groups.js) holds the entries; {@code chat} the session's file sender and receiver. */
  constructor(groups, chat) {
    super();
    this.groups = groups;
    this.me = groups.me;
    this.store = groups.store;
    this.links = groups.links;
    this.sender = chat.sender;
    this.receiver = chat.receiver;
    this.sender.add({ next: (peerName) => this.#nextServed(peerName) });
    this.links.on('open', (peer) => this.#linkOpened(nameKey(peer)));
    this.links.on('closed', (peer) => this.#linkClosed(nameKey(peer)));
    this.timer = setInterval(() => this.#giveUpSilentAsks(), 5000);
  }

  stop() {
    clearInterval(this.timer);
  }

  /** Reads the bytes we hold; the files of our groups we lack are asked for again as links open. */
  async load() {
    for (const row of await this.store.byIndex('groupFiles', 'account', this.me)) this.#held.set(row.hash, row.blob);
    for (const group of this.groups.list()) for (const node of group.nodes.values()) this.kept(group, node);
  }

  /**
   * What we have of the bytes of the file entry {@code node}: {@code {state: 'held', blob}},
   * {@code {state: 'fetching', bytes}}, {@code {state: 'waiting'}} for a member who has them, or
   * {@code {state: 'too-large'}} for this browser.
   */
  bytes(node) {
    const { size, mime } = node.entry;
    const blob = size === 0 ? new Blob([], { type: mime }) : this.#held.get(node.hash);
    if (blob) return { state: 'held', blob };
    if (size > MAX_FILE_BYTES) return { state: 'too-large' };
    const wanted = this.#wanted.get(node.hash);
    return wanted?.id ? { state: 'fetching', bytes: wanted.bytes } : { state: 'waiting' };
  }

  /** Holds {@code blob}, the bytes of the file entry {@code hash} of group {@code id}, and stores them. */
  async keep(id, hash, blob) {
    this.#held.set(hash, blob);
    await this.store.put('groupFiles', { key: `${this.me}|${hash}`, account: this.me, group: id, hash, blob });
  }

  /** The entry {@code node} was stored: a whole file for us whose bytes we lack, and may take, is asked for. */
  kept(group, node) {
    const { entry, hash } = node;
    if (entry.op !== 'file' || isStub(entry) || entry.size === 0 || entry.size > MAX_FILE_BYTES) return;
    if (this.#held.has(hash) || this.#wanted.has(hash) || !group.recipients(hash).has(this.me)) return;
    this.#wanted.set(hash, { group: group.id, asked: new Set() });
    this.#ask();
  }

  /** A group-file-get, group-file or group-file-missing from {@code peerName}. */
  onMessage(peerName, message) {
    const { group: id, entry: hash } = message;
    if (typeof id !== 'string' || typeof hash !== 'string' || !HASH.test(hash)) return;
    if (message.type === 'group-file-get') this.#serve(peerName, id, hash);
    else if (message.type === 'group-file') this.#take(peerName, id, hash, message.id);
    else if (message.type === 'group-file-missing') this.#askNext(nameKey(peerName), hash);
  }

  // --- Fetching ----------------------------------------------------------------------------------

  /**
   * Asks for each wanted file no one is asked for: of the first member in order, with an open link,
   * not asked yet on it, once that link has no other ask pending.
   */
  #ask() {
    for (const [hash, wanted] of this.#wanted) {
      if (wanted.asking) continue;
      const group = this.groups.get(wanted.group);
      const node = group?.nodes.get(hash);
      if (!node) continue;
      const peer = this.#askOrder(group, node).find((p) => this.links.isOpen(p) && !wanted.asked.has(p));
      if (!peer || this.#asks.has(peer)) continue;
      if (!this.links.sendMessage(peer, { type: 'group-file-get', group: group.id, entry: hash })) continue;
      wanted.asking = peer;
      wanted.heard = Date.now();
      wanted.asked.add(peer);
      this.#asks.set(peer, hash);
    }
  }

  /**
   * Whom to ask for the bytes of {@code node}: who it came from, its author, then its other
   * recipients by name (only they may hold the bytes).
   */
  #askOrder(group, node) {
    const others = [...group.recipients(node.hash)].sort();
    return [...new Set([node.from, nameKey(node.entry.author), ...others])].filter((p) => p && p !== this.me);
  }

  /** A group-file: takes its chunks only if it is the file we asked that peer for. */
  #take(peerName, id, hash, transfer) {
    const peer = nameKey(peerName);
    const wanted = this.#wanted.get(hash);
    if (this.#asks.get(peer) !== hash || wanted.group !== id || wanted.id || !isUuid(transfer)) return;
    const node = this.groups.get(id)?.nodes.get(hash);
    if (!node) return;
    const { size, sha256, mime } = node.entry;
    const taken = this.receiver.expect(peerName, transfer, {
      size,
      sha256,
      mime,
      progress: (bytes) => {
        wanted.bytes = bytes;
        wanted.heard = Date.now();
        this.emit('progress', hash, bytes, size);
      },
      done: (blob) => this.#fetched(id, hash, blob),
      damaged: (why) => this.#damaged(peerName, id, node, why),
    });
    if (!taken) {
      this.#askNext(peer, hash);
      return;
    }
    wanted.id = transfer;
    wanted.bytes = 0;
    wanted.heard = Date.now();
    this.emit('changed', id);
  }

  /**
   * Bytes that check: held. Their ask may have been given up while they were checked (the link
   * closed), and another member asked meanwhile: that ask ends too.
   */
  async #fetched(id, hash, blob) {
    const asking = this.#wanted.get(hash)?.asking;
    if (asking) this.#release(asking, hash);
    this.#wanted.delete(hash);
    try {
      await this.keep(id, hash, blob);
    } catch (e) {
      console.error('could not store the bytes of a group file', e); // held until the page closes
    }
    this.emit('changed', id);
    this.#ask();
  }

  /** Bytes that are not the file's: discarded, reported, and the next member asked. */
  #damaged(peerName, id, node, why) {
    console.warn(`the bytes of ${node.entry.name} that ${peerName} sent are damaged (${why}): asking another member`);
    this.#release(nameKey(peerName), node.hash);
    this.emit('damaged', peerName, id, node.entry.name);
    this.emit('changed', id);
    this.#ask();
  }

  /**
   * {@code peer} will not send the file {@code hash} now (answered group-file-missing, before or
   * after its group-file; went silent; closed the link): what came is discarded, the next is asked.
   */
  #askNext(peer, hash) {
    if (this.#asks.get(peer) !== hash) return;
    const group = this.#wanted.get(hash)?.group;
    this.#release(peer, hash);
    this.emit('changed', group);
    this.#ask();
  }

  /** Ends our ask of {@code peer} for {@code hash}: its chunks are ignored from now on. */
  #release(peer, hash) {
    if (this.#asks.get(peer) !== hash) return;
    this.#asks.delete(peer);
    const wanted = this.#wanted.get(hash);
    if (wanted.id) this.receiver.cancel(peer, wanted.id);
    wanted.asking = undefined;
    wanted.id = undefined;
    wanted.bytes = undefined;
  }

  /** A new link: its peer may hold what it did not before, so it is asked again. */
  #linkOpened(peer) {
    for (const wanted of this.#wanted.values()) wanted.asked.delete(peer);
    this.#ask();
  }

  /** A link closed: what we asked on it is asked of the next member, what was asked of us is dropped. */
  #linkClosed(peer) {
    this.#serving.delete(peer);
    const hash = this.#asks.get(peer);
    if (hash) this.#askNext(peer, hash);
  }

  /** Gives up the asks unanswered for 2 minutes, or whose bytes stopped for 30 s. */
  #giveUpSilentAsks() {
    const now = Date.now();
    for (const [hash, wanted] of this.#wanted) {
      const limit = wanted.id ? SILENCE_MS : UNANSWERED_MS;
      if (!wanted.asking || now - wanted.heard < limit) continue;
      console.warn(`${wanted.asking} sent nothing of a file for ${limit / 1000} s: asking another member`);
      this.#askNext(wanted.asking, hash);
    }
  }

  // --- Serving -----------------------------------------------------------------------------------

  /** A group-file-get: queued for the sender if we hold the file whole and the asker may have it. */
  #serve(peerName, id, hash) {
    const peer = nameKey(peerName);
    const group = this.groups.get(id);
    const node = group?.nodes.get(hash);
    const queue = this.#serving.get(peer) || [];
    const serves = node && node.entry.op === 'file' && !isStub(node.entry) && this.bytes(node).state === 'held'
      && group.recipients(hash).has(peer);
    if (!serves || queue.length >= MAX_ASKS) {
      this.links.sendMessage(peer, { type: 'group-file-missing', group: id, entry: hash });
      return;
    }
    if (!queue.some((ask) => ask.hash === hash)) queue.push({ group: id, hash });
    this.#serving.set(peer, queue);
    this.sender.send(peerName);
  }

  /** The FileSender's next group file to {@code peerName}, the bytes led by a new id. */
  #nextServed(peerName) {
    const ask = this.#serving.get(nameKey(peerName))?.shift();
    if (!ask) return undefined;
    const node = this.groups.get(ask.group)?.nodes.get(ask.hash);
    if (!node) return this.#nextServed(peerName);
    const { name, size } = node.entry;
    const id = crypto.randomUUID();
    return {
      id,
      name,
      size,
      blob: this.bytes(node).blob,
      header: { type: 'group-file', group: ask.group, entry: ask.hash, id },
      started() {},
      progress() {},
      live: () => true,
      // The asker discards what came, and asks another member.
      failed: () => this.links.sendMessage(peerName, { type: 'group-file-missing', group: ask.group, entry: ask.hash }),
    };
  }
}
