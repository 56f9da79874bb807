package dev.parley.server.presence;

import dev.parley.protocol.UserName;
import java.util.concurrent.CompletionStage;

/**
 * Who is online, across every node of a deployment, and the routing of frames to them.
 *
 * <p>Contract for implementations:
 *
 * <ul>
 *   <li>At most one member per name is online at a time, deployment-wide. {@link #join} of a name
 *       that is online elsewhere MUST call {@link Member#replaced()} on the earlier member and MUST
 *       NOT announce a leave or a second join for that name.
 *   <li>Every member MUST eventually receive, as presence frames through {@link Member#send}, each
 *       join and leave that happens after its own join, coalesced into batches; a batch MAY also
 *       repeat a change the member already saw in its snapshot, and MAY name the member itself.
 *   <li>{@link #leave} of a member that is no longer the online session of its name (because it was
 *       replaced) MUST do nothing.
 *   <li>All methods MUST be safe to call from any thread and MUST NOT block on I/O.
 * </ul>
 */
public interface Presence extends AutoCloseable {

  /**
   * Puts {@code member} online and completes with everyone else online, as the JSON array a welcome
   * carries ({@link dev.parley.protocol.ServerCodec#encodeOnline}): a snapshot at the moment of the
   * join or shortly before it, every change after which reaches the member in presence frames.
   * Implementations MAY hand the same array to many members, who MUST NOT modify it. Presence
   * frames for the member may be sent before the stage completes; the member buffers them.
   */
  CompletionStage<byte[]> join(Member member);

  /** Takes {@code member} offline, announcing that its name left unless it was replaced. */
  void leave(Member member);

  /**
   * Sends {@code frame} to the online member named {@code to}, on whichever node it is; completes
   * with {@code false} if no such member is online.
   */
  CompletionStage<Boolean> deliver(UserName to, byte[] frame);

  /** How many members are online on this node. */
  int localCount();

  /** Stops batching and forwarding; members are not told. */
  @Override
  void close();
}
