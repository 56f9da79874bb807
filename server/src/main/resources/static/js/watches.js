// Whom the server tells us about in contacts mode (docs/protocol.md, "Presence modes"): after every
// login, the people we have conversations with, the latest first; then anyone else as soon as a
// conversation with them starts or they signal us (their key comes with the answer, and the link
// needs it). Watches belong to one connection, so they are kept here per login. In everyone mode
// the server tells of everyone already, and nothing is sent.

import { nameKey } from './bytes.js';
import { NAME } from './directory.js';

/** The protocol's limits: names in one watch message, and names one connection watches. */
export const MAX_NAMES = 100;
export const MAX_WATCHED = 1000;

/** How many watches are remembered by their ref, to know what an error refused. */
const REMEMBERED = 64;

export class Watches {
  constructor(server, chat, groups) {
    this.server = server;
    this.chat = chat;
    this.groups = groups;
    this.watched = new Set(); // name keys this connection watches
    this.sent = new Map(); // ref -> names of one of the latest watches
    this.lastRef = 0;
    server.on('welcome', () => this.#renew());
    chat.on('started', (name) => this.watch(name));
    // The members of our groups, whose presence the group shows and whose links it opens.
    groups.on('changed', (id) => {
      for (const m of groups.get(id)?.members().values() || []) if (nameKey(m.name) !== nameKey(server.name || '')) this.watch(m.name);
    });
    // Someone we do not hear of offers us a link: it needs their key, which the answer brings.
    server.on('signal', (kind, from) => {
      if (kind === 'offer' && !server.keyOf(from)) this.watch(from);
    });
    server.on('error', (code, message, ref) => this.#refused(code, message, ref));
  }

  /**
   * Watches {@code name} unless it is watched already, first unwatching the conversation with the
   * oldest latest message when the connection watches all it may.
   */
  watch(name) {
    if (!this.#contacts() || this.watched.has(nameKey(name)) || !NAME.test(name)) return;
    if (this.watched.size >= MAX_WATCHED) this.#makeRoom();
    this.#send([name]);
  }

  #contacts() {
    return this.server.presenceMode === 'contacts' && this.server.loggedIn;
  }

  #renew() {
    this.watched.clear();
    this.sent.clear();
    if (!this.#contacts()) return;
    const names = this.chat
      .byRecency()
      .map((c) => c.name)
      .filter((name) => NAME.test(name)) // one malformed name would have a whole message refused
      .concat(this.#groupMembers())
      .slice(0, MAX_WATCHED);
    for (let i = 0; i < names.length; i += MAX_NAMES) this.#send(names.slice(i, i + MAX_NAMES));
  }

  /** The other members of our groups not among our conversations. */
  #groupMembers() {
    const names = new Map();
    for (const group of this.groups.list()) {
      for (const [key, m] of group.members()) {
        if (key !== nameKey(this.server.name || '') && !this.chat.conversations.has(key)) names.set(key, m.name);
      }
    }
    return [...names.values()];
  }

  #send(names) {
    const ref = `watch-${++this.lastRef}`;
    if (!this.server.watch(names, ref)) return;
    for (const name of names) this.watched.add(nameKey(name));
    this.sent.set(ref, names);
    if (this.sent.size > REMEMBERED) this.sent.delete(this.sent.keys().next().value);
  }

  /** Those who signalled us without a conversation go first, then the least recent conversation. */
  #makeRoom() {
    const stranger = [...this.watched].find((key) => !this.chat.conversations.has(key));
    const name = stranger ?? this.chat.byRecency().reverse().find((c) => this.watched.has(c.peer))?.name;
    if (name === undefined) return;
    this.watched.delete(nameKey(name));
    this.server.unwatch([name]);
  }

  /**
   * A watch the server refused (watch_limit, or a name it does not accept) watches nothing: those
   * names stay unknown, shown offline, and are asked for again at the next login.
   */
  #refused(code, message, ref) {
    const names = this.sent.get(ref);
    if (!names) return;
    this.sent.delete(ref);
    for (const name of names) this.watched.delete(nameKey(name));
    const whom = names.length === 1 ? names[0] : `${names.length} people`;
    console.warn(`the server refused to watch ${whom}, shown offline until the next login (${code}: ${message})`);
  }
}
