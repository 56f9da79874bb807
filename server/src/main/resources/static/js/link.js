// One WebRTC link to a peer (docs/p2p.md): its peer connection and data channel, the signed
// description each way, trickled candidates, and what ICE did: how the link goes once open (its
// path) and, if it could not be made, why (its error).

import { fingerprintOf, fingerprintPayload } from './fingerprint.js';
import { IceReport } from './ice.js';
import { verify } from './identity.js';

export const LABEL = 'parley-v1';
const DISCONNECTED_GRACE_MS = 10000; // as the Java client: a disconnected link may heal
const OPEN_TIMEOUT_MS = 30000; // a safety net: ICE itself says 'failed' sooner when no pair works
// Our first message on every link: we read batches, several messages in one JSON array (docs/p2p.md,
// "Batches"). This client sends one message per data channel message; a Java peer batches.
const HELLO = JSON.stringify({ type: 'hello', features: ['batch'] });
const MAX_BATCH = 1024;

class BadFingerprintError extends Error {}

/**
 * The messages of a text message: a batch (a JSON array of at most MAX_BATCH objects) as the text
 * of each object in it, anything else as itself. A batch that is not one is ignored as a whole.
 */
function unbatch(data, peer) {
  if (!data.startsWith('[')) return [data];
  let batch;
  try {
    batch = JSON.parse(data);
  } catch {
    batch = null;
  }
  if (!Array.isArray(batch) || batch.length > MAX_BATCH) {
    console.warn(`ignoring a batch from ${peer} that is not a JSON array of at most ${MAX_BATCH} messages`);
    return [];
  }
  return batch.filter((m) => m && typeof m === 'object' && !Array.isArray(m)).map((m) => JSON.stringify(m));
}

/**
 * One link: a peer connection and its data channel. Its signal handling runs one step at a time.
 * It belongs to {@code links} (links.js), whose server carries its signals and whose events it
 * emits; {@code peerKey} is the key it verifies the peer's fingerprint against.
 */
export class Link {
  constructor(links, peer, peerKey, id, offerer) {
    this.links = links;
    this.peer = peer;
    this.peerKey = peerKey;
    this.id = id;
    this.offerer = offerer;
    this.answered = false;
    this.opened = false; // the channel opened: from then on a failure is not a missing path
    this.ended = false;
    this.error = null; // why the link could not be made, once it ended
    this.path = null; // how the open link goes (ice.js selectedPath)
    this.channel = null;
    this.created = Date.now();
    this.lastTraffic = this.created;
    this.steps = Promise.resolve();
    this.descriptionSent = false;
    this.outgoing = [];
    this.remoteSet = false;
    this.incoming = [];
    const iceServers = links.server.iceServers;
    this.ice = new IceReport(iceServers);
    this.pc = new RTCPeerConnection({ iceServers });
    this.pc.onicecandidate = (event) => this.#localCandidate(event.candidate);
    this.pc.onicecandidateerror = (event) => this.ice.addError(event);
    this.pc.ondatachannel = (event) => {
      if (event.channel.label === LABEL && !this.channel) this.#adopt(event.channel);
      else event.channel.close();
    };
    this.pc.oniceconnectionstatechange = () => {
      if (this.pc.iceConnectionState === 'failed' && !this.opened) this.#noPath();
    };
    this.pc.onconnectionstatechange = () => {
      const state = this.pc.connectionState;
      clearTimeout(this.disconnectedTimer);
      if (state === 'failed') {
        if (this.opened) this.end('failed', true, 'WebRTC failed');
        else this.#noPath();
      } else if (state === 'disconnected') {
        this.disconnectedTimer = setTimeout(() => {
          if (this.pc.connectionState === 'disconnected') {
            this.end('failed', true, 'lost the connection for 10 s');
          }
        }, DISCONNECTED_GRACE_MS);
      }
    };
    this.timer = setTimeout(() => this.#giveUpUnlessOpen(), OPEN_TIMEOUT_MS);
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
    this.ice.addRemote(data.candidate);
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

  /**
   * The peer hung up. If its ICE agent found no path before ours did, our own report explains
   * it: both sides had the same server, and so the same relay.
   */
  onHangup(data) {
    const reason = typeof data.reason === 'string' ? data.reason : 'closed';
    if (!this.opened && reason === 'no_path') {
      this.error = this.ice.explain(this.peer);
      console.warn(`link to ${this.peer} failed after ${Date.now() - this.created} ms (they found no path): ${this.error.message}`);
    } else if (!this.opened) {
      this.links.emit('refused', this.peer, reason, typeof data.message === 'string' ? data.message : '');
    }
    this.end(reason, false);
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

  /** Ends a link that could not be made, for {@code error}, and tells the peer {@code reason}. */
  #fail(error, reason) {
    if (this.ended) return;
    this.error = error;
    console.warn(`link to ${this.peer} failed after ${Date.now() - this.created} ms (${reason}): ${error.message}`);
    this.end(reason, true, error.message);
  }

  /** ICE tried every candidate pair and none worked. */
  #noPath() {
    this.#fail(this.ice.explain(this.peer), 'no_path');
  }

  /**
   * The safety net behind ICE's own verdict: a peer that never answered our offer, or an ICE agent
   * that never decided (as the Java client: the peer hears 'no_path' and explains it itself).
   */
  #giveUpUnlessOpen() {
    if (this.opened) return;
    if (this.remoteSet) this.#fail(this.ice.explain(this.peer), 'no_path');
    else this.#fail(new Error(`${this.peer} did not answer within ${OPEN_TIMEOUT_MS / 1000} s`), 'failed');
  }

  /** Reads which candidate pair the link uses now; {@code changed} is called if it is another one. */
  async #readPath(changed) {
    let path = null;
    try {
      path = this.ice.path(await this.pc.getStats());
    } catch (e) {
      console.warn(`no path for the link to ${this.peer}: ${e.message}`);
    }
    if (this.ended || !path || path.text === this.path?.text) return;
    this.path = path;
    changed(path);
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
      if (this.opened) this.#refreshPath();
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
    this.ice.addLocal(candidate.candidate);
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
      if (this.ended || this.opened) return;
      this.opened = true;
      channel.send(HELLO);
      clearTimeout(this.timer);
      this.lastTraffic = Date.now();
      // Open once the path is known, so that everything that hears 'open' can show it.
      this.#readPath(() => {}).finally(() => {
        if (this.ended) return;
        const after = Date.now() - this.created;
        console.info(`link to ${this.peer} open after ${after} ms, ${this.path?.text ?? 'path unknown'}`);
        this.links.emit('open', this.peer, this);
        const transport = this.pc.sctp?.transport?.iceTransport;
        if (transport) transport.onselectedcandidatepairchange = () => this.#refreshPath();
      });
    };
    channel.onclose = () => this.end('closed', false);
    channel.onmessage = (event) => {
      if (this.ended) return;
      this.lastTraffic = Date.now();
      if (typeof event.data === 'string') {
        for (const text of unbatch(event.data, this.peer)) this.links.emit('text', this.peer, text, this);
      } else if (event.data instanceof ArrayBuffer) this.links.emit('binary', this.peer, event.data, this);
    };
    if (channel.readyState === 'open') channel.onopen();
  }

  /**
   * Keeps the path shown true once open: ICE may move to a better pair, and a peer's address
   * first learned from its connectivity checks (peer-reflexive) turns into a host candidate when
   * its candidate signal arrives.
   */
  #refreshPath() {
    this.#readPath((path) => {
      console.info(`link to ${this.peer} now ${path.text}`);
      this.links.emit('path', this.peer, this);
    });
  }
}
