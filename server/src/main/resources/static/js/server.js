// The connection to the Parley server (docs/protocol.md): log in with the identity key, follow
// presence in the server's mode, relay signals; reconnect with backoff and jitter when the
// connection drops. Whom to watch in contacts mode is watches.js's to decide.

import { Emitter } from './emitter.js';
import { nameKey } from './bytes.js';

const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 30000;

/** Why the server refused us for good: reconnecting would not help. */
const REFUSALS = new Set([
  'name_taken',
  'bad_signature',
  'unsupported_version',
  'invalid_name',
  'registration_closed',
  'too_many_registrations',
  'invite_required',
  'invite_invalid',
  'storage_full',
]);

export class ServerConnection extends Emitter {
  constructor(url, identity) {
    super();
    this.url = url;
    this.identity = identity;
    this.name = identity.name;
    this.online = new Map(); // nameKey -> {name, publicKey}
    // 'everyone' or 'contacts' (docs/protocol.md, "Presence modes"), as the last welcome said.
    this.presenceMode = 'everyone';
    this.iceServers = [];
    this.state = 'connecting';
    this.attempt = 0;
    this.stopped = false;
    this.ws = null;
    this.loggedIn = false;
    // The invite code to register a new name with, on a server that takes new names by invitation
    // only; sent until the first welcome, after which the name is registered and needs none.
    this.invite = undefined;
  }

  start() {
    this.stopped = false;
    this.replaced = false;
    this.#connect();
  }

