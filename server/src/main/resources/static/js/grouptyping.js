// Typing in a group (docs/p2p.md, "Typing in a group"): the rules of one-to-one typing (typing.js),
// per group. Ours goes on the open links to the group's other members, at most every 3 s while the
// user types, and stops when they send or clear the text; it never opens a link. Theirs is shown
// while both we and they are members, until they stop, an entry of theirs in that group, the link
// closing, or 6 s without a refresh.

import { nameKey } from './bytes.js';
import { Typing } from './typing.js';

export class GroupTyping {
  /**
   * {@code group(id)} gives a group we hold, {@code send(peer, message)} a control message on the
   * open link to {@code peer} (false if none), {@code changed(id)} is told when who types in group
   * {@code id} changes.
   */
  constructor(me, { group, send, changed }) {
    this.me = me;
    this.group = group;
    this.send = send;
    // Ours is kept by group id, theirs by `${group id}|${peer key}`.
    this.typing = new Typing((key) => changed(key.split('|')[0]));
  }

  /** The members shown typing in group {@code id}, as name keys. */
  typists(id) {
    const members = this.group(id)?.members();
    if (!members?.has(this.me)) return [];
    return this.typing.shown()
      .filter((key) => key.startsWith(`${id}|`))
      .map((key) => key.slice(id.length + 1))
      .filter((peer) => members.has(peer));
  }

  /** The user typed in group {@code id}. */
  typed(id) {
    if (this.typing.due(id) && this.#tell(id, true)) this.typing.told(id);
  }

  /** The user sent or cleared the text in group {@code id}. */
  stopped(id) {
    if (this.typing.stopped(id)) this.#tell(id, false);
  }

  /** A {@code group-typing} from {@code peerName}. */
  seen(peerName, { group: id, active }) {
    if (typeof id !== 'string' || typeof active !== 'boolean') return;
    const peer = nameKey(peerName);
    const members = this.group(id)?.members();
    if (active && !(members?.has(this.me) && members.has(peer))) return;
    this.typing.seen(`${id}|${peer}`, active);
  }

  /** An entry of {@code author} (a name key) arrived in group {@code id}: they no longer type. */
  wrote(id, author) {
    this.typing.seen(`${id}|${author}`, false);
  }

  /** The link to {@code peer} closed: they type nowhere we can see. */
  linkClosed(peer) {
    for (const key of this.typing.shown()) if (key.endsWith(`|${peer}`)) this.typing.seen(key, false);
  }

  /** Tells the other members with an open link; whether anyone heard. */
  #tell(id, active) {
    const members = this.group(id)?.members();
    if (!members?.has(this.me)) return false;
    let heard = false;
    for (const peer of members.keys()) {
      if (peer !== this.me && this.send(peer, { type: 'group-typing', group: id, active })) heard = true;
    }
    return heard;
  }
}
