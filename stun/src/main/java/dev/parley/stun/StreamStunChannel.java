package dev.parley.stun;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

/**
 * Transactions over TCP or TLS: messages back to back on the stream, each framed by its own header
 * (RFC 8489 §6.2.2), with no retransmission since the stream is reliable. A message that breaks the
 * format leaves no way to find the next one, so it fails the channel.
 */
final class StreamStunChannel implements StunChannel {
  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  /** A channel on a connected socket (TLS already handshaken), which it closes when closed. */
  StreamStunChannel(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  @Override
  public Received exchange(StunMessage request, Predicate<Received> accept, Instant deadline)
      throws IOException {
    out.write(request.encode());
    out.flush();
    while (true) {
      long wait = Duration.between(Instant.now(), deadline).toMillis();
      if (wait <= 0) {
        throw new StunTimeoutException("no STUN response from " + socket.getRemoteSocketAddress());
      }
      socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, wait));
      byte[] bytes;
      try {
        bytes = readMessage();
      } catch (SocketTimeoutException e) {
        throw new StunTimeoutException(
            "no STUN response from " + socket.getRemoteSocketAddress() + " in time");
      }
      StunMessage message;
      try {
        message = StunMessage.decode(bytes);
      } catch (StunFormatException e) {
        throw new IOException("the server sent a malformed STUN message: " + e.getMessage(), e);
      }
      Received received = new Received(message, bytes);
      if (StunChannel.answers(request, message) && accept.test(received)) {
        return received;
      }
    }
  }

  /** One whole message: the header, whose length field says how much follows. */
  private byte[] readMessage() throws IOException {
    byte[] header = new byte[StunMessage.HEADER_LENGTH];
    in.readFully(header);
    int length = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
    if (StunMessage.HEADER_LENGTH + length > StunMessage.MAX_LENGTH || (header[0] & 0xC0) != 0) {
      throw new IOException("the server sent something that is not a STUN message");
    }
    byte[] message = new byte[StunMessage.HEADER_LENGTH + length];
    System.arraycopy(header, 0, message, 0, header.length);
    in.readFully(message, header.length, length);
    return message;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
