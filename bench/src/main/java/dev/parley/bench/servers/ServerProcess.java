package dev.parley.bench.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
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
 * through /proc (CPU seconds and resident memory of its own PID), and stopped by that PID.
 */
public final class ServerProcess implements Deployment {

  private final String name;
  private final Process process;
  private final int port;
  private final Path log;

  private ServerProcess(String name, Process process, int port, Path log) {
    this.name = name;
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts {@code command} (which must listen on {@code port}) and waits until it accepts. */
  public static ServerProcess start(String name, List<String> command, int port, Path workDir) {
    try {
      Files.createDirectories(workDir);
      Path log = workDir.resolve(name + ".log");
      Process process =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      ServerProcess server = new ServerProcess(name, process, port, log);
      // A bench stopped with Ctrl-C or a signal must not leave its servers running.
      Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "stop-" + name));
      server.awaitListening(Duration.ofSeconds(60));
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
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
