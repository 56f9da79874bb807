// Direct, verified WebRTC links to peers (docs/p2p.md): at most one per peer, opened on demand.
// Each side signs the DTLS fingerprint of its own SDP; the other checks it against the key pinned
// for that name before it sets the description.

import { Emitter } from './emitter.js';
import { nameKey } from './bytes.js';
import { fingerprintOf, fingerprintPayload } from './fingerprint.js';
import { verify } from './identity.js';

const DISCONNECTED_GRACE_MS = 10000; // as the Java client: a disconnected link may heal
export const LABEL = 'parley-v1';
const OPEN_TIMEOUT_MS = 30000;
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

class BadFingerprintError extends Error {}

/**
 * Events: 'open' (peer, link), 'closed' (peer, link, reason), 'text' (peer, string),
 * 'binary' (peer, ArrayBuffer), 'refused' (peer, reason, message), 'keyChanged' (KeyChangedError).
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
      else if (kind === 'hangup') {
        const reason = typeof data.reason === 'string' ? data.reason : 'closed';
        if (!current.isOpen()) {
          this.emit('refused', from, reason, typeof data.message === 'string' ? data.message : '');
        }
        current.end(reason, false);
      }
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

/** One link: a peer connection and its data channel. Its signal handling runs one step at a time. */
class Link {
  constructor(links, peer, peerKey, id, offerer) {
    this.links = links;
    this.peer = peer;
    this.peerKey = peerKey;
    this.id = id;
    this.offerer = offerer;
    this.answered = false;
    this.ended = false;
    this.channel = null;
    this.lastTraffic = Date.now();
    this.steps = Promise.resolve();
    this.descriptionSent = false;
    this.outgoing = [];
    this.remoteSet = false;
    this.incoming = [];
    this.pc = new RTCPeerConnection({ iceServers: links.server.iceServers });
    this.pc.onicecandidate = (event) => this.#localCandidate(event.candidate);
    this.pc.ondatachannel = (event) => {
      if (event.channel.label === LABEL && !this.channel) this.#adopt(event.channel);
      else event.channel.close();
    };
    this.pc.onconnectionstatechange = () => {
      const state = this.pc.connectionState;
      clearTimeout(this.disconnectedTimer);
      if (state === 'failed') this.end('failed', true, 'WebRTC failed');
      else if (state === 'disconnected') {
        this.disconnectedTimer = setTimeout(() => {
          if (this.pc.connectionState === 'disconnected') {
            this.end('failed', true, 'lost the connection for 10 s');
          }
        }, DISCONNECTED_GRACE_MS);
      }
    };
    this.timer = setTimeout(() => {
      if (!this.isOpen()) this.end('failed', true, 'no connection within 30 s');
    }, OPEN_TIMEOUT_MS);
  }

  isOpen() {
    return !this.ended && this.channel?.readyState === 'open';
  }

  /** Runs one signal-handling step after the previous ones; a failure ends the link. */
  run(step) {
    this.steps = this.steps
      .then(() => (this.ended ? undefined : step()))
      .catch((e) => {
        console.warn(`link to ${this.peer}:`, e.message);
        this.end(e instanceof BadFingerprintError ? 'bad_fingerprint' : 'failed', true, e.message);
      });
  }

  async offer() {
    this.#adopt(this.pc.createDataChannel(LABEL));
    await this.pc.setLocalDescription(await this.pc.createOffer());
    await this.#sendDescription('offer');
  }

  async answer(data) {
    await this.#setRemote('offer', data);
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    await this.#sendDescription('answer');
  }

  async onAnswer(data) {
    if (!this.offerer || this.answered) return;
    if (typeof data.sdp !== 'string' || typeof data.signature !== 'string') return;
    this.answered = true;
    await this.#setRemote('answer', data);
  }

  async onCandidate(data) {
    if (typeof data.candidate !== 'string' || !data.candidate) return;
    const candidate = {
      candidate: data.candidate,
      sdpMid: typeof data.sdpMid === 'string' ? data.sdpMid : null,
      sdpMLineIndex: Number.isInteger(data.sdpMLineIndex) ? data.sdpMLineIndex : 0,
    };
    if (this.remoteSet) await this.#addCandidate(candidate);
    else this.incoming.push(candidate);
  }

  send(data) {
    if (!this.isOpen()) throw new Error(`the link to ${this.peer} is not open`);
    this.channel.send(data);
    this.lastTraffic = Date.now();
  }

  /** Ends the link; {@code tell} sends the peer a hangup with {@code reason}. */
  end(reason, tell, message = '') {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.timer);
    clearTimeout(this.disconnectedTimer);
    if (tell) this.links.server.signal('hangup', this.peer, { link: this.id, reason, message });
    try {
      this.channel?.close();
      this.pc.close();
    } catch {
      // already closed
    }
    this.links.forget(this);
    this.links.emit('closed', this.peer, this, reason);
  }

  async #setRemote(type, data) {
    let fingerprint;
    try {
      fingerprint = fingerprintOf(data.sdp);
    } catch (e) {
      throw new BadFingerprintError(e.message);
    }
    const payload = fingerprintPayload(this.peer, this.links.server.name, this.id, fingerprint);
    if (!(await verify(this.peerKey, payload, data.signature))) {
      throw new BadFingerprintError(
        `the DTLS fingerprint of ${this.peer} is not signed by the key pinned for them`,
      );
    }
    await this.pc.setRemoteDescription({ type, sdp: data.sdp });
    this.remoteSet = true;
    for (const candidate of this.incoming.splice(0)) await this.#addCandidate(candidate);
  }

  async #addCandidate(candidate) {
    try {
      await this.pc.addIceCandidate(candidate);
    } catch (e) {
      console.warn(`ignoring a candidate of ${this.peer}: ${e.message}`);
    }
  }

  async #sendDescription(kind) {
    const sdp = this.pc.localDescription.sdp;
    const payload = fingerprintPayload(this.links.server.name, this.peer, this.id, fingerprintOf(sdp));
    const signature = await this.links.identity.sign(payload);
    if (this.ended) return;
    this.links.server.signal(kind, this.peer, { link: this.id, sdp, signature });
    this.descriptionSent = true;
    for (const candidate of this.outgoing.splice(0)) this.#sendCandidate(candidate);
  }

  #localCandidate(candidate) {
    if (this.ended || !candidate || !candidate.candidate) return;
    const data = {
      link: this.id,
      candidate: candidate.candidate,
      sdpMid: candidate.sdpMid ?? '',
      sdpMLineIndex: candidate.sdpMLineIndex ?? 0,
    };
    if (this.descriptionSent) this.#sendCandidate(data);
    else this.outgoing.push(data);
  }

  #sendCandidate(data) {
    this.links.server.signal('candidate', this.peer, data);
  }

  #adopt(channel) {
    this.channel = channel;
    channel.binaryType = 'arraybuffer';
    channel.bufferedAmountLowThreshold = 256 * 1024;
    channel.onopen = () => {
      if (this.ended) return;
      clearTimeout(this.timer);
      this.lastTraffic = Date.now();
      this.links.emit('open', this.peer, this);
    };
    channel.onclose = () => this.end('closed', false);
    channel.onmessage = (event) => {
      if (this.ended) return;
      this.lastTraffic = Date.now();
      if (typeof event.data === 'string') this.links.emit('text', this.peer, event.data, this);
      else if (event.data instanceof ArrayBuffer) this.links.emit('binary', this.peer, event.data, this);
    };
    if (channel.readyState === 'open') channel.onopen();
  }
}
