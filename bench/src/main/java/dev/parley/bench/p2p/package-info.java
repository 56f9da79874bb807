/**
 * The peer-to-peer benchmark ({@code scripts/bench-p2p}): what a direct link between two Java
 * clients costs and carries, beside webrtc-java alone ({@code RawChannel}) and a plain TCP socket
 * on loopback in the same run.
 */
@NullMarked
package dev.parley.bench.p2p;

import org.jspecify.annotations.NullMarked;
