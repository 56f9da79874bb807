package dev.parley.testkit;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A private PostgreSQL server for tests, run from Debian's {@code postgresql} binaries in a
 * temporary directory, listening on a free port of 127.0.0.1 only, with durability switched off for
 * speed. Clients log in as {@link #user()} with {@link #password()} (scram-sha-256, so a client
 * that drops its credentials fails as it would against a real deployment).
 *
 * <p>PostgreSQL refuses to run as root; as root, every PostgreSQL command runs as Debian's {@code
 * postgres} system user through {@code runuser}, so that user must be able to reach {@code
 * java.io.tmpdir} (as it can {@code /tmp}). A shutdown hook stops the server if the JVM exits
 * without {@link #close()}.
 */
public final class PostgresServer implements AutoCloseable {
  private static final System.Logger log = System.getLogger(PostgresServer.class.getName());
  private static final Path DEBIAN_INSTALLATIONS = Path.of("/usr/lib/postgresql");
  private static final String USER = "parley";
  private static final String SYSTEM_USER = "postgres";
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final int START_ATTEMPTS = 3;
  private static final boolean ROOT = new UnixSystem().getUid() == 0;

  /** Loopback only; no durability, since a test database that a crash loses costs nothing. */
  private static final List<String> SETTINGS =
      List.of(
          "listen_addresses=127.0.0.1",
          "fsync=off",
          "full_page_writes=off",
          "synchronous_commit=off");

  private final Path bin;
  private final Path directory;
  private final Path data;
  private final String password;
  private final Process process;
  private final ProcessHandle postmaster;
  private final int port;
  private final AtomicInteger databases = new AtomicInteger();
  private final Thread shutdownHook = new Thread(this::close, "postgres-shutdown");
  private boolean closed;

  private PostgresServer(
      Path bin,
      Path directory,
      String password,
      Process process,
      ProcessHandle postmaster,
      int port) {
    this.bin = bin;
    this.directory = directory;
    this.data = directory.resolve("data");
    this.password = password;
    this.process = process;
    this.postmaster = postmaster;
    this.port = port;
  }

  /**
   * Creates a cluster in a new temporary directory and starts it; returns once it accepts
   * connections. The PostgreSQL JDBC driver must be on the class path.
   *
   * @throws IllegalStateException if PostgreSQL is not installed or does not start; the message
   *     then holds the server's log
   */
  public static PostgresServer start() {
    Path bin = installation();
    requireDriver();
    Instant started = Instant.now();
    Path directory = createDirectory();
    try {
      String password = HexFormat.of().formatHex(randomBytes(16));
      initdb(bin, directory, password);
      PostgresServer server = startServer(bin, directory, password);
      Runtime.getRuntime().addShutdownHook(server.shutdownHook);
      log.log(
          System.Logger.Level.INFO,
          "Started PostgreSQL from {0} on 127.0.0.1:{1,number,#} (pid {2,number,#}, data in {3})"
              + " in {4,number,#} ms",
          bin,
          server.port,
          server.postmaster.pid(),
          server.data,
          Duration.between(started, Instant.now()).toMillis());
      return server;
    } catch (RuntimeException e) {
      Processes.deleteRecursively(directory);
      throw e;
    }
  }

  /** Creates a new, empty database with a unique name and returns its JDBC URL. */
  public String createDatabase() {
    String name = "parley_test_" + databases.incrementAndGet();
    try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), USER, password);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create the database " + name, e);
    }
    return jdbcUrl(name);
  }

  /** The JDBC URL of {@code database} on this server. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  public String user() {
    return USER;
  }

  public String password() {
    return password;
  }

  /** The process id of the postmaster, whose children are the database's backends. */
  public long pid() {
    return postmaster.pid();
  }

  public int port() {
    return port;
  }

  /** Stops the server (fast shutdown: open connections are cut) and deletes its directory. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    Processes.dropShutdownHook(shutdownHook);
    stop();
    Processes.deleteRecursively(directory);
    log.log(System.Logger.Level.INFO, "Stopped PostgreSQL on 127.0.0.1:{0,number,#}", port);
  }

  /**
   * Stops by the postmaster's own pid: {@code pg_ctl stop -m fast} first, since only it can ask for
   * a fast shutdown (SIGINT); killing is the fallback. With {@code runuser} in between, the process
   * we started is runuser, not the postmaster, so both are waited for.
   */
  private void stop() {
    try {
      String seconds = String.valueOf(STOP_TIMEOUT.toSeconds());
      Processes.run(
          command(bin.resolve("pg_ctl"), "stop", "-D", data, "-m", "fast", "-w", "-t", seconds),
          directory.resolve("pg_ctl.log"),
          STOP_TIMEOUT.plusSeconds(5));
    } catch (IllegalStateException e) {
      log.log(System.Logger.Level.WARNING, "pg_ctl could not stop PostgreSQL; killing it", e);
    }
    for (ProcessHandle handle : List.of(postmaster, process.toHandle())) {
      if (!Processes.awaitExit(handle, STOP_TIMEOUT)) {
        Processes.stop(handle, STOP_TIMEOUT);
      }
    }
  }

  /** The newest major version of Debian's {@code postgresql} installed here. */
  private static Path installation() {
    try (Stream<Path> versions =
        Files.isDirectory(DEBIAN_INSTALLATIONS) ? Files.list(DEBIAN_INSTALLATIONS) : Stream.of()) {
      return versions
          .filter(version -> version.getFileName().toString().matches("\\d+"))
          .filter(version -> Files.isExecutable(version.resolve("bin/postgres")))
          .max(
              Comparator.comparingInt(
                  version -> Integer.parseInt(version.getFileName().toString())))
          .map(version -> version.resolve("bin"))
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "PostgreSQL is not installed in "
                          + DEBIAN_INSTALLATIONS
                          + ": install Debian's package `postgresql` (apt-get install postgresql)"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Fails now, rather than after the startup timeout, when no driver would ever connect. */
  private static void requireDriver() {
    try {
      DriverManager.getDriver("jdbc:postgresql://127.0.0.1/postgres");
    } catch (SQLException e) {
      throw new IllegalStateException(
          "no PostgreSQL JDBC driver: put org.postgresql:postgresql on the test class path", e);
    }
  }

  /** A temporary directory that the user running PostgreSQL owns. */
  private static Path createDirectory() {
    try {
      Path directory = Files.createTempDirectory("parley-postgres-");
      if (ROOT) {
        Files.setOwner(directory, systemUser());
      }
      return directory;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for PostgreSQL", e);
    }
  }

  private static void initdb(Path bin, Path directory, String password) {
    Path passwordFile = directory.resolve("password");
    try {
      Files.writeString(passwordFile, password, StandardCharsets.UTF_8);
      if (ROOT) {
        Files.setOwner(passwordFile, systemUser());
      }
      Processes.run(
          command(
              bin.resolve("initdb"),
              "-D",
              directory.resolve("data"),
              "-U",
              USER,
              "--pwfile=" + passwordFile,
              "--auth-local=trust",
              "--auth-host=scram-sha-256",
              "-E",
              "UTF8",
              "--no-locale",
              "--no-sync"),
          directory.resolve("initdb.log"),
          Duration.ofSeconds(60));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      Processes.deleteRecursively(passwordFile);
    }
  }

  /** Starts the postmaster on a free port, trying another port if one was taken meanwhile. */
  private static PostgresServer startServer(Path bin, Path directory, String password) {
    Path logFile = directory.resolve("postgres.log");
    List<String> failures = new ArrayList<>();
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      int port = Processes.freePort();
      // The Unix socket goes to our own directory: Debian's /run/postgresql belongs to its cluster.
      List<Object> arguments =
          new ArrayList<>(List.of("-D", directory.resolve("data"), "-p", port, "-k", directory));
      SETTINGS.forEach(setting -> arguments.addAll(List.of("-c", setting)));
      Process process;
      try {
        process =
            new ProcessBuilder(command(bin.resolve("postgres"), arguments.toArray()))
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile())
                .start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot run PostgreSQL's postgres", e);
      }
      String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
      if (awaitReady(process, url, password, logFile)) {
        ProcessHandle postmaster = postmaster(directory.resolve("data"), process);
        return new PostgresServer(bin, directory, password, process, postmaster, port);
      }
      failures.add("attempt " + attempt + " on port " + port + ":\n" + Processes.read(logFile));
    }
    throw new IllegalStateException(
        "PostgreSQL did not start; its log:\n" + String.join("\n", failures));
  }

  /** Polls for a connection until the server accepts one (true) or exits (false). */
  private static boolean awaitReady(Process process, String url, String password, Path logFile) {
    Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
    @Nullable SQLException lastFailure = null;
    try {
      while (process.isAlive()) {
        try {
          DriverManager.getConnection(url, USER, password).close();
          return true;
        } catch (SQLException e) {
          lastFailure = e;
        }
        if (Instant.now().isAfter(deadline)) {
          kill(process);
          throw new IllegalStateException(
              "PostgreSQL did not accept connections within "
                  + STARTUP_TIMEOUT.toSeconds()
                  + " s; its log:\n"
                  + Processes.read(logFile),
              lastFailure);
        }
        // Not a fixed sleep: returns at once if the server exits.
        process.waitFor(50, TimeUnit.MILLISECONDS);
      }
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill(process);
      throw new IllegalStateException("interrupted while PostgreSQL was starting", e);
    }
  }

  /** The postmaster, whose pid the server writes on the first line of {@code postmaster.pid}. */
  private static ProcessHandle postmaster(Path data, Process process) {
    String pid =
        Processes.read(data.resolve("postmaster.pid")).lines().findFirst().orElse("").strip();
    Optional<ProcessHandle> handle = ProcessHandle.of(Long.parseLong(pid));
    return handle.orElse(process.toHandle());
  }

  /** The command line of a program, run as the {@code postgres} system user when we are root. */
  private static List<String> command(Path program, Object... arguments) {
    List<String> line = new ArrayList<>();
    if (ROOT) {
      line.addAll(List.of("runuser", "-u", SYSTEM_USER, "--"));
    }
    line.add(program.toString());
    Arrays.stream(arguments).map(String::valueOf).forEach(line::add);
    return line;
  }

  /** Kills a server that never became ready, including a postmaster that runuser started. */
  private static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  private static UserPrincipal systemUser() throws IOException {
    return Path.of("/")
        .getFileSystem()
        .getUserPrincipalLookupService()
        .lookupPrincipalByName(SYSTEM_USER);
  }

  private static byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }
}
