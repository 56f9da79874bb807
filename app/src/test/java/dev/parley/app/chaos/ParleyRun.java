package dev.parley.app.chaos;

import static org.awaitility.Awaitility.await;

import dev.parley.testkit.ParleyCommand;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One {@code parley} process of a chaos test: its standard output and error go to files, its
 * standard input is a pipe the test types into (as a person at {@code parley chat} would), and it
 * ends the way the test says: SIGKILL, or stopped and continued (SIGSTOP, SIGCONT) to look at it in
 * between. Every signal goes to this process by its pid.
 */
final class ParleyRun implements AutoCloseable {
  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);

  private final String label;
  private final Process process;
  private final Path out;
  private final Path err;
  private final OutputStream stdin;

  private ParleyRun(String label, Process process, Path out, Path err) {
    this.label = label;
    this.process = process;
    this.out = out;
    this.err = err;
    this.stdin = process.getOutputStream();
  }

  /** Starts {@code parley args...}, its output in {@code logs/label-N.out} and {@code .err}. */
  static ParleyRun start(Path logs, String label, List<String> args) {
    try {
      Files.createDirectories(logs);
      String id = label + "-" + System.nanoTime();
      Path out = logs.resolve(id + ".out");
      Path err = logs.resolve(id + ".err");
      Process process =
          new ProcessBuilder(ParleyCommand.of(args))
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      return new ParleyRun(label, process, out, err);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start parley " + args, e);
    }
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Types {@code line} and Enter. */
  void type(String line) {
    try {
      stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(label + " does not read its input any more", e);
    }
  }

  String out() {
    return read(out);
  }

  String err() {
    return read(err);
  }

  /** Waits until standard error contains {@code text}, failing with it if the process ends. */
  void awaitErr(String text, Duration timeout) {
    try {
      awaitErrUnexplained(text, timeout);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(label + " did not say '" + text + "'; it said: " + out() + err(), e);
    }
  }

  private void awaitErrUnexplained(String text, Duration timeout) {
    await(label + " says '" + text + "'")
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              if (!process.isAlive() && !err().contains(text)) {
                throw new AssertionError(label + " ended: " + out() + err());
              }
              return err().contains(text);
            });
  }

  /** SIGKILL: it ends at once, with no chance to tidy anything. Returns once it has ended. */
  void kill() {
    process.destroyForcibly();
    awaitExit();
  }

  /** SIGTERM: it stops as at Ctrl-C, closing what it has open. Returns once it has ended. */
  void terminate() {
    process.destroy();
    awaitExit();
  }

  /** SIGSTOP: it stops where it is, to be looked at (its files) and then killed or continued. */
  void pause() {
    signal("STOP");
  }

  /** SIGCONT after {@link #pause}. */
  void resume() {
    signal("CONT");
  }

  /** Waits for it to end by itself (end of its input, {@code --count}), returning its exit code. */
  int awaitExit() {
    return awaitExit(EXIT_TIMEOUT);
  }

  /** Waits up to {@code timeout} for it to end by itself, returning its exit code. */
  int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(label + " did not end within " + timeout + ": " + out() + err());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + label, e);
    }
  }

  /** Ends its input: {@code parley chat} leaves as at Ctrl-D. */
  void endInput() {
    try {
      stdin.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGKILL if it still runs: what a test leaves behind must not outlive it. */
  @Override
  public void close() {
    if (process.isAlive()) {
      if (isStopped()) {
        resume();
      }
      process.destroyForcibly();
      try {
        process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return label + " (pid " + pid() + ")";
  }

  private boolean isStopped() {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid() + "/stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("T");
    } catch (IOException e) {
      return false;
    }
  }

  private void signal(String name) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).start();
      if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new AssertionError("kill -" + name + " " + pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
