package dev.parley.server.connection;

import dev.parley.protocol.ServerCodec;

/** A client's transport connection, as the session logic needs it. All methods are thread-safe. */
public interface Connection {

  /** Sends one encoded text frame; never blocks. Calls from one thread keep their order. */
  void send(byte[] frame);

  /**
   * Sends {@code frame} as {@link #send(byte[])} does, knowing that the same array goes to many
   * connections at once and never changes: a transport may encode it once for all of them.
   */
  default void sendShared(byte[] frame) {
    send(frame);
  }

  /**
   * Sends a welcome: {@code parts} around {@code online}, as one text frame. {@code online} is the
   * same array in every welcome of a burst of logins and never changes, so a transport may keep one
   * copy of it for all of them instead of one per welcome; this default joins the parts.
   */
  default void send(ServerCodec.WelcomeParts parts, byte[] online) {
    send(parts.around(online));
  }

  /** Closes after the frames sent so far, with a WebSocket close code and reason. */
  void close(int code, String reason);

  /**
   * Runs {@code task} on this connection's own thread, after the tasks and frames already queued.
   */
  void execute(Runnable task);

  /** Whether the connection can still carry frames. */
  boolean isOpen();

  /** The client's IP address, for logs and limits. */
  String remoteAddress();

  /**
   * The host the client named to reach the server (its request's {@code Host}, without the port; an
   * IPv6 address in brackets), or the server's own address the connection arrived at when the
   * request named none. URLs the client gets for this server, such as its STUN server's, use it: a
   * name that worked for the client is the best guess of one that works again.
   */
  String requestHost();
}
