package dev.parley.bench.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server under test running as a child process on a loopback port: started, waited for, measured
 * through /proc (CPU seconds and resident memory of its own PID), stopped by that PID, and started
 * again with the same command (so the same port and data directory) for a restart.
 */
public final class ServerProcess implements Deployment {

  private final String name;
  private final List<String> command;
  private final int port;
  private final Path workDir;
  private final Path log;
  private volatile Process process;

  private ServerProcess(
      String name, List<String> command, int port, Path workDir, Path log, Process process) {
    this.name = name;
    this.command = List.copyOf(command);
    this.port = port;
    this.workDir = workDir;
    this.log = log;
    this.process = process;
  }

  /** Starts {@code command} (which must listen on {@code port}) and waits until it accepts. */
  public static ServerProcess start(String name, List<String> command, int port, Path workDir) {
    try {
      Files.createDirectories(workDir);
      Path log = workDir.resolve(name + ".log");
      Process process = launch(name, command, workDir, Redirect.to(log.toFile()));
      ServerProcess server = new ServerProcess(name, command, port, workDir, log, process);
      server.awaitListening(Duration.ofSeconds(60));
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
  }

  private static Process launch(String name, List<String> command, Path workDir, Redirect output)
      throws IOException {
    Process process =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output)
            .start();
    // A bench stopped with Ctrl-C or a signal must not leave its servers running.
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "stop-" + name));
    return process;
  }

  /**
   * The first half of a restart: sends SIGTERM to the process's PID, as an operator's service
   * manager does, and waits until it has exited.
   *
   * @throws IllegalStateException if it has not exited within {@code timeout} (it is then killed)
   */
  public void terminate(Duration timeout) {
    Process running = process;
    running.destroy(); // SIGTERM: the server's shutdown hook closes its connections and database
    try {
      if (!running.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        running.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new IllegalStateException(name + " did not exit within " + timeout + " of SIGTERM");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running.destroyForcibly();
      throw new IllegalStateException("interrupted while stopping " + name, e);
    }
  }

  /**
   * The second half of a restart: starts the same command again (same port, same data directory,
   * its output appended to the same log) and waits until it accepts connections. CPU and memory are
   * then those of the new process.
   */
  public void startAgain() {
    if (process.isAlive()) {
      throw new IllegalStateException(name + " is still running");
    }
    try {
      process = launch(name, command, workDir, Redirect.appendTo(log.toFile()));
      awaitListening(Duration.ofSeconds(60));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + " again", e);
    }
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitListening(Duration timeout) throws IOException {
    Process process = this.process;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited at start:\n" + Files.readString(log));
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return;
      } catch (IOException notYet) {
        process.onExit().completeOnTimeout(null, 50, TimeUnit.MILLISECONDS).join();
      }
    }
    close();
    throw new IllegalStateException(name + " did not listen within " + timeout);
  }

  public String name() {
    return name;
  }

  public int port() {
    return port;
  }

  @Override
  public int port(int index) {
    return port;
  }

  @Override
  public int nodes() {
    return 1;
  }

  /** CPU time (user + system) the process has used so far, in seconds. */
  @Override
  public double cpuSeconds() {
    return ProcStats.cpuSeconds(process.pid());
  }

  /** Resident memory, in bytes. */
  public long rssBytes() {
    return ProcStats.rssBytes(process.pid());
  }

  @Override
  public long rssBytes(int node) {
    return rssBytes();
  }

  @Override
  public void close() {
    Process process = this.process;
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
