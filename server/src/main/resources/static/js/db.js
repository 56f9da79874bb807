// The browser's storage, in IndexedDB: identities (non-extractable keys), pinned peer keys,
// conversations and their messages (outbox included, file contents as Blobs), group entries and
// the bytes of the group's files.

const NAME = 'parley';
const VERSION = 3;

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

export async function openDb() {
  const open = indexedDB.open(NAME, VERSION);
  open.onupgradeneeded = (event) => {
    const db = open.result;
    if (event.oldVersion < 1) {
      db.createObjectStore('accounts', { keyPath: 'key' });
      db.createObjectStore('pins', { keyPath: ['account', 'peer'] });
      db.createObjectStore('conversations', { keyPath: ['account', 'peer'] })
        .createIndex('account', 'account');
      db.createObjectStore('messages', { keyPath: 'key' })
        .createIndex('conversation', ['account', 'peer']);
      db.createObjectStore('settings', { keyPath: 'key' });
    }
    if (event.oldVersion < 2) {
      // Groups (groups.js): each entry by its hash, and per group what the page keeps (unread).
      db.createObjectStore('groupEntries', { keyPath: 'key' }).createIndex('account', 'account');
      db.createObjectStore('groups', { keyPath: ['account', 'group'] }).createIndex('account', 'account');
    }
    if (event.oldVersion < 3) {
      // The bytes of the group's files (groupfiles.js) we hold, by the hash of their entry.
      db.createObjectStore('groupFiles', { keyPath: 'key' }).createIndex('account', 'account');
    }
  };
  const db = await request(open);
  // A page of a newer version (the server was upgraded) waits to upgrade the database: this one
  // lets it, and loads the newer version itself.
  db.onversionchange = () => {
    db.close();
    location.reload();
  };
  return new Store(db);
}

class Store {
  constructor(db) {
    this.db = db;
  }

  async get(store, key) {
    return request(this.db.transaction(store).objectStore(store).get(key));
  }

  async put(store, value) {
    const tx = this.db.transaction(store, 'readwrite');
    tx.objectStore(store).put(value);
    return new Promise((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  }

  async byIndex(store, index, key) {
    return request(this.db.transaction(store).objectStore(store).index(index).getAll(key));
  }

  async setting(key) {
    const row = await this.get('settings', key);
    return row ? row.value : undefined;
  }

  async setSetting(key, value) {
    return this.put('settings', { key, value });
  }
}
