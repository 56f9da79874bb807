package dev.parley.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * Several Parley nodes on loopback, each a {@code parley server} process of its own, sharing one
 * PostgreSQL directory and one Redis, behind HAProxy: what docs/operations.md calls several nodes,
 * on one machine. Tests kill and restart nodes; {@code scripts/cluster} runs {@link #main} to try
 * it by hand. Nodes need the app's classes on the class path (see {@link ParleyCommand}).
 */
public final class LocalCluster implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final Path directory;
  private final List<String> launcher;
  private final List<String> extraArgs;
  private final RedisServer redis;
  private final PostgresServer postgres;
  private final String databaseUrl;
  private final List<Integer> ports = new ArrayList<>();
  private final List<@Nullable Process> nodes = new ArrayList<>();
  private @Nullable HaproxyServer balancer;
  private final Thread shutdownHook = new Thread(this::close, "cluster-shutdown");
  private boolean closed;

  private LocalCluster(Path directory, List<String> launcher, List<String> extraArgs) {
    this.directory = directory;
    this.launcher = List.copyOf(launcher);
    this.extraArgs = List.copyOf(extraArgs);
    this.redis = RedisServer.start();
    PostgresServer started;
    try {
      started = PostgresServer.start();
    } catch (RuntimeException e) {
      redis.close();
      throw e;
    }
    this.postgres = started;
    this.databaseUrl = postgres.createDatabase();
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts Redis, PostgreSQL, {@code count} nodes (ids n1, n2, ...) given {@code extraArgs} besides
   * what makes them a cluster, and HAProxy in front of them; returns once every node answers {@code
   * /health}. Each node logs to {@code directory/nN.log}.
   */
  public static LocalCluster start(int count, Path directory, List<String> extraArgs) {
    return start(count, directory, ParleyCommand.launcher(), extraArgs);
  }

  /**
   * As {@link #start(int, Path, List)}, with each node run by {@code launcher} (the JVM, its
   * options and the main class, as {@link ParleyCommand#launcher()} gives them) followed by its
   * arguments: for the benchmarks, which run nodes with their own JVM options from the app's jars.
   */
  public static LocalCluster start(
      int count, Path directory, List<String> launcher, List<String> extraArgs) {
    LocalCluster cluster = new LocalCluster(directory, launcher, extraArgs);
    try {
      for (int i = 0; i < count; i++) {
        cluster.ports.add(Processes.freePort());
        cluster.nodes.add(null);
        cluster.startNode(i + 1);
      }
      cluster.balancer = HaproxyServer.start(cluster.ports);
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** Starts node {@code n} (1-based) again, on its port, after it was killed or stopped. */
  public void startNode(int n) {
    Process running = nodes.get(n - 1);
    if (running != null && running.isAlive()) {
      throw new IllegalStateException("node n" + n + " runs already");
    }
    List<String> args =
        new ArrayList<>(
            List.of(
                "server",
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(port(n)),
                "--data",
                directory.resolve("n" + n).toString(),
                "--redis",
                redis.uri(),
                "--db-url",
                databaseUrl,
                "--db-user",
                postgres.user(),
                "--node-id",
                "n" + n,
                "--stun-port",
                "off",
                "--trusted-proxies",
                "127.0.0.1"));
    args.addAll(extraArgs);
    Path log = directory.resolve("n" + n + ".log");
    try {
      Files.createDirectories(directory);
      ProcessBuilder builder =
          new ProcessBuilder(command(args))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder.environment().put("PARLEY_DB_PASSWORD", postgres.password()); // not in ps
      Process process = builder.start();
      process.getOutputStream().close();
      nodes.set(n - 1, process);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start node n" + n, e);
    }
    Instant deadline = Instant.now().plus(READY_TIMEOUT);
    while (!healthy(n)) {
      Process process = nodes.get(n - 1);
      if (process == null || !process.isAlive() || Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            "node n" + n + " did not start; its log:\n" + Processes.tail(log, 40));
      }
      LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // polling a condition, bounded
    }
  }

  private List<String> command(List<String> args) {
    List<String> command = new ArrayList<>(launcher);
    command.addAll(args);
    return command;
  }

  /** The process id of node {@code n}, while it runs. */
  public long pid(int n) {
    Process process = nodes.get(n - 1);
    if (process == null || !process.isAlive()) {
      throw new IllegalStateException("node n" + n + " does not run");
    }
    return process.pid();
  }

  /** How many nodes the cluster has. */
  public int size() {
    return nodes.size();
  }

  /** SIGKILL to node {@code n}: it ends at once, telling nobody. */
  public void kill(int n) {
    Process process = nodes.get(n - 1);
    if (process != null) {
      process.destroyForcibly();
      Processes.awaitExit(process.toHandle(), Duration.ofSeconds(10));
    }
  }

  /** SIGTERM to node {@code n}, waiting for it to end: a graceful stop. */
  public void terminate(int n) {
    Process process = nodes.get(n - 1);
    if (process != null) {
      Processes.stop(process.toHandle(), Duration.ofSeconds(30));
    }
  }

  /** The port of node {@code n}, for a client that must reach that node and no other. */
  public int port(int n) {
    return ports.get(n - 1);
  }

  /** The load balancer's port: where users connect. */
  public int balancerPort() {
    HaproxyServer running = balancer;
    if (running == null) {
      throw new IllegalStateException("not started");
    }
    return running.port();
  }

  public RedisServer redis() {
    return redis;
  }

  public PostgresServer postgres() {
    return postgres;
  }

  /** What node {@code n}'s {@code /health} says now, or empty if it does not answer. */
  public String health(int n) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(n) + "/health"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return response.body();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private boolean healthy(int n) {
    return health(n).contains("\"status\":\"ok\"");
  }

  /**
   * Stops the balancer, every node (SIGTERM to all, then waiting for each), PostgreSQL and Redis.
   * Also run when the JVM that started the cluster exits without closing it (a benchmark stopped by
   * a signal): no node or balancer outlives it.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    Processes.dropShutdownHook(shutdownHook);
    HaproxyServer running = balancer;
    if (running != null) {
      running.close();
    }
    List<ProcessHandle> stopping = new ArrayList<>();
    for (Process node : nodes) {
      if (node != null && node.isAlive()) {
        node.destroy();
        stopping.add(node.toHandle());
      }
    }
    stopping.forEach(handle -> Processes.stop(handle, Duration.ofSeconds(30)));
    postgres.close();
    redis.close();
  }

  /**
   * {@code scripts/cluster}: starts three nodes behind the balancer, prints where to connect, and
   * stops everything cleanly at Ctrl-C or SIGTERM. Arguments: the directory for logs and data, then
   * options for every node.
   */
  public static void main(String[] args) throws InterruptedException {
    if (args.length < 1) {
      System.err.println("usage: LocalCluster DIRECTORY [node options...]");
      System.exit(2);
    }
    // One line per message of the servers started here, without JUL's two-line header.
    System.setProperty("java.util.logging.SimpleFormatter.format", "%5$s%n");
    Path directory = Path.of(args[0]);
    List<String> extra = List.of(args).subList(1, args.length);
    System.out.println(
        "Starting Redis, PostgreSQL, 3 nodes and HAProxy (logs in " + directory + ")");
    LocalCluster cluster = start(3, directory, extra);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("Stopping the cluster");
                  cluster.close();
                  stopped.countDown();
                }));
    System.out.println();
    System.out.println("Load balancer: http://127.0.0.1:" + cluster.balancerPort() + "/");
    for (int n = 1; n <= 3; n++) {
      System.out.println("Node n" + n + ":        http://127.0.0.1:" + cluster.port(n) + "/");
    }
    System.out.println("Redis:         " + cluster.redis.uri());
    System.out.println("PostgreSQL:    " + cluster.databaseUrl);
    System.out.println();
    System.out.println(
        "Try: ./parley chat --server 127.0.0.1:" + cluster.balancerPort() + " --name NAME");
    System.out.println("Ctrl-C stops everything.");
    stopped.await();
  }
}
