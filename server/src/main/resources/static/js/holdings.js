// What each peer holds of each group on the open link to it (docs/p2p.md, "Sync"), as the Java
// client's Holdings keeps it: as it told (its group-syncs, and the entries it sent us, which it
// holds with its author's earlier ones), and as we know (that, and what we sent it). Forgotten
// when the link closes: the next link's syncs tell again.

export class Holdings {
  #told = new Map(); // peer key -> Map group id -> {author key: seq}
  #known = new Map(); // the same, with what we sent
  #asked = new Set(); // `${peer}|${group}`: our group-sync went on the open link

  /** {@code peer} holds {@code have} ([author key, seq] pairs) of group {@code id}, by its word. */
  told(peer, id, have) {
    merge(this.#told, peer, id, have);
    merge(this.#known, peer, id, have);
  }

  /** We sent {@code peer} the entry {@code seq} of {@code author}. */
  sent(peer, id, author, seq) {
    merge(this.#known, peer, id, [[author, seq]]);
  }

  /** What {@code peer} holds of {@code id}, as it told ({@code toldOnly}) or as we know; undefined if it never told. */
  of(peer, id, toldOnly = false) {
    return (toldOnly ? this.#told : this.#known).get(peer)?.get(id);
  }

  asked(peer, id) {
    this.#asked.add(`${peer}|${id}`);
  }

  /** Whether our group-sync for {@code id} went to {@code peer} on the open link. */
  wasAsked(peer, id) {
    return this.#asked.has(`${peer}|${id}`);
  }

  forget(peer) {
    this.#told.delete(peer);
    this.#known.delete(peer);
    for (const key of [...this.#asked]) if (key.startsWith(`${peer}|`)) this.#asked.delete(key);
  }
}

function merge(map, peer, id, have) {
  if (!map.has(peer)) map.set(peer, new Map());
  const held = map.get(peer).get(id) || {};
  for (const [author, seq] of have) held[author] = Math.max(held[author] || 0, seq);
  map.get(peer).set(id, held);
}
