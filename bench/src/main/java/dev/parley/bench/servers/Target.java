package dev.parley.bench.servers;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** A server to measure and the dialect its clients speak. */
public enum Target {
  /** Parley with its native protocol. */
  PARLEY("Parley", Dialect.PARLEY),
  /** Parley with its native protocol in contacts presence: nobody is told of anyone unasked. */
  PARLEY_CONTACTS("Parley (contacts presence)", Dialect.PARLEY),
  /** Three Parley nodes on Redis and PostgreSQL, in everyone presence; clients dealt in turn. */
  PARLEY_CLUSTER("Parley, 3 nodes", Dialect.PARLEY),
  /** Three Parley nodes in contacts presence. */
  PARLEY_CLUSTER_CONTACTS("Parley, 3 nodes (contacts presence)", Dialect.PARLEY),
  /** Parley's PeerJS-compatible endpoint. */
  PARLEY_PEERJS("Parley (PeerJS endpoint)", Dialect.PEERJS),
  /** The stock PeerServer, npm {@code peer}. */
  PEERSERVER("PeerServer", Dialect.PEERJS),
  /** The original design: a Socket.IO 4 server broadcasting joinServer and leaveServer. */
  SOCKETIO("Socket.IO design", Dialect.SOCKETIO),
  /**
   * The floor under Parley's transport: a bare WebSocket server on Netty's epoll transport, in
   * Parley's JVM with Parley's options, that answers PeerJS's OPEN and holds the connection.
   */
  BARE_NETTY("Bare Netty", Dialect.PEERJS),
  /**
   * The floor under a Parley login: the bare server, which also sends Parley's challenge and checks
   * the login's Ed25519 proof as Parley does, then answers with a bare welcome.
   */
  BARE_NETTY_LOGIN("Bare Netty + login proof", Dialect.PARLEY),
  /**
   * The floor under a login without the challenge's round trip: the bare server checks a login
   * proof the client sends as its first frame (see {@link BareWebSocketServer}).
   */
  BARE_NETTY_LOGIN_AT_ONCE("Bare Netty + login proof, no challenge", Dialect.PARLEY);

  /** How a target's clients talk. */
  public enum Dialect {
    PARLEY,
    PEERJS,
    SOCKETIO
  }

  private final String label;
  private final Dialect dialect;

  Target(String label, Dialect dialect) {
    this.label = label;
    this.dialect = dialect;
  }

  public String label() {
    return label;
  }

  public Dialect dialect() {
    return dialect;
  }

  public boolean isParley() {
    return switch (this) {
      case PARLEY, PARLEY_CONTACTS, PARLEY_CLUSTER, PARLEY_CLUSTER_CONTACTS, PARLEY_PEERJS -> true;
      case PEERSERVER, SOCKETIO, BARE_NETTY, BARE_NETTY_LOGIN, BARE_NETTY_LOGIN_AT_ONCE -> false;
    };
  }

  /** Whether this target runs in contacts presence, where clients watch whom they hear of. */
  public boolean isContacts() {
    return this == PARLEY_CONTACTS || this == PARLEY_CLUSTER_CONTACTS;
  }

  /**
   * Whether this target's clients send their login as their first frame instead of answering a
   * challenge (the floor without one).
   */
  public boolean logsInAtOnce() {
    return this == BARE_NETTY_LOGIN_AT_ONCE;
  }

  /** Three nodes: what this target is compared with is its one-node counterpart. */
  public boolean isCluster() {
    return this == PARLEY_CLUSTER || this == PARLEY_CLUSTER_CONTACTS;
  }

  /** For a cluster target, the one node it is compared with. */
  public Target oneNode() {
    return switch (this) {
      case PARLEY_CLUSTER -> PARLEY;
      case PARLEY_CLUSTER_CONTACTS -> PARLEY_CONTACTS;
      default -> this;
    };
  }

  /** The path PeerJS clients use on this target. */
  public String peerJsPath() {
    return this == PARLEY_PEERJS ? "/peerjs/peerjs" : "/peerjs";
  }

