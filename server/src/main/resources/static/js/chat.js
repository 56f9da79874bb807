// Conversations over the links (docs/p2p.md, "Data channel messages"): messages with ids, end-to-end
// acknowledgements, an outbox kept across reloads, typing (typing.js), and files in binary chunks
// (files.js).

import { Emitter } from './emitter.js';
import { nameKey } from './bytes.js';
import { FileReceiver, FileSender, fileInfo, MAX_FILE_BYTES, outboxFiles } from './files.js';
import { NoPathError } from './ice.js';
import { Reopening } from './reopen.js';
import { Typing } from './typing.js';

export const MAX_TEXT_CHARS = 65536;
const MAX_CONTROL_BYTES = 256 * 1024;
const RESEND_AFTER_MS = 10000;

/**
 * Events: 'started' (peer name) when a conversation is new, 'changed' (peer nameKey) when a
 * conversation's messages, unread count or delivery problem change, 'typing' (peer nameKey,
 * active), 'progress' (peer nameKey, message id, bytes, size), 'linkError' (peer name, Error) when
 * a link could not even be started.
 */
export class Chat extends Emitter {
  constructor(store, account, links) {
    super();
    this.store = store;
    this.account = account; // our name key
    this.links = links;
    this.conversations = new Map(); // peer key -> {peer, name, unread, messages: []}
    this.byKey = new Map(); // message key -> message
    this.typing = new Typing((peer, active) => this.emit('typing', peer, active));
    const progress = (peer, id, bytes, size) => this.emit('progress', peer, id, bytes, size);
    // One sender and one receiver of files per session: the group's files (groupfiles.js) use
    // them too, so that one file at a time goes to each peer, whatever its kind.
    this.sender = new FileSender(links);
    this.sender.add(outboxFiles({
      outbox: (peer) => this.outbox(peer),
      save: (m) => this.#saveMessage(m),
      progress,
    }));
    this.receiver = new FileReceiver({
      has: (peer, id) => this.#has(peer, id),
      received: (peerName, fields) => this.#received(peerName, fields),
      send: (peerName, message) => this.#control(peerName, message),
      progress,
    });
    this.active = null; // the conversation on screen
    this.seq = 0;
    this.reopening = new Reopening();
    this.problems = new Map(); // peer key -> why the last link to them could not be made
    links.on('open', (peer) => this.#linkOpened(peer));
    links.on('closed', (peer, link, reason) => this.#linkClosed(peer, link, reason));
    links.on('text', (peer, text) => this.#onText(peer, text));
    links.on('binary', (peer, data) => this.receiver.chunk(peer, data));
    links.server.on('presence', (joined) => {
      for (const user of joined) this.reopening.reset(nameKey(user.name));
    });
    this.resendTimer = setInterval(() => {
      this.#resendUnacknowledged();
      this.#reopenDue();
    }, 2000);
  }

  async load() {
    const conversations = await this.store.byIndex('conversations', 'account', this.account);
    for (const c of conversations) {
      this.conversations.set(c.peer, { peer: c.peer, name: c.name, unread: c.unread, messages: [] });
    }
    for (const c of this.conversations.values()) {
      const messages = await this.store.byIndex('messages', 'conversation', [this.account, c.peer]);
      messages.sort((a, b) => a.seq - b.seq);
      for (const m of messages) {
        if (m.state === 'sent') m.state = 'queued'; // no link survives a reload
        c.messages.push(m);
        this.byKey.set(m.key, m);
        this.seq = Math.max(this.seq, m.seq);
      }
    }
  }

  stop() {
    clearInterval(this.resendTimer);
  }

  conversation(peerName) {
    const peer = nameKey(peerName);
    let c = this.conversations.get(peer);
    if (!c) {
      c = { peer, name: peerName, unread: 0, messages: [] };
      this.conversations.set(peer, c);
      this.#saveConversation(c);
      this.emit('started', peerName);
    }
    return c;
  }

  /** The latest message with {@code peer} (a name key), or undefined. */
  latest(peer) {
    return this.conversations.get(peer)?.messages.at(-1);
  }

  /** The conversations, the one with the latest message first; those without any last. */
  byRecency() {
    const seq = (c) => this.latest(c.peer)?.seq || 0;
    return [...this.conversations.values()].sort((a, b) => seq(b) - seq(a));
  }

  /** Shows {@code peerName}'s conversation: its unread count goes to zero. */
  setActive(peerName) {
    this.active = peerName ? nameKey(peerName) : null;
    if (!peerName) return;
    const c = this.conversation(peerName);
    if (c.unread) {
      c.unread = 0;
      this.#saveConversation(c);
      this.emit('changed', c.peer);
    }
  }

  /** Messages waiting for an acknowledgement, oldest first. */
  outbox(peer) {
    const c = this.conversations.get(nameKey(peer));
    if (!c) return [];
    return c.messages.filter((m) => m.dir === 'out' && (m.state === 'queued' || m.state === 'sent'));
  }

  async sendText(peerName, text) {
    if (text.length > MAX_TEXT_CHARS) throw new Error(`a message is at most ${MAX_TEXT_CHARS} characters`);
    const message = this.#newOutgoing(peerName, { kind: 'text', text });
    await this.#saveMessage(message);
    this.stopTyping(peerName);
    this.connect(peerName);
    return message;
  }

  async sendFile(peerName, file) {
    if (file.size > MAX_FILE_BYTES) {
      throw new Error(`files up to ${MAX_FILE_BYTES / 1024 / 1024} MiB can be sent from a browser`);
    }
    const message = this.#newOutgoing(peerName, { kind: 'file', file: await fileInfo(file), blob: file });
    await this.#saveMessage(message);
    this.connect(peerName);
    return message;
  }

  /** The user typed in the conversation with {@code peerName}. */
  typed(peerName) {
    const peer = nameKey(peerName);
    if (!this.typing.due(peer) || !this.links.isOpen(peerName)) return;
    if (this.#control(peerName, { type: 'typing', active: true })) this.typing.told(peer);
  }

  stopTyping(peerName) {
    if (this.typing.stopped(nameKey(peerName))) this.#control(peerName, { type: 'typing', active: false });
  }

  /**
   * Sends what waits for {@code peerName} if a link is open, or opens one if they are online,
   * unless the wait after a failed link (reopen.js) holds it back: every link the chat opens
   * comes through here.
   */
  connect(peerName) {
    if (this.links.isOpen(peerName)) {
      this.flush(peerName);
      return;
    }
    this.reach(peerName);
  }

  /**
   * Opens a link to {@code peerName} if they are online and the wait after a failed link allows it
   * (groups.js opens its links here too).
   */
  reach(peerName) {
    if (this.links.isOpen(peerName)) return;
    if (!this.links.server.isOnline(peerName) || !this.reopening.allows(nameKey(peerName))) return;
    try {
      this.links.open(peerName);
    } catch (e) {
      this.emit('linkError', peerName, e);
    }
  }

  /** Opens links to the online peers that have something waiting in the outbox. */
  deliverAll() {
    for (const c of this.conversations.values()) {
      if (this.outbox(c.peer).length) this.connect(c.name);
    }
  }

  /** Why the last link to {@code peer} could not be made, until one opens; undefined if it was. */
  problem(peer) {
    return this.problems.get(nameKey(peer));
  }

  #reopenDue() {
    for (const peer of this.reopening.due()) {
      const c = this.conversations.get(peer);
      if (c && this.outbox(peer).length && !this.links.get(peer)) this.connect(c.name);
    }
  }

  #linkOpened(peerName) {
    const peer = nameKey(peerName);
    this.reopening.reset(peer);
    if (this.problems.delete(peer)) this.emit('changed', peer);
    this.flush(peerName);
  }

  /** Sends the outbox to {@code peerName} over the open link, oldest first. */
  flush(peerName) {
    const c = this.conversation(peerName);
    for (const m of this.outbox(c.peer)) {
      if (m.kind === 'text' && m.state === 'queued') this.#transmitText(peerName, m);
    }
    this.sender.send(peerName);
  }

  #transmitText(peerName, m) {
    if (this.#control(peerName, { type: 'message', id: m.id, ts: m.ts, text: m.text })) {
      m.sentAt = Date.now();
      if (m.state !== 'sent') {
        m.state = 'sent';
        this.#saveMessage(m);
      }
    }
  }

  #resendUnacknowledged() {
    const now = Date.now();
    for (const c of this.conversations.values()) {
      for (const m of this.outbox(c.peer)) {
        if (m.kind === 'text' && m.state === 'sent' && now - (m.sentAt || 0) > RESEND_AFTER_MS) {
          this.#transmitText(c.name, m);
        }
      }
    }
  }

