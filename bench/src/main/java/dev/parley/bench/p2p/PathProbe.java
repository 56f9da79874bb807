package dev.parley.bench.p2p;

import dev.parley.client.link.ChannelMessage;
import dev.parley.client.link.LinkPath;
import dev.parley.client.link.PeerLink;
import dev.parley.protocol.UserName;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One end of {@link PathBench}, run inside a host of the network lab (the bench itself cannot reach
 * into the lab): a Parley client that echoes, one that measures, or a TCP echo server and client
 * for the baseline. A measuring end prints one {@code RESULT} line.
 */
public final class PathProbe {
  private static final long TIMEOUT_S = 60;
  private static final int SMALL = 100;
  private static final java.time.Duration PAUSE = java.time.Duration.ofSeconds(2);

  private PathProbe() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "echo" -> echo(URI.create(args[1]), new UserName(args[2]));
      case "measure" ->
          measure(
              URI.create(args[1]),
              new UserName(args[2]),
              new UserName(args[3]),
              Integer.parseInt(args[4]),
              Integer.parseInt(args[5]),
              Integer.parseInt(args[6]));
      case "tcp-echo" -> tcpEcho(Integer.parseInt(args[1]));
      case "tcp" ->
          tcp(
              args[1],
              Integer.parseInt(args[2]),
              Integer.parseInt(args[3]),
              Integer.parseInt(args[4]));
      default -> throw new IllegalArgumentException("unknown role " + args[0]);
    }
    System.out.flush();
    System.exit(0);
  }

  /** Logs in as {@code name} and acknowledges every message, until killed. */
  private static void echo(URI server, UserName name) throws InterruptedException {
    LinkSide side = new LinkSide(server, name, true);
    try {
      System.out.println("READY");
      Thread.currentThread().join();
    } finally {
      side.close();
    }
  }

  /**
   * Opens a link to {@code peer} {@code opens} times (offer to open data channel), then times
   * {@code rounds} round trips of a small message on one link, then keeps it {@code hold} seconds.
   */
  private static void measure(
      URI server, UserName name, UserName peer, int opens, int rounds, int hold) throws Exception {
    try (LinkSide side = new LinkSide(server, name, false)) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
      while (!side.server.online().contains(peer)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(peer + " never came online");
        }
        LockSupport.parkNanos(10_000_000);
      }
      long[] openMicros = new long[opens];
      PeerLink link = null;
      for (int i = 0; i < opens; i++) {
        long start = System.nanoTime();
        link = side.links.open(peer).get(TIMEOUT_S, TimeUnit.SECONDS);
        openMicros[i] = (System.nanoTime() - start) / 1000;
        if (i < opens - 1) {
          link.close();
          link.closed().get(TIMEOUT_S, TimeUnit.SECONDS);
          // Each open starts afresh, as a person's next conversation would: coturn frees a released
          // allocation only later, and a TURN/TCP connection that the NATs give the same 5-tuple
          // as one just released is taken for that stale one and dropped (seen with coturn 4.6.1).
          Thread.sleep(PAUSE.toMillis());
        }
      }
      String text = "x".repeat(SMALL);
      long[] rtt = new long[rounds];
      for (int i = 0; i < rounds; i++) {
        String id = "r" + i;
        CompletableFuture<Void> acked = side.expectAck(id);
        long start = System.nanoTime();
        link.send(new ChannelMessage.Chat(id, 0, text));
        acked.get(TIMEOUT_S, TimeUnit.SECONDS);
        rtt[i] = (System.nanoTime() - start) / 1000;
      }
      // Then the link is held, a message a second, to show it lasts: a relay that drops the
      // allocation under it (see docs/operations.md, denied-peer-ip) breaks it within seconds.
      for (int i = 0; i < hold; i++) {
        CompletableFuture<Void> acked = side.expectAck("h" + i);
        link.send(new ChannelMessage.Chat("h" + i, 0, text));
        acked.get(TIMEOUT_S, TimeUnit.SECONDS);
        Thread.sleep(1000);
      }
      long[] open = P2pBench.percentiles(openMicros);
      long[] round = P2pBench.percentiles(rtt);
      String kind = link.path().map(LinkPath::describe).orElse("unknown");
      System.out.printf(
          Locale.ROOT,
          "RESULT %d %d %d %d %s%n",
          open[0],
          open[1],
          round[0],
          round[1],
          kind.replace(' ', '_'));
    }
  }

  /** Echoes every connection's bytes back, until killed. */
  private static void tcpEcho(int port) throws IOException {
    try (ServerSocket listener = new ServerSocket()) {
      listener.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), port));
      System.out.println("READY");
      while (true) {
        Socket socket = listener.accept();
        Thread.ofVirtual()
            .start(
                () -> {
                  try (socket) {
                    socket.getInputStream().transferTo(socket.getOutputStream());
                  } catch (IOException e) {
                    // the client went away
                  }
                });
      }
    }
  }

  /** Times {@code opens} TCP connects to {@code host:port}, then {@code rounds} round trips. */
  private static void tcp(String host, int port, int opens, int rounds) throws IOException {
    InetSocketAddress target = new InetSocketAddress(InetAddress.getByName(host), port);
    long[] connect = new long[opens];
    for (int i = 0; i < opens; i++) {
      long start = System.nanoTime();
      try (Socket socket = new Socket()) {
        socket.connect(target, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_S));
        connect[i] = (System.nanoTime() - start) / 1000;
      }
    }
    long[] rtt = new long[rounds];
    try (Socket socket = new Socket()) {
      socket.connect(target);
      socket.setTcpNoDelay(true);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      byte[] message = new byte[SMALL];
      for (int i = 0; i < rounds; i++) {
        long start = System.nanoTime();
        out.write(message);
        new DataInputStream(in).readFully(message);
        rtt[i] = (System.nanoTime() - start) / 1000;
      }
    }
    long[] c = P2pBench.percentiles(connect);
    long[] r = P2pBench.percentiles(rtt);
    System.out.printf(Locale.ROOT, "RESULT %d %d %d %d tcp%n", c[0], c[1], r[0], r[1]);
  }
}
