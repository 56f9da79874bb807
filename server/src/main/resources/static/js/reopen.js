// When to try a link to a peer again after one failed (docs/p2p.md, "Links over time"): the one
// place for that rule. The Java client waits the same (Messenger.reopenWait).

const FIRST_WAIT_MS = 1000;
const MAX_WAIT_MS = 60 * 1000;
const NO_PATH_FIRST_WAIT_MS = 15 * 1000;
const NO_PATH_MAX_WAIT_MS = 5 * 60 * 1000;

/**
 * How long to wait before opening a link again after {@code failures} failures in a row: from 1 s,
 * doubling, to a minute; after ICE found no path at all, which a retry seldom changes, from 15 s
 * to 5 minutes.
 */
export function reopenWait(failures, noPath) {
  const doublings = Math.min(Math.max(failures - 1, 0), 10);
  const first = noPath ? NO_PATH_FIRST_WAIT_MS : FIRST_WAIT_MS;
  return Math.min(first * 2 ** doublings, noPath ? NO_PATH_MAX_WAIT_MS : MAX_WAIT_MS);
}

/** The failures in a row per peer, and when the next link to each may be opened. */
export class Reopening {
  #failures = new Map(); // nameKey -> count
  #notBefore = new Map(); // nameKey -> Date.now() from which a link may be opened

  /** A link to {@code peer} failed (or closed with something still to send). */
  failed(peer, noPath, now = Date.now()) {
    const n = (this.#failures.get(peer) || 0) + 1;
    this.#failures.set(peer, n);
    this.#notBefore.set(peer, now + reopenWait(n, noPath));
  }

  /** The peer came online again, or a link to them opened: the next try need not wait. */
  reset(peer) {
    this.#failures.delete(peer);
    this.#notBefore.delete(peer);
  }

  /** Whether a link to {@code peer} may be opened now. */
  allows(peer, now = Date.now()) {
    const at = this.#notBefore.get(peer);
    return at === undefined || now >= at;
  }

  /** The peers whose wait after a failure is over: it is time to try them again. */
  due(now = Date.now()) {
    return [...this.#notBefore].filter(([, at]) => now >= at).map(([peer]) => peer);
  }
}
