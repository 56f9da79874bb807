package dev.parley.bench.p2p;

import dev.parley.client.ParleyClient;
import dev.parley.client.link.ChannelMessage;
import dev.parley.client.link.FileChunk;
import dev.parley.client.link.PeerLink;
import dev.parley.client.link.WebRtcLinks;
import dev.parley.protocol.UserName;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code scripts/bench-p2p}: two Java clients and a Parley server on this machine (loopback only,
 * no STUN or TURN), measured at two levels, beside a plain TCP socket on loopback:
 *
 * <ul>
 *   <li><b>link</b>: the data channel itself ({@link WebRtcLinks} with a listener that answers each
 *       message at once), what the transport costs;
 *   <li><b>client</b>: {@link ParleyClient} as an application uses it, where every message is
 *       stored durably (SQLite, synchronous) on both sides before it is acknowledged.
 * </ul>
 *
 * Every loop is bounded by its count and by a timeout.
 */
@Command(
    name = "bench-p2p",
    mixinStandardHelpOptions = true,
    description = "Measures direct links between two Java clients beside loopback TCP.")
public final class P2pBench implements Callable<Integer> {
  private static final UserName ALICE = new UserName("alice");
  private static final UserName BOB = new UserName("bob");
  // The client level logs in with keys of its own, so under other names.
  private static final UserName ANN = new UserName("ann");
  private static final UserName BEN = new UserName("ben");
  private static final int SMALL = 100;
  private static final long TIMEOUT_S = 120;

  @Option(names = "--quick", description = "Small numbers, for a smoke run.")
  boolean quick;

  @Option(names = "--work", defaultValue = "bench/target/p2p", description = "Scratch directory.")
  Path work;

  @Option(names = "--out", description = "Also write the report to this file.")
  Path out;

  @Option(
      names = "--threads",
      description = "Also print, for each rate measured, the CPU each thread used (Linux).")
  boolean threads;

  @Option(
      names = "--levels",
      split = ",",
      defaultValue = "raw,link,client,tcp",
      description =
          "Which levels to measure (raw: webrtc-java alone), comma-separated; all by default.")
  List<String> levels;

  private final List<String[]> rows = new ArrayList<>();

  public static void main(String[] args) {
    int code = new CommandLine(new P2pBench()).execute(args);
    System.out.flush();
    System.out.close(); // see dev.parley.app.cli.QuietExit
    System.exit(code);
  }

  @Override
  public Integer call() throws Exception {
    int opens = quick ? 3 : 20;
    int rounds = quick ? 200 : 2000;
    int burst = quick ? 2000 : 20_000;
    long bytes = quick ? 8L << 20 : 64L << 20;
    int durableRounds = quick ? 20 : 200;
    int durableBurst = quick ? 200 : 2000;
    Path dir = Files.createDirectories(work.toAbsolutePath()).resolve("run-" + System.nanoTime());
    try (ParleyServer server =
        ParleyServer.start(
            ServerConfig.defaults().withPort(0).withDataDirectory(dir.resolve("server")))) {
      URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/ws");
      if (levels.contains("raw")) {
        rawLevel(burst, bytes);
      }
      if (levels.contains("link")) {
        linkLevel(uri, opens, rounds, burst, bytes);
      }
      if (levels.contains("client")) {
        clientLevel(uri, dir, opens, durableRounds, durableBurst, bytes);
      }
    }
    if (!levels.contains("tcp")) {
      String report = report();
      System.out.print(report);
      return 0;
    }
    try (TcpBaseline tcp = new TcpBaseline()) {
      double[] rtt = tcp.roundTrips(rounds, SMALL);
      rows.add(row("TCP loopback", "round trip, " + SMALL + " B, median / p99", us(rtt)));
      rows.add(
          row(
              "TCP loopback",
              "messages/s, " + SMALL + " B one way",
              num(tcp.messagesPerSecond(burst, SMALL))));
      rows.add(row("TCP loopback", "throughput, " + mib(bytes), mbs(tcp.throughput(bytes))));
    }
    String report = report();
    System.out.print(report);
    if (out != null) {
      Files.writeString(out, report);
    }
    return 0;
  }

  // --- webrtc-java alone

  private void rawLevel(int burst, long bytes) throws Exception {
    String level = "webrtc-java alone";
    try (RawChannel raw = new RawChannel()) {
      ThreadCpu cpu = ThreadCpu.start();
      rows.add(
          row(
              level,
              "messages/s, " + SMALL + " B one way",
              num(raw.messagesPerSecond(burst, SMALL, PeerLink.HIGH_WATER))));
      threads(level + " messages/s", cpu);
      var unused = raw.throughput(bytes / 4, FileChunk.MAX_DATA, 1 << 20, 256 << 10); // warm-up
      cpu = ThreadCpu.start();
      rows.add(
          row(
              level,
              "throughput, " + mib(bytes) + " in 64 KiB chunks, waits above 1 MiB until 256 KiB",
              mbs(raw.throughput(bytes, FileChunk.MAX_DATA, 1 << 20, 256 << 10))));
      threads(level + " throughput", cpu);
      rows.add(
          row(
              level,
              "throughput, " + mib(bytes) + " in 64 KiB chunks, waits above 4 MiB until 1 MiB",
              mbs(raw.throughput(bytes, FileChunk.MAX_DATA, 4 << 20, 1 << 20))));
      rows.add(
          row(
              level,
              "throughput, " + mib(bytes) + " in 64 KiB chunks, waits above 8 MiB until 4 MiB",
              mbs(raw.throughput(bytes, FileChunk.MAX_DATA, 8 << 20, 4 << 20))));
      rows.add(
          row(
              level,
              "buffered-amount events reported to the sender",
              String.valueOf(raw.bufferedAmountEvents.get())));
    }
  }

