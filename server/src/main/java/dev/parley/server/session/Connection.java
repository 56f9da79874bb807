package dev.parley.server.session;

/** A client's transport connection, as the session logic needs it. All methods are thread-safe. */
public interface Connection {

  /** Sends one encoded text frame; never blocks. Calls from one thread keep their order. */
  void send(byte[] frame);

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
}
