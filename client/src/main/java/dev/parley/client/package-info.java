/**
 * The Parley client library: {@link dev.parley.client.ParleyClient} logs in to a server, follows
 * presence, and opens verified peer-to-peer links on demand. Its parts live in one package per
 * feature: {@code server} (the native protocol), {@code link} (WebRTC links), {@code trust} (pinned
 * identity keys).
 */
@NullMarked
package dev.parley.client;

import org.jspecify.annotations.NullMarked;
