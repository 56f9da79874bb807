package dev.parley.client.link;

import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.UserName;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * A direct link to one peer, verified against the identity key we trust for them: control messages
 * cross it as JSON text, file data as binary chunks (docs/p2p.md). Made by a {@link PeerLinks},
 * whose contract it follows; every method is safe from any thread.
 */
public interface PeerLink {
  /** The largest message a link carries: the SCTP max-message-size libwebrtc advertises. */
  int MAX_MESSAGE_BYTES = 256 * 1024;

  /** Above this many buffered bytes a file sender should wait for {@link LinkListener#drained}. */
  long HIGH_WATER = 1024 * 1024;

  /** {@link LinkListener#drained} comes when the buffered bytes fall to this. */
  long LOW_WATER = 256 * 1024;

  UserName peer();

  /** The identity key the peer proved it holds, checked against the one we trust for it. */
  IdentityKey peerKey();

  /** The link's id, chosen by the side that offered. */
  String id();

  /** Completes when the link is open; fails if it is refused or breaks first. */
  CompletableFuture<PeerLink> opened();

  /** Completes when the link is over, whether it opened or not. */
  CompletableFuture<Void> closed();

  /**
   * How this link reached its peer when it opened (direct, through NAT, relayed); empty before it
   * opened, or if the transport did not say.
   */
  Optional<LinkPath> path();

  /** Asks again which path the link takes now: ICE may have moved to another pair. */
  CompletableFuture<Optional<LinkPath>> currentPath();

  boolean isOpen();

  /**
   * Sends a control message: now, or, to a peer that reads batches and while messages sent just
   * before are being gathered, with them in one data channel message very soon (docs/p2p.md, "Hello
   * and batches"); in the order sent either way, chunks included. Delivery is the caller's
   * business: links do not acknowledge or retry (docs/p2p.md, "Delivery"), and a message gathered
   * when the link closes is dropped like one the link was carrying.
   *
   * @throws LinkException if the link is not open
   * @throws IllegalArgumentException if the encoded message exceeds {@link #MAX_MESSAGE_BYTES}
   */
  void send(ChannelMessage message);

  /**
   * Sends {@code message} if the link is open; {@code false} if it is not (it closed meanwhile, and
   * its event is on its way).
   */
  default boolean trySend(ChannelMessage message) {
    try {
      send(message);
      return true;
    } catch (LinkException e) {
      return false;
    }
  }

  /**
   * Sends {@code length} bytes of file {@code file} from {@code data}. Returns whether the caller
   * may send more now; if not, it waits for {@link LinkListener#drained} before the next chunk.
   *
   * @throws LinkException if the link is not open
   */
  boolean sendChunk(UUID file, byte[] data, int offset, int length);

  /** Bytes written to the link and not yet handed on. */
  long bufferedAmount();

  /** When the link last sent or received anything, on its event loop's clock. */
  long lastActivity();

  /** Hangs up because the link carried nothing for a while; the next message opens a new one. */
  void closeIdle();

  /** Hangs up, and tells the peer. */
  void close();
}
