package dev.parley.client.chat;

import dev.parley.client.group.GroupListener;
import dev.parley.client.link.LinkPath;
import dev.parley.client.link.NoPathException;
import dev.parley.client.profile.Entry;
import dev.parley.client.server.ServerState;
import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.UserName;
import java.util.Optional;

/**
 * What a client reports to its user, its groups' news too ({@link GroupListener}). Calls come one
 * at a time on the client's event loop: an implementation MUST return quickly and MUST NOT wait for
 * the client.
 */
public interface ChatListener extends GroupListener {

  /** The client went online, lost the server (links keep working), or closed. */
  default void stateChanged(ServerState state) {}

  /**
   * {@code peer} came online, or came back with another key than before. A peer back with the same
   * key within the presence grace is not reported: as far as the user is told, they never left.
   */
  default void joined(UserName peer) {}

  /**
   * {@code peer} went offline and did not come back within the presence grace (5 s by default,
   * {@link dev.parley.client.ParleyClient.Builder#presenceGrace}), counted while we are connected
   * to the server: a reconnect, theirs or ours, is not a change of presence.
   */
  default void left(UserName peer) {}

  /** A new message, or a new file whose hash checked out, from a peer; stored before this call. */
  default void received(Entry entry) {}

  /**
   * Whether {@link #received} shows each entry to a person (prints it, puts it on a screen) before
   * it returns. If so, the client remembers in the profile which entries were shown, and at start,
   * before anything else, hands {@code received} those that were stored but never shown, oldest
   * first: a process killed between storing a message and showing it loses nothing as its user sees
   * it (one killed after showing but before marking shows it again, once). By default false: what
   * arrives while such a listener runs is left for the next one that shows.
   */
  default boolean showsReceived() {
    return false;
  }

  /** One of our entries was stored or changed state (queued, sent, delivered, failed). */
  default void updated(Entry entry) {}

  /** {@code peer} started or stopped typing to us. */
  default void typing(UserName peer, boolean active) {}

  /** Bytes of file {@code id} sent or received so far, out of {@code total}. */
  default void progress(UserName peer, String id, boolean outgoing, long done, long total) {}

  /**
   * The server presents a key for {@code peer} other than the one pinned: links to them are refused
   * until the user accepts the new key.
   */
  default void keyChanged(UserName peer, IdentityKey pinned, IdentityKey presented) {}

  /**
   * A direct link to {@code peer} opened; {@code path} says how it goes (direct, through NAT,
   * relayed), if WebRTC told.
   */
  default void linkOpened(UserName peer, Optional<LinkPath> path) {}

  /**
   * The open link to {@code peer} now goes by another kind of {@code path} than {@link #linkOpened}
   * said: it opened before WebRTC had named the peer's end (reading "through NAT" for a peer on the
   * same network), or ICE moved to another pair.
   */
  default void linkPathChanged(UserName peer, LinkPath path) {}

  /** The direct link to {@code peer} closed. */
  default void linkClosed(UserName peer) {}

  /**
   * No link to {@code peer} could be made: ICE found no path between the two networks, and no relay
   * carried one. What was to be sent stays queued, and the link is tried again later (from 15 s,
   * backing off to 5 minutes). {@code why}'s message is the sentence to show.
   */
  default void noPath(UserName peer, NoPathException why) {}

  /** Something about {@code peer} the user should know: a refused link, a failed transfer. */
  default void problem(UserName peer, String message) {}
}