  #linkClosed(peerName, link, reason) {
    const peer = nameKey(peerName);
    if (link.error) this.problems.set(peer, link.error.message);
    // A link that gave way to another one did not fail: the other carries the conversation on.
    if (this.outbox(peer).length && reason !== 'glare' && reason !== 'replaced') {
      this.reopening.failed(peer, link.error instanceof NoPathError);
    }
    this.typing.seen(peer, false);
    this.receiver.linkClosed(peer);
    let changed = false;
    for (const m of this.outbox(peer)) {
      if (m.state === 'sent') {
        m.state = 'queued'; // sent again, from the start, on the next link
        m.progress = undefined;
        changed = true;
      }
    }
    if (changed || link.error) this.emit('changed', peer);
  }

  /** Sends a control message if a link is open; false otherwise. */
  #control(peerName, message) {
    return this.links.sendMessage(peerName, message);
  }

  #onText(peerName, text) {
    if (text.length > MAX_CONTROL_BYTES) return;
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      console.warn(`ignoring a message from ${peerName} that is not JSON`);
      return;
    }
    if (!message || typeof message !== 'object' || Array.isArray(message)) return;
    switch (message.type) {
      case 'message':
        return this.#onMessage(peerName, message);
      case 'file':
        return this.receiver.offer(peerName, message, timestamp(message.ts));
      case 'ack':
        return this.#onAck(peerName, message);
      case 'nack':
        return this.#onNack(peerName, message);
      case 'typing':
        if (typeof message.active === 'boolean') this.typing.seen(nameKey(peerName), message.active);
        return;
      default:
        return; // unknown types are ignored, so that new ones can be added
    }
  }

  async #onMessage(peerName, message) {
    const { id, text } = message;
    if (typeof id !== 'string' || !id || id.length > 128) return;
    if (typeof text !== 'string' || text.length > MAX_TEXT_CHARS) return;
    const peer = nameKey(peerName);
    this.typing.seen(peer, false);
    if (!this.#has(peer, id)) {
      await this.#received(peerName, { id, kind: 'text', text, ts: timestamp(message.ts) });
    }
    this.#control(peerName, { type: 'ack', id });
  }

  /** Whether message (or file) {@code id} from {@code peer} was received already. */
  #has(peer, id) {
    return this.byKey.has(messageKey(this.account, peer, 'in', id));
  }

  async #received(peerName, fields) {
    const c = this.conversation(peerName);
    const message = {
      key: messageKey(this.account, c.peer, 'in', fields.id),
      ...fields,
      account: this.account,
      peer: c.peer,
      dir: 'in',
      state: 'received',
      seq: ++this.seq,
    };
    c.messages.push(message);
    this.byKey.set(message.key, message);
    if (this.active !== c.peer || document.hidden) c.unread++;
    this.#saveConversation(c);
    await this.#saveMessage(message);
  }

  #onAck(peerName, ack) {
    if (typeof ack.id !== 'string') return;
    const m = this.byKey.get(messageKey(this.account, nameKey(peerName), 'out', ack.id.toLowerCase()));
    if (!m || m.state === 'delivered' || m.state === 'failed') return;
    m.state = 'delivered';
    this.#saveMessage(m);
  }

  #onNack(peerName, nack) {
    if (typeof nack.id !== 'string') return;
    const m = this.byKey.get(messageKey(this.account, nameKey(peerName), 'out', nack.id.toLowerCase()));
    if (!m || m.kind !== 'file' || m.state === 'delivered') return;
    m.state = 'failed';
    m.reason = typeof nack.reason === 'string' ? nack.reason.slice(0, 64) : 'refused';
    m.reasonText = typeof nack.message === 'string' ? nack.message.slice(0, 300) : '';
    this.#saveMessage(m);
  }

  #newOutgoing(peerName, fields) {
    const c = this.conversation(peerName);
    const id = crypto.randomUUID();
    const message = {
      key: messageKey(this.account, c.peer, 'out', id),
      account: this.account,
      peer: c.peer,
      id,
      dir: 'out',
      ts: Date.now(),
      seq: ++this.seq,
      state: 'queued',
      ...fields,
    };
    c.messages.push(message);
    this.byKey.set(message.key, message);
    return message;
  }

  #saveConversation(c) {
    this.store
      .put('conversations', { account: this.account, peer: c.peer, name: c.name, unread: c.unread })
      .catch((e) => console.error('could not store a conversation', e));
  }

  async #saveMessage(m) {
    const { sentAt, progress, ...kept } = m;
    this.emit('changed', m.peer);
    try {
      await this.store.put('messages', kept);
    } catch (e) {
      console.error('could not store a message', e);
    }
  }
}

function messageKey(account, peer, dir, id) {
  return `${account}|${peer}|${dir}|${id}`;
}

function timestamp(ts) {
  return Number.isSafeInteger(ts) && ts > 0 ? ts : Date.now();
}