  // --- the data channel, without storage

  private void linkLevel(URI uri, int opens, int rounds, int burst, long bytes) throws Exception {
    LinkSide bob = new LinkSide(uri, BOB, true);
    LinkSide alice = new LinkSide(uri, ALICE, false);
    try (bob;
        alice) {
      waitUntil(() -> alice.server.online().contains(BOB), "bob online");
      long[] openMs = new long[opens];
      for (int i = 0; i < opens; i++) {
        long start = System.nanoTime();
        PeerLink link = alice.links.open(BOB).get(TIMEOUT_S, TimeUnit.SECONDS);
        openMs[i] = (System.nanoTime() - start) / 1000;
        if (i < opens - 1) {
          link.close();
          link.closed().get(TIMEOUT_S, TimeUnit.SECONDS);
          // bob's side may report it, or (if the next offer overtakes the hangup) replace it.
          bob.closed.poll(2, TimeUnit.SECONDS);
        }
      }
      rows.add(
          row("link", "open (offer to open data channel), median / p99", ms(percentiles(openMs))));
      PeerLink link = alice.links.open(BOB).get(TIMEOUT_S, TimeUnit.SECONDS);
      String text = "x".repeat(SMALL);
      long[] rtt = new long[rounds];
      for (int i = 0; i < rounds; i++) {
        String id = "r" + i;
        CompletableFuture<Void> acked = alice.expectAck(id);
        long start = System.nanoTime();
        link.send(new ChannelMessage.Chat(id, 0, text));
        acked.get(TIMEOUT_S, TimeUnit.SECONDS);
        rtt[i] = (System.nanoTime() - start) / 1000;
      }
      rows.add(row("link", "round trip, " + SMALL + " B, median / p99", us(percentiles(rtt))));

      bob.echo = false;
      // A warm-up, unmeasured: the JIT compiles the codec meanwhile, not during the burst.
      burst(link, bob, burst / 4, text);
      ThreadCpu cpu = ThreadCpu.start();
      long start = System.nanoTime();
      burst(link, bob, burst, text);
      double perSecond = burst / ((System.nanoTime() - start) / 1e9);
      rows.add(row("link", "messages/s, " + SMALL + " B one way", num(perSecond)));
      threads("link messages/s", cpu);

      stream(link, alice, bob, bytes / 4); // a warm-up, unmeasured
      cpu = ThreadCpu.start();
      start = System.nanoTime();
      stream(link, alice, bob, bytes);
      double mbs = bytes / 1e6 / ((System.nanoTime() - start) / 1e9);
      rows.add(row("link", "throughput, " + mib(bytes) + " in 64 KiB chunks", mbs(mbs)));
      threads("link throughput", cpu);
    }
  }

  /** Sends {@code count} chat messages one way, and waits until they all arrived. */
  private static void burst(PeerLink link, LinkSide to, int count, String text) throws Exception {
    long before = to.messages.get();
    for (int i = 0; i < count; i++) {
      link.send(new ChannelMessage.Chat("b" + i, 0, text));
      while (i % 64 == 63 && link.bufferedAmount() > PeerLink.HIGH_WATER) {
        LockSupport.parkNanos(100_000);
      }
    }
    waitUntil(() -> to.messages.get() - before >= count, "the burst to arrive");
  }

  /** Sends {@code bytes} in 64 KiB chunks as a file sender does, and waits until all arrived. */
  private static void stream(PeerLink link, LinkSide from, LinkSide to, long bytes)
      throws Exception {
    UUID file = UUID.randomUUID();
    byte[] chunk = new byte[FileChunk.MAX_DATA];
    long before = to.bytes.get();
    for (long sent = 0; sent < bytes; ) {
      int n = (int) Math.min(chunk.length, bytes - sent);
      if (!link.sendChunk(file, chunk, 0, n)) {
        from.drained.poll(TIMEOUT_S, TimeUnit.SECONDS);
      }
      sent += n;
    }
    waitUntil(() -> to.bytes.get() - before >= bytes, "the bytes to arrive");
  }

  // --- the client, with durable storage