  /** Closes the connection and stops reconnecting. */
  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    const ws = this.ws;
    this.ws = null;
    this.loggedIn = false;
    if (ws) ws.close(1000);
    this.#setState('offline');
  }

  /** Reconnects now, skipping the rest of the backoff. */
  retryNow() {
    if (this.stopped || this.state !== 'reconnecting') return;
    clearTimeout(this.retryTimer);
    this.#connect();
  }

  isOnline(name) {
    return this.online.has(nameKey(name));
  }

  keyOf(name) {
    const user = this.online.get(nameKey(name));
    return user ? user.publicKey : undefined;
  }

  /** Sends a signal; false if we are not logged in right now. */
  signal(kind, to, data) {
    return this.#send({ type: kind, to, data });
  }

  /**
   * Asks to hear of {@code names} (at most 100), in contacts mode; {@code ref} comes back in the
   * error if the server refuses. False if we are not logged in right now.
   */
  watch(names, ref) {
    return this.#send({ type: 'watch', names, ref });
  }

  /** Stops hearing of {@code names}: what we knew of them no longer holds, so they count offline. */
  unwatch(names) {
    if (!this.#send({ type: 'unwatch', names })) return false;
    this.#presence({ left: names });
    return true;
  }

  #send(message) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN || !this.loggedIn) return false;
    this.ws.send(JSON.stringify(message));
    return true;
  }

  #setState(state, detail = {}) {
    this.state = state;
    this.emit('state', state, detail);
  }

  #connect() {
    this.#setState(this.attempt === 0 ? 'connecting' : 'reconnecting', { retrying: true });
    let ws;
    try {
      ws = new WebSocket(this.url);
    } catch (e) {
      this.#scheduleReconnect();
      return;
    }
    this.ws = ws;
    this.loggedIn = false;
    this.lastHeard = Date.now();
    ws.onmessage = (event) => this.#onFrame(ws, event.data);
    ws.onclose = () => this.#dropped(ws);
  }

  #dropped(ws) {
    if (ws !== this.ws) return;
    this.ws = null;
    clearInterval(this.pingTimer);
    this.loggedIn = false;
    this.emit('disconnected');
    if (!this.stopped) this.#scheduleReconnect();
  }

  #scheduleReconnect() {
    const base = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** this.attempt);
    const delay = Math.round(base / 2 + Math.random() * (base / 2));
    this.attempt++;
    this.nextAttempt = Date.now() + delay;
    this.#setState('reconnecting', { at: this.nextAttempt });
    this.retryTimer = setTimeout(() => this.#connect(), delay);
  }

  async #onFrame(ws, text) {
    if (ws !== this.ws) return;
    this.lastHeard = Date.now();
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      console.warn('the server sent a frame that is not JSON');
      return;
    }
    switch (message.type) {
      case 'challenge':
        return this.#login(ws, message);
      case 'welcome':
        return this.#welcome(message);
      case 'presence':
        return this.#presence(message);
      case 'offer':
      case 'answer':
      case 'candidate':
      case 'hangup':
        if (typeof message.from === 'string' && message.data && typeof message.data === 'object') {
          this.emit('signal', message.type, message.from, message.data);
        }
        return;
      case 'error':
        return this.#error(message);
      case 'pong':
        return;
      default:
        console.warn('unknown message from the server', message.type);
    }
  }

  async #login(ws, challenge) {
    if (!Array.isArray(challenge.versions) || !challenge.versions.includes(1)) {
      this.emit('refused', 'unsupported_version', 'this server does not speak protocol version 1');
      this.stop();
      return;
    }
    const proof =
      `parley-login-v1\n${challenge.serverId}\n${challenge.nonce}\n` +
      `${this.name}\n${this.identity.publicKey}\n`;
    const signature = await this.identity.sign(proof);
    if (ws !== this.ws || ws.readyState !== WebSocket.OPEN) return;
    ws.send(
      JSON.stringify({
        type: 'login',
        version: 1,
        name: this.name,
        publicKey: this.identity.publicKey,
        signature,
        invite: this.invite || undefined,
        ref: 'login',
      }),
    );
  }

  #welcome(welcome) {
    this.loggedIn = true;
    this.invite = undefined;
    this.attempt = 0;
    this.name = welcome.name;
    this.presenceMode = welcome.presence === 'contacts' ? 'contacts' : 'everyone';
    this.iceServers = Array.isArray(welcome.iceServers) ? welcome.iceServers : [];
    const before = this.online;
    this.online = new Map();
    for (const user of welcome.online || []) this.#join(user);
    const left = [...before.keys()].filter((key) => !this.online.has(key));
    const heartbeat = Math.max(5, Number(welcome.heartbeatSeconds) || 15) * 1000;
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => this.#keepAlive(heartbeat), heartbeat);
    this.#setState('online');
    this.emit('welcome', welcome);
    this.emit('presence', [...this.online.values()], left.map((key) => before.get(key).name));
  }

  /** Pings the server; a server silent for two intervals is taken for gone. */
  #keepAlive(heartbeat) {
    if (Date.now() - this.lastHeard > 2 * heartbeat + 5000) {
      const ws = this.ws;
      this.#dropped(ws);
      ws.close();
      return;
    }
    this.#send({ type: 'ping' });
  }

  /** Whether {@code user} is news: someone not known online, or known with another key. */
  #join(user) {
    if (!user || typeof user.name !== 'string' || typeof user.publicKey !== 'string') return false;
    if (nameKey(user.name) === nameKey(this.name)) return false;
    const known = this.online.get(nameKey(user.name));
    if (known?.name === user.name && known.publicKey === user.publicKey) return false;
    this.online.set(nameKey(user.name), { name: user.name, publicKey: user.publicKey });
    return true;
  }

  /**
   * Frames may repeat what we know (a watch is answered with the state of every name it lists, and
   * a batch may follow with the same): only what changed is reported.
   */
  #presence(frame) {
    const joined = (frame.joined || []).filter((user) => this.#join(user));
    const left = [];
    for (const name of frame.left || []) {
      if (typeof name === 'string' && this.online.delete(nameKey(name))) left.push(name);
    }
    if (joined.length || left.length) this.emit('presence', joined, left);
  }

  #error(error) {
    const code = String(error.code);
    const text = String(error.message || code);
    if (REFUSALS.has(code) && !this.loggedIn) {
      this.emit('refused', code, text);
      this.stop();
    } else if (code === 'session_replaced') {
      this.replaced = true;
      this.stop();
      this.emit('replaced', text);
    } else {
      this.emit('error', code, text, typeof error.ref === 'string' ? error.ref : undefined);
    }
  }
}
