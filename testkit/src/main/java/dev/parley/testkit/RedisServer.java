package dev.parley.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * A private Redis for tests, run from Debian's {@code redis-server} in a temporary directory,
 * listening on a free port of 127.0.0.1 only, keeping nothing on disk. It can be stopped and
 * started again on the same port, as an outage of a deployment's Redis looks to its clients. A
 * shutdown hook stops it if the JVM exits without {@link #close()}.
 */
public final class RedisServer implements AutoCloseable {
  private static final System.Logger log = System.getLogger(RedisServer.class.getName());
  private static final Path BINARY = Path.of("/usr/bin/redis-server");
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  private final Path directory;
  private final int port;
  private final Thread shutdownHook = new Thread(this::close, "redis-shutdown");
  private @Nullable Process process;
  private boolean closed;

  private RedisServer(Path directory, int port) {
    this.directory = directory;
    this.port = port;
  }

  /**
   * Starts a Redis on a free port; returns once it answers PING.
   *
   * @throws IllegalStateException if redis-server is not installed or does not start; the message
   *     then holds its log
   */
  public static RedisServer start() {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException(
          BINARY + " is missing: install Debian's redis-server package (scripts/test does)");
    }
    RedisServer server =
        new RedisServer(Processes.createDirectory("parley-redis-"), Processes.freePort());
    try {
      server.resume();
    } catch (RuntimeException e) {
      Processes.deleteRecursively(server.directory);
      throw e;
    }
    Runtime.getRuntime().addShutdownHook(server.shutdownHook);
    return server;
  }

  /** The URI a Parley node is given: {@code redis://127.0.0.1:PORT}. */
  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** Whether it runs now. */
  public synchronized boolean running() {
    return process != null && process.isAlive();
  }

  /**
   * Stops it as an outage would (SIGKILL: no goodbye to its clients); everything it held is gone,
   * since it keeps nothing on disk. {@link #resume()} starts it again on the same port.
   */
  public synchronized void kill() {
    Process running = process;
    if (running != null) {
      running.destroyForcibly();
      Processes.awaitExit(running.toHandle(), STOP_TIMEOUT);
      process = null;
    }
  }

  /** Starts it (again) on its port, empty; returns once it answers PING. */
  public synchronized void resume() {
    if (running()) {
      return;
    }
    Path logFile = directory.resolve("redis.log");
    Instant started = Instant.now();
    List<String> command =
        List.of(
            BINARY.toString(),
            "--port",
            Integer.toString(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            directory.toString(),
            "--logfile",
            logFile.toString(),
            "--daemonize",
            "no");
    try {
      process = new ProcessBuilder(command).directory(directory.toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + BINARY, e);
    }
    Instant deadline = started.plus(STARTUP_TIMEOUT);
    while (!answersPing()) {
      Process running = process;
      if (running == null || !running.isAlive() || Instant.now().isAfter(deadline)) {
        kill();
        throw new IllegalStateException(
            "redis-server did not start on port "
                + port
                + "; its log:\n"
                + Processes.tail(logFile, 40));
      }
      LockSupport.parkNanos(Duration.ofMillis(10).toNanos()); // polling a condition, bounded
    }
    log.log(
        System.Logger.Level.INFO,
        "Started Redis on 127.0.0.1:{0,number,#} (pid {1,number,#}) in {2,number,#} ms",
        port,
        process.pid(),
        Duration.between(started, Instant.now()).toMillis());
  }

  /** The process id of redis-server, while it runs. */
  public synchronized long pid() {
    Process running = process;
    if (running == null || !running.isAlive()) {
      throw new IllegalStateException("redis-server does not run");
    }
    return running.pid();
  }

  /** Sends one command in Redis's inline form and returns the first line of its answer. */
  public String command(String inline) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
      socket.setSoTimeout(2000);
      OutputStream out = socket.getOutputStream();
      out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder line = new StringBuilder();
      for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
        if (b != '\r') {
          line.append((char) b);
        }
      }
      return line.toString();
    } catch (IOException e) {
      throw new UncheckedIOException("Redis on port " + port + " did not answer " + inline, e);
    }
  }

  private boolean answersPing() {
    try {
      return command("PING").equals("+PONG");
    } catch (UncheckedIOException e) {
      return false;
    }
  }

  /** Stops it and deletes its directory. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    kill();
    Processes.deleteRecursively(directory);
    Processes.dropShutdownHook(shutdownHook);
  }
}
