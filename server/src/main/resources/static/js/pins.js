// Keys pinned on first use, per peer: a later, different key is refused until the user accepts it.

import { nameKey } from './bytes.js';
import { KeyChangedError } from './links.js';

export class Pins {
  constructor(store, account) {
    this.store = store;
    this.account = account;
    this.keys = new Map(); // peer nameKey -> key
  }

  async load() {
    const all = await this.store.db.transaction('pins').objectStore('pins').getAll();
    await new Promise((resolve, reject) => {
      all.onsuccess = resolve;
      all.onerror = () => reject(all.error);
    });
    for (const pin of all.result) if (pin.account === this.account) this.keys.set(pin.peer, pin.key);
  }

  pinned(peer) {
    return this.keys.get(nameKey(peer));
  }

  /** The key to trust for {@code peer}: pins {@code presented} if none is; throws on a change. */
  trust(peer, presented) {
    const pinned = this.pinned(peer);
    if (pinned === undefined) {
      this.accept(peer, presented);
      return presented;
    }
    if (pinned !== presented) throw new KeyChangedError(peer, pinned, presented);
    return pinned;
  }

  accept(peer, key) {
    this.keys.set(nameKey(peer), key);
    this.store
      .put('pins', { account: this.account, peer: nameKey(peer), key })
      .catch((e) => console.error('could not store a pinned key', e));
  }
}
