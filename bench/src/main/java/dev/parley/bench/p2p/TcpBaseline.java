package dev.parley.bench.p2p;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;

/**
 * The same three measurements over a plain TCP socket on loopback, as the floor a link is compared
 * with: round trip of a small message, small messages per second, bulk throughput.
 */
final class TcpBaseline implements AutoCloseable {
  private final ServerSocket listener;
  private final Socket client;
  private final Socket server;

  TcpBaseline() throws IOException {
    listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    client = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
    server = listener.accept();
    client.setTcpNoDelay(true);
    server.setTcpNoDelay(true);
  }

  /** Median and p99 round trip, microseconds, of {@code rounds} echoes of {@code size} bytes. */
  double[] roundTrips(int rounds, int size) throws Exception {
    Thread echo =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    DataInputStream in = new DataInputStream(server.getInputStream());
                    OutputStream out = server.getOutputStream();
                    byte[] buffer = new byte[size];
                    for (int i = 0; i < rounds; i++) {
                      in.readFully(buffer);
                      out.write(buffer);
                    }
                  } catch (IOException e) {
                    throw new IllegalStateException(e);
                  }
                });
    DataInputStream in = new DataInputStream(client.getInputStream());
    OutputStream out = client.getOutputStream();
    byte[] message = new byte[size];
    long[] micros = new long[rounds];
    for (int i = 0; i < rounds; i++) {
      long start = System.nanoTime();
      out.write(message);
      in.readFully(message);
      micros[i] = (System.nanoTime() - start) / 1000;
    }
    echo.join();
    Arrays.sort(micros);
    return new double[] {micros[rounds / 2], micros[rounds * 99 / 100]};
  }

  /** Messages per second: {@code count} length-prefixed messages of {@code size} bytes, one way. */
  double messagesPerSecond(int count, int size) throws Exception {
    long[] elapsed = new long[1];
    Thread reader =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    DataInputStream in =
                        new DataInputStream(
                            new java.io.BufferedInputStream(server.getInputStream(), 1 << 16));
                    byte[] buffer = new byte[size];
                    for (int i = 0; i < count; i++) {
                      int length = in.readInt();
                      in.readFully(buffer, 0, length);
                    }
                  } catch (IOException e) {
                    throw new IllegalStateException(e);
                  }
                });
    long start = System.nanoTime();
    DataOutputStream out =
        new DataOutputStream(new java.io.BufferedOutputStream(client.getOutputStream(), 1 << 16));
    byte[] message = new byte[size];
    for (int i = 0; i < count; i++) {
      out.writeInt(size);
      out.write(message);
    }
    out.flush();
    reader.join();
    elapsed[0] = System.nanoTime() - start;
    return count / (elapsed[0] / 1e9);
  }

  /** Megabytes (10^6 bytes) per second for {@code bytes} written in 64 KiB writes. */
  double throughput(long bytes) throws Exception {
    Thread reader =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    InputStream in = server.getInputStream();
                    byte[] buffer = new byte[1 << 16];
                    long left = bytes;
                    while (left > 0) {
                      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                      if (n < 0) {
                        throw new IOException("closed early");
                      }
                      left -= n;
                    }
                  } catch (IOException e) {
                    throw new IllegalStateException(e);
                  }
                });
    OutputStream out = client.getOutputStream();
    byte[] chunk = new byte[1 << 16];
    long start = System.nanoTime();
    for (long sent = 0; sent < bytes; sent += chunk.length) {
      out.write(chunk, 0, (int) Math.min(chunk.length, bytes - sent));
    }
    reader.join();
    return bytes / 1e6 / ((System.nanoTime() - start) / 1e9);
  }

  @Override
  public void close() throws IOException {
    client.close();
    server.close();
    listener.close();
  }
}
