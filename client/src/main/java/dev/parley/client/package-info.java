/**
 * The Parley client library: {@link dev.parley.client.ParleyClient} logs in to a server, follows
 * presence, and opens verified peer-to-peer links on demand. Its parts live in one package per
 * feature: {@code server} (the native protocol), {@code link} (peer-to-peer links: WebRTC, or in
 * memory), {@code chat} (conversations), {@code profile} (what is kept on disk), {@code trust}
 * (pinned identity keys), {@code loop} (the event loop). All state of a client belongs to its event
 * loop; whatever happens elsewhere is posted to it (docs/client.md, "Threads").
 */
@NullMarked
package dev.parley.client;

import org.jspecify.annotations.NullMarked;
