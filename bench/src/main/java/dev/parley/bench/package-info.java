/**
 * The benchmark command: Parley and its anchors (the stock PeerServer, the original Socket.IO
 * design) measured back to back in one run, one table with the ratios.
 */
@NullMarked
package dev.parley.bench;

import org.jspecify.annotations.NullMarked;
