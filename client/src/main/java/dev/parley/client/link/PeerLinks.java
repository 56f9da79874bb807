package dev.parley.client.link;

import dev.parley.client.loop.EventLoop;
import dev.parley.client.trust.KeyChangedException;
import dev.parley.client.trust.KeyPins;
import dev.parley.protocol.UserName;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A client's direct links to its peers, at most one per peer, opened on demand: {@link #open}
 * offers one, and the peers' offers are answered. The key a peer must prove it holds is the one the
 * server presents for it, which must match the key pinned for that name ({@link KeyPins}).
 *
 * <p>Two implementations: {@link WebRtcLinks}, webrtc-java data channels negotiated through the
 * server (docs/p2p.md), and {@link MemoryLinks}, clients in one JVM joined by a {@link
 * MemoryNetwork}, for tests and simulations. Each is given the client's {@link EventLoop} and a
 * {@link LinkListener}.
 *
 * <p>Contract. An implementation:
 *
 * <ol>
 *   <li><b>Threads.</b> MUST change its state on the client's loop only, and MUST make every
 *       listener call there, each from a task of its own: never from inside a call into it or into
 *       one of its links. {@link #open} and {@link #close} are safe from any thread; {@link #link}
 *       and {@link #links} MUST be called on the loop.
 *   <li><b>One owner.</b> MUST be the one place that knows which link each peer has: {@link #link}
 *       is the peer's current link, open or still opening. A newer link to the same peer (the
 *       peer's new offer, the winning offer of glare) replaces it.
 *   <li><b>Trust.</b> MUST check the key the server presents for a peer with {@link KeyPins#trust}
 *       before it offers or answers a link: a different pinned key refuses the link with a {@link
 *       KeyChangedException}. MUST NOT open a link to a peer that has not proved it holds the key
 *       trusted for it; such a link is refused with a {@link FingerprintMismatchException}.
 *   <li><b>Events of a link.</b> {@link LinkListener#opened} comes at most once, before any
 *       message, chunk or drained event of that link. A link that opened MUST be reported {@link
 *       LinkListener#closed} exactly once: when either side hangs up, when it breaks, or when a
 *       newer link replaces it. A link that ends before it opened MUST be reported {@link
 *       LinkListener#refused} exactly once, with the reason; except one that gives way to the
 *       peer's offer in glare, whose {@link #open} callers get the link that replaces it. Nothing
 *       is reported for a link after its closed or refused event.
 *   <li><b>Opening.</b> {@link #open} MUST answer the peer's current link if there is one, else
 *       offer a new one. Its future completes with the link once it opened (after the opened
 *       event), or fails with the reason the refused event carries. A link refused before it exists
 *       (the key changed) is reported with {@link LinkListener#refused} too. If the server does not
 *       present the peer as online, {@link #open} MUST fail at once with a {@link LinkException}
 *       and report nothing: nothing was tried.
 *   <li><b>No path.</b> A link that fails because no way between the two networks works MUST be
 *       refused with a {@link NoPathException}, on both sides.
 *   <li><b>Carrying.</b> Messages and chunks sent on an open link MUST arrive in the order they
 *       were sent, each once, while the link stays open. {@link PeerLink#send} MUST throw a {@link
 *       LinkException} on a link that is not open. {@link PeerLink#sendChunk} MUST return {@code
 *       false} once more than {@link PeerLink#HIGH_WATER} bytes wait to be handed on, and then
 *       report {@link LinkListener#drained} once they fall to {@link PeerLink#LOW_WATER}, unless
 *       the link ends first.
 *   <li><b>Presence.</b> When the server presents another key for a peer, the link to that peer
 *       MUST end: a link belongs to the key it was verified against. When the server reports that a
 *       peer left, a link to them still being opened MUST end; an open one stays as long as it
 *       works (the server itself may be what went away).
 *   <li><b>Closing.</b> {@link #close} MUST hang up every link, telling each peer, and report
 *       nothing more.
 * </ol>
 */
public interface PeerLinks extends AutoCloseable {

  /** The link to {@code peer}: the open one, the one being opened, or a new one we offer. */
  CompletableFuture<PeerLink> open(UserName peer);

  /** The current link to {@code peer}, open or being opened. On the loop only. */
  Optional<PeerLink> link(UserName peer);

  /** Every current link. On the loop only. */
  List<PeerLink> links();

  /** Hangs up every link; the loop is the caller's to stop. */
  @Override
  void close();
}
