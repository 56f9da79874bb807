// Direct, verified WebRTC links to peers (docs/p2p.md): at most one per peer, opened on demand.
// Each side signs the DTLS fingerprint of its own SDP; the other checks it against the key pinned
// for that name before it sets the description (link.js).

import { Emitter } from './emitter.js';
import { nameKey } from './bytes.js';
import { Link } from './link.js';

const IDLE_MS = 5 * 60 * 1000;
const MAX_EARLY_SIGNALS = 64;

/** The key the server presents for a peer is not the one pinned for them. */
export class KeyChangedError extends Error {
  constructor(peer, pinned, presented) {
    super(`the identity key of '${peer}' has changed`);
    this.peer = peer;
    this.pinned = pinned;
    this.presented = presented;
  }
}

/**
 * Events: 'open' (peer, link), 'path' (peer, link) when an open link's path changes,
 * 'closed' (peer, link, reason), 'text' (peer, string), 'binary' (peer, ArrayBuffer),
 * 'refused' (peer, reason, message), 'keyChanged' (KeyChangedError).
 *
 * A link that could not be made carries the reason in {@code link.error} when it closes: a
 * NoPathError (ice.js) when ICE found no working pair, or an Error when the peer never answered.
 */
export class Links extends Emitter {
  constructor(server, identity, pins) {
    super();
    this.server = server;
    this.identity = identity;
    this.pins = pins;
    this.links = new Map(); // nameKey -> Link
    this.early = new Map(); // nameKey -> signals that came before the peer's presence
    server.on('signal', (kind, from, data) => this.#onSignal(kind, from, data));
    // A peer the server announces as gone keeps an open link while it works: the server may be
    // what went away, and a peer that is really gone hangs up or stops answering (see below). A
    // link still being negotiated is abandoned: its signals can no longer reach the peer.
    server.on('presence', (joined, left) => {
      for (const name of left) {
        const link = this.get(name);
        if (link && !link.isOpen()) link.end('closed', false, 'the peer left');
      }
      for (const user of joined) {
        // A link belongs to the key it was verified against: another key under that name now
        // (a new device, a reset server, an impostor) is not the person at the end of it.
        const link = this.get(user.name);
        if (link && link.peerKey !== user.publicKey) {
          link.end('closed', false, 'the peer has another key');
        }
        this.#replayEarly(user.name);
      }
    });
    this.idleTimer = setInterval(() => this.#closeIdle(), 30000);
  }

  get(peer) {
    return this.links.get(nameKey(peer));
  }

  isOpen(peer) {
    return this.get(peer)?.isOpen() === true;
  }

  /** Sends {@code message} (an object, as JSON) on the open link to {@code peer}; false if none is open. */
  sendMessage(peer, message) {
    if (!this.isOpen(peer)) return false;
    try {
      this.get(peer).send(JSON.stringify(message));
      return true;
    } catch (e) {
      console.warn(`could not send to ${peer}: ${e.message}`);
      return false;
    }
  }

  /** The link to {@code peer}: the current one, or a new one we offer. Throws KeyChangedError. */
  open(peer) {
    const current = this.get(peer);
    if (current && !current.ended) return current;
    const presented = this.server.keyOf(peer);
    if (!presented) throw new Error(`${peer} is not online`);
    const key = this.pins.trust(peer, presented);
    const link = new Link(this, peer, key, crypto.randomUUID(), true);
    this.links.set(nameKey(peer), link);
    link.run(() => link.offer());
    return link;
  }

  /** Hangs up every link. */
  closeAll() {
    clearInterval(this.idleTimer);
    for (const link of this.links.values()) link.end('closed', true);
  }

  #onSignal(kind, from, data) {
    if (!this.server.keyOf(from)) {
      // Presence is batched, signals are not: the peer's join may still be on its way.
      const waiting = this.early.get(nameKey(from)) || [];
      if (waiting.length < MAX_EARLY_SIGNALS) waiting.push([kind, from, data]);
      this.early.set(nameKey(from), waiting);
      return;
    }
    if (typeof data.link !== 'string' || data.link.length > 64) return;
    const current = this.get(from);
    if (kind === 'offer') {
      this.#onOffer(from, data, current);
    } else if (current && current.id === data.link && !current.ended) {
      if (kind === 'answer') current.run(() => current.onAnswer(data));
      else if (kind === 'candidate') current.run(() => current.onCandidate(data));
      else if (kind === 'hangup') current.onHangup(data);
    }
  }

  #replayEarly(name) {
    const waiting = this.early.get(nameKey(name));
    if (!waiting) return;
    this.early.delete(nameKey(name));
    for (const [kind, from, data] of waiting) this.#onSignal(kind, from, data);
  }

  #onOffer(from, data, current) {
    if (typeof data.sdp !== 'string' || typeof data.signature !== 'string') return;
    if (current && current.id === data.link && !current.ended) return;
    const glare = current && !current.ended && current.offerer && !current.answered;
    if (glare && nameKey(this.server.name) > nameKey(from)) return; // our offer wins
    let key;
    try {
      key = this.pins.trust(from, this.server.keyOf(from));
    } catch (e) {
      if (!(e instanceof KeyChangedError)) throw e;
      this.server.signal('hangup', from, { link: data.link, reason: 'key_changed', message: e.message });
      this.emit('keyChanged', e);
      return;
    }
    if (current && !current.ended) current.end(glare ? 'glare' : 'replaced', true);
    const link = new Link(this, from, key, data.link, false);
    this.links.set(nameKey(from), link);
    link.run(() => link.answer(data));
  }

  #closeIdle() {
    const now = Date.now();
    for (const link of this.links.values()) {
      if (link.isOpen() && now - link.lastTraffic > IDLE_MS) link.end('idle', true);
    }
  }

  forget(link) {
    if (this.links.get(nameKey(link.peer)) === link) this.links.delete(nameKey(link.peer));
  }
}
