package dev.parley.bench.p2p;

import dev.parley.client.ParleyClient;
import dev.parley.client.chat.ChatListener;
import dev.parley.client.group.GroupId;
import dev.parley.client.group.LogEntry;
import dev.parley.protocol.UserName;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code scripts/bench-p2p groups}: Java clients in one process, a Parley server beside them
 * (loopback only, host candidates, real webrtc-java links), in a group of each size: how long a
 * message takes to reach the last online member, and how long a member back online takes to catch
 * up on messages it missed, from another member while their author is away. Every wait is bounded.
 */
@Command(
    name = "bench-p2p groups",
    mixinStandardHelpOptions = true,
    description = "Measures group messages between Java clients in one process.")
public final class GroupBench implements Callable<Integer> {
  @Option(names = "--quick", description = "Small numbers, for a smoke run.")
  boolean quick;

  @Option(
      names = "--sizes",
      split = ",",
      defaultValue = "8,32",
      description = "Group sizes (members, the author included).")
  List<Integer> sizes;

  @Option(names = "--work", defaultValue = "bench/target/groups", description = "Scratch space.")
  Path work;

  private final List<String[]> rows = new ArrayList<>();

  public static void main(String[] args) {
    int code = new CommandLine(new GroupBench()).execute(args);
    System.out.flush();
    System.out.close(); // see dev.parley.app.cli.QuietExit
    System.exit(code);
  }

  @Override
  public Integer call() throws Exception {
    int messages = quick ? 5 : 50;
    int missed = quick ? 50 : 1000;
    Path dir = Files.createDirectories(work.toAbsolutePath()).resolve("run-" + System.nanoTime());
    try (ParleyServer server =
        ParleyServer.start(
            ServerConfig.defaults().toBuilder()
                .port(0)
                .dataDirectory(dir.resolve("server"))
                // All members register from loopback: more than an address may in an hour.
                .registrationsPerHour(100_000)
                .build())) {
      URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/ws");
      for (int size : sizes) {
        measure(uri, dir.resolve("g" + size), size, messages, missed);
      }
    }
    System.out.print(report());
    return 0;
  }

  private void measure(URI uri, Path dir, int size, int messages, int missed) throws Exception {
    List<Member> members = new ArrayList<>();
    try {
      for (int i = 0; i < size; i++) {
        members.add(Member.connect(uri, dir, "m" + size + "x" + i));
      }
      Member author = members.get(0);
      List<Member> others = members.subList(1, size);
      P2pBench.waitUntil(() -> author.client.online().size() >= size - 1, "everyone online");
      GroupId group =
          author.client.groups().create("bench " + size, others.stream().map(m -> m.name).toList());
      for (Member m : others) {
        P2pBench.waitUntil(
            () -> m.client.groups().get(group).isPresent(), m.name + " in the group");
      }
      // Warm-up: the first messages open the links (lazily) and warm the code; not measured.
      for (int i = 0; i < 3; i++) {
        reachAll(others, author.client.groups().send(group, "warm-up " + i));
      }
      long[] lastMicros = new long[messages];
      for (int i = 0; i < messages; i++) {
        long start = System.nanoTime();
        LogEntry sent = author.client.groups().send(group, "message " + i);
        lastMicros[i] = (reachAll(others, sent) - start) / 1000;
      }
      long[] p = P2pBench.percentiles(lastMicros);
      rows.add(
          row(
              size + " members, all online",
              "a message until the last of the others has it, median / p99 of " + messages,
              String.format(Locale.ROOT, "%.1f / %.1f ms", p[0] / 1000.0, p[1] / 1000.0)));

      // Catching up: the reader is away while the author writes, and the author has left when
      // the reader is back, so what it missed comes from the others.
      Member reader = members.get(size - 1);
      Path readerProfile = reader.profile;
      reader.client.close();
      members.remove(reader);
      List<String> written = new ArrayList<>(missed);
      for (int i = 0; i < missed; i++) {
        written.add(author.client.groups().send(group, "while you were away " + i).hash());
      }
      List<Member> stayed = members.subList(1, members.size());
      for (Member m : stayed) {
        P2pBench.waitUntil(
            () -> m.arrived.keySet().containsAll(written), m.name + " has what was written");
      }
      author.client.close();
      members.remove(author);
      long back = System.nanoTime();
      Member returned = Member.connect(uri, readerProfile.getParent(), reader.name.value());
      members.add(returned);
      P2pBench.waitUntil(
          () -> returned.arrived.keySet().containsAll(written), "the reader to catch up");
      long caughtUp = written.stream().mapToLong(returned.arrived::get).max().orElseThrow() - back;
      rows.add(
          row(
              size + " members, one back online, the author away",
              "catching up on "
                  + missed
                  + " missed messages from another member: reconnect to the last one",
              String.format(Locale.ROOT, "%,.0f ms", caughtUp / 1e6)));
    } finally {
      for (Member m : members) {
        m.client.close();
      }
    }
  }

  /** Waits until every one of {@code others} has {@code sent}; the latest arrival's time. */
  private static long reachAll(List<Member> others, LogEntry sent) throws Exception {
    String hash = sent.hash();
    long last = 0;
    for (Member m : others) {
      P2pBench.waitUntil(() -> m.arrived.containsKey(hash), m.name + " to get " + hash);
      last = Math.max(last, m.arrived.get(hash));
    }
    return last;
  }

  /** One client, and when each group message reached it. */
  private static final class Member implements ChatListener {
    final UserName name;
    final Path profile;
    final Map<String, Long> arrived = new ConcurrentHashMap<>();
    ParleyClient client;

    private Member(UserName name, Path profile) {
      this.name = name;
      this.profile = profile;
    }

    static Member connect(URI uri, Path dir, String name) {
      Member member = new Member(new UserName(name), dir.resolve(name));
      member.client =
          ParleyClient.builder(uri, member.name).profile(member.profile).listener(member).connect();
      return member;
    }

    @Override
    public void groupMessage(LogEntry message) {
      arrived.putIfAbsent(message.hash(), System.nanoTime());
    }
  }

  private static String[] row(String group, String figure, String value) {
    return new String[] {group, figure, value};
  }

  String report() {
    return P2pBench.table("Groups", "group", quick, rows);
  }
}
