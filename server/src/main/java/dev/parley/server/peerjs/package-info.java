/**
 * The PeerServer protocol of PeerJS on the same port as the native one, so that unmodified PeerJS
 * apps can use Parley as their broker. See docs/peerjs.md for the differences from the stock
 * server.
 */
@NullMarked
package dev.parley.server.peerjs;

import org.jspecify.annotations.NullMarked;
