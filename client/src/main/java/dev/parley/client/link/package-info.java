/**
 * Direct peer-to-peer links. {@link dev.parley.client.link.PeerLinks} is the port (its contract, as
 * MUST rules, is in its Javadoc), with two implementations: {@link
 * dev.parley.client.link.WebRtcLinks}, webrtc-java data channels whose offer, answer and ICE
 * candidates go through the server, each side signing its own DTLS fingerprint for the other to
 * check against the key pinned for that name (docs/p2p.md); and {@link
 * dev.parley.client.link.MemoryLinks}, clients in one JVM on a {@link
 * dev.parley.client.link.MemoryNetwork}, for tests and simulations. Which link each peer has is
 * known in one place, the transport's table. Everything here runs on the client's event loop
 * (docs/client.md, "Threads"); WebRTC's callbacks only post to it.
 */
@NullMarked
package dev.parley.client.link;

import org.jspecify.annotations.NullMarked;
