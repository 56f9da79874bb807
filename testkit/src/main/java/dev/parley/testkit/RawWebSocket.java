package dev.parley.testkit;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A bare WebSocket client over a plain socket, for what well-behaved clients never do: stay silent
 * (no pongs) or send frames by hand. Blocking; one thread at a time.
 */
public final class RawWebSocket implements AutoCloseable {
  public static final int CONTINUATION = 0x0;
  public static final int TEXT = 0x1;
  public static final int CLOSE = 0x8;
  public static final int PING = 0x9;
  public static final int PONG = 0xA;

  /** One frame as received. */
  @SuppressWarnings("ArrayRecordComponent") // a carrier, never compared or hashed
  public record Frame(int opcode, byte[] payload) {
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final SecureRandom random = new SecureRandom();

  private RawWebSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** Connects and completes the opening handshake on {@code path}. */
  public static RawWebSocket connect(String host, int port, String path) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress(host, port), 5000);
    socket.setSoTimeout((int) TestClient.TIMEOUT.toMillis());
    RawWebSocket ws = new RawWebSocket(socket);
    byte[] key = new byte[16];
    ws.random.nextBytes(key);
    String request =
        "GET "
            + path
            + " HTTP/1.1\r\nHost: "
            + host
            + ":"
            + port
            + "\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: "
            + Base64.getEncoder().encodeToString(key)
            + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    ws.out.write(request.getBytes(StandardCharsets.US_ASCII));
    ws.out.flush();
    String status = ws.readHeaders();
    if (!status.startsWith("HTTP/1.1 101")) {
      socket.close();
      throw new IOException("the WebSocket handshake failed: " + status);
    }
    return ws;
  }

  /** Sends a masked text frame, as a client must. */
  public void sendText(String text) throws IOException {
    sendFrame(TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  public void sendFrame(int opcode, byte[] payload) throws IOException {
    send(0x80 | opcode, payload);
  }

  /** Sends one frame that is not the last of its message (FIN clear), as fragments begin. */
  public void sendUnfinishedFrame(int opcode, byte[] payload) throws IOException {
    send(opcode, payload);
  }

  /**
   * Sends one message in fragments: the first frame with {@code opcode}, the others continuation
   * frames, the FIN bit on the last only.
   */
  public void sendFragmented(int opcode, byte[]... parts) throws IOException {
    for (int i = 0; i < parts.length; i++) {
      send((i == parts.length - 1 ? 0x80 : 0) | (i == 0 ? opcode : 0), parts[i]);
    }
  }

  /** One masked frame whose first byte (FIN, opcode) is {@code first}. */
  private void send(int first, byte[] payload) throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
    frame.write(first);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else if (payload.length < 65536) {
      frame.write(0x80 | 126);
      frame.write(payload.length >>> 8);
      frame.write(payload.length & 0xff);
    } else {
      frame.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame.write((int) (((long) payload.length >>> shift) & 0xff));
      }
    }
    byte[] mask = new byte[4];
    random.nextBytes(mask);
    frame.write(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i % 4]);
    }
    out.write(frame.toByteArray());
    out.flush();
  }

  /** Reads the next frame from the server (which never masks). */
  public Frame readFrame() throws IOException {
    int first = in.readUnsignedByte();
    int second = in.readUnsignedByte();
    long length = second & 0x7f;
    if (length == 126) {
      length = in.readUnsignedShort();
    } else if (length == 127) {
      length = in.readLong();
    }
    byte[] payload = new byte[Math.toIntExact(length)];
    in.readFully(payload);
    return new Frame(first & 0x0f, payload);
  }

  /** Reads frames until one with {@code opcode}, answering nothing on the way. */
  public Frame readUntil(int opcode) throws IOException {
    while (true) {
      Frame frame = readFrame();
      if (frame.opcode() == opcode) {
        return frame;
      }
    }
  }

  /**
   * Whether the server has closed the TCP connection (reads to the end, bounded by the timeout).
   */
  public boolean serverClosed() {
    try {
      while (true) {
        readFrame();
      }
    } catch (IOException e) {
      return true;
    }
  }

  private String readHeaders() throws IOException {
    InputStream raw = in;
    StringBuilder headers = new StringBuilder();
    while (!headers.toString().endsWith("\r\n\r\n")) {
      int b = raw.read();
      if (b < 0) {
        throw new IOException("the server closed during the handshake: " + headers);
      }
      headers.append((char) b);
    }
    return headers.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