  private void clientLevel(URI uri, Path dir, int opens, int rounds, int burst, long bytes)
      throws Exception {
    try (ParleyClient ben =
            ParleyClient.builder(uri, BEN)
                .profile(dir.resolve("ben"))
                .downloads(dir.resolve("downloads"))
                .connect();
        ParleyClient ann = ParleyClient.builder(uri, ANN).profile(dir.resolve("ann")).connect()) {
      waitUntil(() -> ann.online().contains(ben.name()), "ben online");
      long[] firstMs = new long[opens];
      for (int i = 0; i < opens; i++) {
        long start = System.nanoTime();
        ann.send(BEN, "first " + i).delivered().get(TIMEOUT_S, TimeUnit.SECONDS);
        firstMs[i] = (System.nanoTime() - start) / 1000;
        PeerLink link = ann.link(BEN).get(TIMEOUT_S, TimeUnit.SECONDS);
        link.close();
        link.closed().get(TIMEOUT_S, TimeUnit.SECONDS);
      }
      rows.add(
          row(
              "client",
              "first message to someone, no link yet: send to delivered, median / p99",
              ms(percentiles(firstMs))));
      ann.send(BEN, "warm").delivered().get(TIMEOUT_S, TimeUnit.SECONDS);
      String text = "x".repeat(SMALL);
      long[] rtt = new long[rounds];
      for (int i = 0; i < rounds; i++) {
        long start = System.nanoTime();
        ann.send(BEN, text).delivered().get(TIMEOUT_S, TimeUnit.SECONDS);
        rtt[i] = (System.nanoTime() - start) / 1000;
      }
      rows.add(
          row(
              "client",
              "send to delivered (stored on both sides), median / p99",
              us(percentiles(rtt))));
      sendAtOnce(ann, burst / 4, text); // a warm-up, unmeasured, as for the link's rates
      ThreadCpu cpu = ThreadCpu.start();
      long start = System.nanoTime();
      sendAtOnce(ann, burst, text);
      rows.add(
          row(
              "client",
              "messages/s delivered (" + burst + " sent at once)",
              num(burst / ((System.nanoTime() - start) / 1e9))));
      threads("client messages/s delivered", cpu);
      Path file = dir.resolve("file.bin");
      byte[] block = new byte[1 << 20];
      new java.util.Random(1).nextBytes(block);
      try (var outFile = Files.newOutputStream(file)) {
        for (long w = 0; w < bytes; w += block.length) {
          outFile.write(block, 0, (int) Math.min(block.length, bytes - w));
        }
      }
      start = System.nanoTime();
      ann.sendFile(BEN, file).delivered().get(TIMEOUT_S, TimeUnit.SECONDS);
      double mbs = bytes / 1e6 / ((System.nanoTime() - start) / 1e9);
      rows.add(
          row(
              "client",
              "file, " + mib(bytes) + ": hash, send, write, verify, acknowledge",
              mbs(mbs)));
    }
  }

  /** Sends {@code count} messages to ben at once, and waits until all are delivered. */
  private static void sendAtOnce(ParleyClient ann, int count, String text) throws Exception {
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      all.add(ann.send(BEN, text).delivered());
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(TIMEOUT_S, TimeUnit.SECONDS);
  }

  // --- helpers

  private void threads(String phase, ThreadCpu cpu) {
    if (threads) {
      System.err.println("threads during " + phase + ": " + cpu.report());
    }
  }

  interface Check {
    boolean ok() throws Exception;
  }

  /** Waits until {@code check} holds, at most {@value #TIMEOUT_S} s. */
  static void waitUntil(Check check, String what) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
    while (!check.ok()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
      LockSupport.parkNanos(200_000);
    }
  }

  static long[] percentiles(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return new long[] {
      sorted[sorted.length / 2], sorted[Math.min(sorted.length - 1, sorted.length * 99 / 100)]
    };
  }

  private static String[] row(String level, String figure, String value) {
    return new String[] {level, figure, value};
  }

  private static String ms(long[] micros) {
    return String.format(Locale.ROOT, "%.1f / %.1f ms", micros[0] / 1000.0, micros[1] / 1000.0);
  }

  private static String us(long[] micros) {
    return String.format(Locale.ROOT, "%,d / %,d µs", micros[0], micros[1]);
  }

  private static String us(double[] micros) {
    return String.format(Locale.ROOT, "%,.0f / %,.0f µs", micros[0], micros[1]);
  }

  private static String num(double value) {
    return String.format(Locale.ROOT, "%,.0f", value);
  }

  private static String mbs(double value) {
    return String.format(Locale.ROOT, "%,.1f MB/s", value);
  }

  private static String mib(long bytes) {
    return (bytes >> 20) + " MiB";
  }

  private String report() {
    return table("Peer to peer", "level", quick, rows);
  }

  /** A report's table: its heading with today's date, then one row per figure. */
  static String table(String heading, String firstColumn, boolean quick, List<String[]> rows) {
    StringBuilder b = new StringBuilder();
    b.append("### ")
        .append(heading)
        .append(" (")
        .append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE))
        .append(quick ? ", quick" : "")
        .append(")\n\n| ")
        .append(firstColumn)
        .append(" | figure | value |\n|---|---|---:|\n");
    for (String[] r : rows) {
      b.append("| ")
          .append(r[0])
          .append(" | ")
          .append(r[1])
          .append(" | ")
          .append(r[2])
          .append(" |\n");
    }
    return b.toString();
  }
}
