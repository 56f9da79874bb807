package dev.parley.server.connection;

/**
 * What a transport delivers one connection's frames to: the native protocol's {@link Session}, or
 * another protocol spoken on the same port. Every method is called on the connection's own thread.
 */
public interface Endpoint {
  /** A text frame, as the UTF-8 bytes the client sent (the transport checked they are UTF-8). */
  void onText(byte[] utf8);

  void onBinary();

  /** The client sent a frame over the size limit; the transport cannot read on after it. */
  void onFrameTooLarge();

  /** The connection is closed, by either side. */
  void onClosed();
}
