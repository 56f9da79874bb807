/**
 * Direct peer-to-peer links over WebRTC data channels (webrtc-java): the offer, answer and ICE
 * candidates go through the server; each side signs its own DTLS fingerprint, and the other checks
 * it against the key pinned for that name before it connects. The conventions are in docs/p2p.md.
 */
@NullMarked
package dev.parley.client.link;

import org.jspecify.annotations.NullMarked;
