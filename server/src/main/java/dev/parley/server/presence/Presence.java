package dev.parley.server.presence;

import dev.parley.protocol.PresenceMode;
import dev.parley.protocol.UserName;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Who is online, across every node of a deployment, and the routing of frames to them. It runs in
 * one {@link PresenceMode}: in {@code EVERYONE} each member hears of every join and leave; in
 * {@code CONTACTS} each member hears only of the names it watches.
 *
 * <p>Contract for implementations:
 *
 * <ul>
 *   <li>At most one member per name is online at a time, deployment-wide. {@link #join} of a name
 *       that is online elsewhere MUST call {@link Member#replaced()} on the earlier member and MUST
 *       NOT announce a leave or a second join for that name.
 *   <li>In everyone mode, every member MUST eventually receive, as presence frames through {@link
 *       Member#send}, each join and leave that happens after its own join, coalesced into batches;
 *       a batch MAY also repeat a change the member already saw in its snapshot, and MAY name the
 *       member itself.
 *   <li>In contacts mode, a member MUST receive the joins and leaves of the names it watches, from
 *       the answer to its {@link #watch} until it unwatches them or leaves, coalesced into batches
 *       as in everyone mode, and MUST NOT receive those of names it does not watch (a batch sent
 *       before an unwatch MAY still arrive after it). Sending a batch MUST cost in proportion to
 *       the watchers of the names that changed, not to the number online.
 *   <li>{@link #leave} of a member that is no longer the online session of its name (because it was
 *       replaced) MUST NOT announce anything; any leave MUST drop the member's watches.
 *   <li>All methods MUST be safe to call from any thread and MUST NOT block on I/O.
 * </ul>
 */
public interface Presence extends AutoCloseable {

  /** The mode this presence runs in, which every welcome states. */
  PresenceMode mode();

  /**
   * Puts {@code member} online and completes with everyone else online, as the JSON array a welcome
   * carries ({@link dev.parley.protocol.ServerCodec#encodeOnline}): a snapshot at the moment of the
   * join or shortly before it, every change after which reaches the member in presence frames. In
   * contacts mode the array is empty. Implementations MAY hand the same array to many members, who
   * MUST NOT modify it. Presence frames for the member may be sent before the stage completes; the
   * member buffers them.
   */
  CompletionStage<byte[]> join(Member member);

  /** Takes {@code member} offline, announcing that its name left unless it was replaced. */
  void leave(Member member);

  /**
   * Contacts mode: adds {@code names} to those {@code member} watches, and answers with a presence
   * frame through {@link Member#send} that lists each of {@code names} once: in {@code joined},
   * with its key, if it is online, else in {@code left}, spelled as given. {@code left} MUST NOT
   * tell a registered name from one nobody registered. Every change of those names after the state
   * the answer tells MUST reach the member after the answer. A frame of an older change MAY still
   * arrive after the answer (it was on its way), but the last frame about a name MUST tell its
   * state, as the answer or a later batch. Names the member watches already stay watched and are
   * answered again. An empty set changes nothing and is not answered. In everyone mode this does
   * nothing.
   *
   * @return completes once the answer is sent
   * @throws WatchLimitException if the member would watch more than {@link
   *     dev.parley.protocol.ClientMessage.Watch#MAX_WATCHED} names; then nothing is applied
   */
  CompletionStage<Void> watch(Member member, Set<UserName> names);

  /**
   * Contacts mode: stops telling {@code member} about {@code names}; names it does not watch are
   * ignored. Nothing is answered. In everyone mode this does nothing.
   */
  void unwatch(Member member, Set<UserName> names);

  /**
   * Sends {@code frame} to the online member named {@code to}, on whichever node it is; completes
   * with {@code false} if no such member is online.
   */
  CompletionStage<Boolean> deliver(UserName to, byte[] frame);

  /**
   * This node is stopping and its members are about to be closed: in a deployment of several nodes,
   * their leaves wait (a few seconds at most, until {@link #close}), so that a member who
   * reconnects to another node meanwhile is never seen leaving. One node alone has nobody to hand
   * over to.
   */
  default void handOff() {}

  /** How many members are online on this node. */
  int localCount();

  /** How many are online in the whole deployment, as this node knows; {@link #localCount} alone. */
  default int onlineCount() {
    return localCount();
  }

  /** How this node sees the other nodes, for {@code /health}; empty for one node alone. */
  default Map<String, Object> clusterStatus() {
    return Map.of();
  }

  /** Stops batching and forwarding; members are not told. */
  @Override
  void close();
}
