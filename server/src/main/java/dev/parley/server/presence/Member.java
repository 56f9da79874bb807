package dev.parley.server.presence;

import dev.parley.protocol.OnlineUser;

/** A logged-in session as the presence sees it: who it is and how to reach it. */
public interface Member {
  OnlineUser user();

  /**
   * Sends an encoded server message to this member. MUST NOT block, MAY be called from any thread,
   * and keeps the order of calls made from one thread.
   */
  void send(byte[] frame);

  /**
   * Sends a frame as {@link #send(byte[])} does, in the same order, knowing that the same array
   * goes to many members at once and never changes, so that its transport may encode it once.
   */
  default void sendShared(byte[] frame) {
    send(frame);
  }

  /** A newer login of the same name took over: tell this member why and close it. */
  void replaced();
}
