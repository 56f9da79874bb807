// Who is typing, both ways (docs/p2p.md, "Typing"): ours is told at most every 3 s while the user
// keeps typing; theirs is shown until they stop, send, the link closes, or 6 s pass without a
// refresh. The Java client keeps the same rules (Typing).

const TYPING_EVERY_MS = 3000;
const TYPING_SHOWN_MS = 6000;

export class Typing {
  #sent = new Map(); // peer key -> time we last said we were typing
  #shown = new Set(); // peer keys shown typing
  #timers = new Map(); // peer key -> the timer that stops showing them

  /** {@code changed(peer, active)} is told when a peer starts or stops being shown typing. */
  constructor(changed) {
    this.changed = changed;
  }

  /** Whether {@code peer} is shown typing. */
  has(peer) {
    return this.#shown.has(peer);
  }

  /** Everyone shown typing. */
  shown() {
    return [...this.#shown];
  }

  /** Whether to tell {@code peer} that the user types: not if they were told in the last 3 s. */
  due(peer) {
    return Date.now() - (this.#sent.get(peer) || 0) >= TYPING_EVERY_MS;
  }

  /** {@code peer} was told that the user types. */
  told(peer) {
    this.#sent.set(peer, Date.now());
  }

  /**
   * The user sent or cleared the text: whether {@code peer} was told that they type, and so must
   * hear that they stopped.
   */
  stopped(peer) {
    return this.#sent.delete(peer);
  }

  /** {@code peer} says they type ({@code active}) or stopped; their message or a closed link stops it too. */
  seen(peer, active) {
    clearTimeout(this.#timers.get(peer));
    if (active) {
      this.#timers.set(peer, setTimeout(() => this.seen(peer, false), TYPING_SHOWN_MS));
    }
    if (active !== this.#shown.has(peer)) {
      if (active) this.#shown.add(peer);
      else this.#shown.delete(peer);
      this.changed(peer, active);
    }
  }
}