  /**
   * Starts a fresh instance. Limits meant for abuse (rate, connections per address, concurrent
   * clients, idle timeouts) are lifted on every target alike, so the load itself is measured.
   */
  public Deployment start(
      Path parleyHome, Anchors anchors, Path workDir, List<String> parleyJvmOptions) {
    if (isCluster()) {
      return ClusterDeployment.start(
          3,
          freshDirectory(workDir, "parley-cluster-"),
          parleyLauncher(parleyHome, parleyJvmOptions),
          parleyOptions());
    }
    int port = ServerProcess.freePort();
    List<String> command = new ArrayList<>();
    switch (this) {
      case PEERSERVER ->
          command.addAll(
              List.of(
                  "node",
                  anchors.peerServer().toString(),
                  "--host",
                  "127.0.0.1",
                  "--port",
                  String.valueOf(port),
                  "--path",
                  "/",
                  "--concurrent_limit",
                  "1000000",
                  "--alive_timeout",
                  "600000"));
      case SOCKETIO ->
          command.addAll(
              List.of("node", anchors.socketIoServer().toString(), String.valueOf(port)));
      case BARE_NETTY, BARE_NETTY_LOGIN, BARE_NETTY_LOGIN_AT_ONCE -> {
        command.addAll(parleyJvm(parleyJvmOptions));
        command.addAll(
            List.of(
                "-cp", ownClassPath(), BareWebSocketServer.class.getName(), String.valueOf(port)));
        if (this == BARE_NETTY_LOGIN) {
          command.add("login");
        } else if (logsInAtOnce()) {
          command.add("login-at-once");
        }
      }
      default -> {
        command.addAll(parleyLauncher(parleyHome, parleyJvmOptions));
        command.addAll(
            List.of(
                "server",
                "--host",
                "127.0.0.1",
                "--port",
                String.valueOf(port),
                "--data",
                freshDirectory(workDir, "parley-data-").toString()));
        command.addAll(parleyOptions());
      }
    }
    return ServerProcess.start(name().toLowerCase(java.util.Locale.ROOT), command, port, workDir);
  }

  /**
   * The JVM with its options, the app's jars and the main class: {@code parley} before its args.
   */
  private static List<String> parleyLauncher(Path parleyHome, List<String> parleyJvmOptions) {
    List<String> command = parleyJvm(parleyJvmOptions);
    command.addAll(
        List.of(
            "-cp",
            parleyHome.resolve("app/target/parley-app.jar")
                + ":"
                + parleyHome.resolve("app/target/lib")
                + "/*",
            "dev.parley.app.Main"));
    return command;
  }

  /**
   * The load generator's own classpath, which holds the bare server and Netty: the bench's jar and
   * its libraries under scripts/bench, the module's classes under its smoke test. Made absolute,
   * since a server runs in the scratch directory.
   */
  private static String ownClassPath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(entry -> Path.of(entry).toAbsolutePath().toString())
        .collect(Collectors.joining(File.pathSeparator));
  }

  /** The JVM and the options Parley's server runs with, the extra ones given last. */
  private static List<String> parleyJvm(List<String> parleyJvmOptions) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    // What docs/operations.md recommends for a server that holds many idle connections: G1
    // returns the heap that logging in used up once the connections are idle, instead of
    // keeping it resident (the serial collector kept about ten times the live data), and the
    // JVM returns freed C heap; concurrent cycles do not unload classes, which made their
    // remark pauses 10 to 25 ms.
    command.addAll(
        List.of(
            "-XX:+UseG1GC",
            "-Xms64m",
            "-Xmx2g",
            "-XX:G1PeriodicGCInterval=5000",
            "-XX:TrimNativeHeapInterval=1000",
            "-XX:MinHeapFreeRatio=10",
            "-XX:MaxHeapFreeRatio=20",
            "-XX:-ClassUnloadingWithConcurrentMark",
            "-Xss512k",
            "--enable-native-access=ALL-UNNAMED"));
    command.addAll(parleyJvmOptions);
    return command;
  }

  /** The server options of every Parley target: abuse limits lifted, and its presence mode. */
  private List<String> parleyOptions() {
    List<String> options =
        new ArrayList<>(
            List.of(
                "--registrations-per-hour",
                "1000000",
                "--max-connections-per-address",
                "1000000",
                "--rate-limit",
                "1000000",
                "--rate-burst",
                "1000000",
                "--heartbeat-interval",
                "60s",
                "--heartbeat-timeout",
                "10m",
                "--peerjs-concurrent-limit",
                "1000000",
                "--peerjs-alive-timeout",
                "10m"));
    if (isContacts()) {
      options.addAll(List.of("--presence", "contacts"));
    }
    return options;
  }

  /**
   * A directory no earlier run used: a data directory named after the port once met the database of
   * an earlier run on the same port, whose users' names were then taken.
   */
  private static Path freshDirectory(Path workDir, String prefix) {
    try {
      Files.createDirectories(workDir);
      return Files.createTempDirectory(workDir, prefix);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a directory in " + workDir, e);
    }
  }
}
