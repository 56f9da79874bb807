package dev.parley.testkit.net;

import dev.parley.testkit.Processes;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * A program running in a lab namespace, started by {@link NetworkLab#start}. Its stdout and stderr
 * go, merged and line by line, to its log file and to an in-memory record of the most recent
 * {@value #KEPT_LINES} lines, which a test can wait on; its stdin is a pipe the test can write
 * lines to. The lab stops it on {@link NetworkLab#close()} if the test did not.
 */
public final class LabProcess implements AutoCloseable {
  /** How long {@link #close()} lets the program end after SIGTERM before it sends SIGKILL. */
  public static final Duration GRACE = Duration.ofSeconds(5);

  private static final int KEPT_LINES = 100_000;
  private static final Duration PUMP_TIMEOUT = Duration.ofSeconds(2);

  private final Namespace namespace;
  private final Process process;
  private final Path logFile;
  private final Writer stdin;
  private final Thread pump;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Deque<String> lines = new ArrayDeque<>();
  private boolean ended;

  private LabProcess(Namespace namespace, Process process, Path logFile, Writer log) {
    this.namespace = namespace;
    this.process = process;
    this.logFile = logFile;
    this.stdin =
        new BufferedWriter(
            new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    this.pump =
        Thread.ofPlatform().daemon().name("lab-output-" + process.pid()).unstarted(() -> pump(log));
  }

  /** Starts the program; the log file is opened first, so that a bad path fails here. */
  static LabProcess start(Namespace namespace, ProcessBuilder builder, Path logFile) {
    Writer log;
    try {
      Files.createDirectories(logFile.toAbsolutePath().getParent());
      log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the log file " + logFile, e);
    }
    try {
      Process process = builder.redirectErrorStream(true).start();
      LabProcess started = new LabProcess(namespace, process, logFile, log);
      started.pump.start();
      return started;
    } catch (IOException e) {
      closeQuietly(log);
      throw new LabCommandException(builder.command(), "cannot start: " + e.getMessage(), "");
    }
  }

  /** The program's own pid: {@code ip netns exec} execs the program, so it is not a wrapper's. */
  public long pid() {
    return process.pid();
  }

  public Namespace namespace() {
    return namespace;
  }

  public Path logFile() {
    return logFile;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Writes {@code line} and a newline to the program's stdin. */
  public synchronized void send(String line) {
    try {
      stdin.write(line);
      stdin.write('\n');
      stdin.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to process " + pid() + " in " + namespace, e);
    }
  }

  /** The lines the program has written so far (the most recent ones, if it wrote very many). */
  public List<String> output() {
    lock.lock();
    try {
      return List.copyOf(lines);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until the program has written a line that matches, and returns the first such line. Lines
   * are not consumed: every call looks at all of the output, so a test looks for lines that tell
   * one event from another.
   *
   * @throws AssertionError if no line matches in time, with the program's output in the message
   */
  public String awaitLine(Predicate<String> condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (true) {
        Optional<String> match = lines.stream().filter(condition).findFirst();
        if (match.isPresent()) {
          return match.get();
        }
        long left = deadline - System.nanoTime();
        if (ended || left <= 0) {
          throw new AssertionError(
              "process "
                  + pid()
                  + " in "
                  + namespace
                  + (ended ? " ended" : " did not write the line in " + timeout.toMillis() + " ms")
                  + "; its output:\n"
                  + String.join("\n", lines));
        }
        changed.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for output of process " + pid(), e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits for the program to end by itself, and for its output to be read to the end.
   *
   * @return its exit code
   * @throws AssertionError if it is still running after {@code timeout}, with its output
   */
  public int awaitExit(Duration timeout) {
    if (!Processes.awaitExit(process.toHandle(), timeout)) {
      throw new AssertionError(
          "process "
              + pid()
              + " in "
              + namespace
              + " still runs after "
              + timeout.toMillis()
              + " ms; its output:\n"
              + String.join("\n", output()));
    }
    try {
      pump.join(PUMP_TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return process.exitValue();
  }

  /** Stops the program: SIGTERM, then SIGKILL after {@link #GRACE}. */
  @Override
  public void close() {
    stop(GRACE);
  }

  /**
   * Stops the program by its pid, and the processes it started: SIGTERM, then SIGKILL to whatever
   * is left after {@code grace}.
   */
  public void stop(Duration grace) {
    // Children are listed before each signal: once the program is dead, they are init's, no longer
    // its descendants, and only the lab's sweep of the namespace on close would find them.
    Set<ProcessHandle> children = new HashSet<>(process.descendants().toList());
    process.destroy();
    if (!Processes.awaitExit(process.toHandle(), grace)) {
      children.addAll(process.descendants().toList());
      process.destroyForcibly();
      Processes.awaitExit(process.toHandle(), grace);
    }
    children.forEach(ProcessHandle::destroyForcibly);
    // The pipe may be broken already, since the program is gone.
    closeQuietly(stdin);
    try {
      pump.join(PUMP_TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Copies the program's output to the log file and to memory, until the program closes it. */
  private void pump(Writer log) {
    try (log;
        BufferedReader output =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = output.readLine(); line != null; line = output.readLine()) {
        // Flushed line by line, so the log is complete when a test fails and someone reads it.
        log.write(line);
        log.write('\n');
        log.flush();
        record(line);
      }
    } catch (IOException e) {
      record("(lab: output of process " + pid() + " lost: " + e.getMessage() + ")");
    } finally {
      lock.lock();
      try {
        ended = true;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  private void record(String line) {
    lock.lock();
    try {
      if (lines.size() == KEPT_LINES) {
        lines.removeFirst();
      }
      lines.addLast(line);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private static void closeQuietly(Writer writer) {
    try {
      writer.close();
    } catch (IOException e) {
      // Nothing is lost: nothing more was to be written.
    }
  }
}
