// One signed-in account: its connection to the server, whom it watches there, its pinned keys,
// its links, its chat and its groups, and what the page keeps for it (the conversation on screen, key
// changes, verified marks).

import { nameKey } from './bytes.js';
import { Chat } from './chat.js';
import { Groups } from './groups.js';
import { Links } from './links.js';
import { Pins } from './pins.js';
import { ServerConnection } from './server.js';
import { Watches } from './watches.js';

export class Session {
  constructor(store, identity) {
    this.store = store;
    this.identity = identity;
    this.account = nameKey(identity.name);
    this.server = new ServerConnection(websocketUrl(), identity);
    this.pins = new Pins(store, this.account);
    this.links = new Links(this.server, identity, this.pins);
    this.chat = new Chat(store, this.account, this.links);
    this.groups = new Groups(store, identity, this.links, this.chat);
    this.watches = new Watches(this.server, this.chat, this.groups);
    this.active = null; // the peer key on screen
    this.activeGroup = null; // or the group id on screen
    this.keyChanges = new Map(); // peer key -> KeyChangedError not yet accepted
    this.warned = new Set();
    this.refusals = new Set(); // `${peer key}|${reason}` told since the last link to them opened
    this.verified = new Map(); // peer key -> key marked as verified
    this.fileUrls = new Map(); // message key, or `group|${entry hash}` -> object URL
  }

  async load() {
    await this.pins.load();
    await this.chat.load();
    await this.groups.load();
    this.verified = new Map(Object.entries((await this.store.setting(`verified|${this.account}`)) || {}));
  }

  name() {
    return this.server.name;
  }

  displayName(peer) {
    return this.server.online.get(peer)?.name || this.chat.conversations.get(peer)?.name || peer;
  }

  /**
   * Whether {@code peer} can be reached now: over an open link, whatever the server says (it may be
   * what went away), or online by the word of a server we are connected to.
   */
  reachable(peer) {
    return this.links.isOpen(peer) || (this.server.state === 'online' && this.server.online.has(peer));
  }

  /** The object URL of a file's bytes, {@code blob}, made once per {@code key}. */
  fileUrl(key, blob) {
    let url = this.fileUrls.get(key);
    if (!url) {
      url = URL.createObjectURL(blob);
      this.fileUrls.set(key, url);
    }
    return url;
  }

  /** Whether the user marked the key pinned for {@code peer} as verified. */
  isVerified(peer) {
    const pinned = this.pins.pinned(peer);
    return pinned !== undefined && this.verified.get(peer) === pinned;
  }

  /** Marks {@code key} as the verified key of {@code peer}, or (null) takes the mark back. */
  async setVerified(peer, key) {
    if (key) this.verified.set(peer, key);
    else this.verified.delete(peer);
    await this.store.setSetting(`verified|${this.account}`, Object.fromEntries(this.verified));
  }

  stop() {
    this.links.closeAll();
    this.chat.stop();
    this.groups.stop();
    this.server.stop();
    for (const url of this.fileUrls.values()) URL.revokeObjectURL(url);
  }
}

function websocketUrl() {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}
