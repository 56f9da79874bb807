package dev.parley.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/** What the servers started for tests share: their directory, their log, and stopping by pid. */
public final class Processes {
  private Processes() {}

  /** A TCP port of 127.0.0.1 that is free now, for a server about to be started on it. */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port", e);
    }
  }

  static Path createDirectory(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory", e);
    }
  }

  /** The process whose pid a server wrote to {@code pidFile}, or {@code started} if none is. */
  static ProcessHandle fromPidFile(Path pidFile, Process started) {
    String pid = read(pidFile).strip();
    if (!pid.matches("[0-9]+")) {
      return started.toHandle();
    }
    return ProcessHandle.of(Long.parseLong(pid)).orElse(started.toHandle());
  }

  /**
   * Removes a shutdown hook that closes what it belongs to, once that is closed some other way;
   * while the JVM exits, the hook is what closes it, and stays.
   */
  static void dropShutdownHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException exiting) {
      // The JVM is exiting, and this very hook is what is closing it.
    }
  }

  /** SIGTERM, then SIGKILL if the process has not exited after {@code grace}. */
  static void stop(ProcessHandle handle, Duration grace) {
    if (!handle.isAlive()) {
      return;
    }
    handle.destroy();
    if (!awaitExit(handle, grace)) {
      handle.destroyForcibly();
      awaitExit(handle, grace);
    }
  }

  static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }

  /** The last {@code count} lines of {@code file}. */
  static String tail(Path file, int count) {
    List<String> lines = read(file).lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
  }

  static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }

  /** Waits up to {@code timeout} for {@code handle} to end; whether it did. */
  public static boolean awaitExit(ProcessHandle handle, Duration timeout) {
    try {
      handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !handle.isAlive();
    }
  }

  /**
   * Runs {@code command} to its end in the directory of {@code logFile}, its output going there;
   * fails with that output if it fails or outlasts {@code timeout}.
   */
  static void run(List<String> command, Path logFile, Duration timeout) {
    try {
      Process process =
          new ProcessBuilder(command)
              .directory(logFile.getParent().toFile())
              .redirectErrorStream(true)
              .redirectOutput(logFile.toFile())
              .start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            String.join(" ", command)
                + " did not finish within "
                + timeout.toSeconds()
                + " s; its output:\n"
                + Processes.read(logFile));
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command)
                + " failed with exit code "
                + process.exitValue()
                + "; its output:\n"
                + Processes.read(logFile));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command.get(0), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command.get(0), e);
    }
  }
}
