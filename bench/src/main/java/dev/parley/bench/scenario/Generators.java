package dev.parley.bench.scenario;

import dev.parley.bench.load.Generator;
import dev.parley.bench.servers.Deployment;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The load generator spread over processes, one per node of a deployment ({@link Generator}), so
 * that no process holds more sockets than its open-file limit allows: what a crowd larger than that
 * limit needs. Each process is stopped by its PID.
 */
final class Generators implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Generators.class);
  private static final int FIRST_NETWORK = 10;

  private final List<Process> processes = new ArrayList<>();
  private final List<BufferedReader> answers = new ArrayList<>();
  private final List<Writer> commands = new ArrayList<>();
  private final Duration watchdog;

  private Generators(Duration watchdog) {
    this.watchdog = watchdog;
  }

  /** One generator process per node of {@code deployment}; each user watches {@code watch}. */
  static Generators start(Deployment deployment, int watch, Duration watchdog, Path workDir) {
    Generators generators = new Generators(watchdog);
    try {
      for (int node = 0; node < deployment.nodes(); node++) {
        generators.startOne(deployment.port(node), node, deployment.nodes(), watch, workDir);
      }
      return generators;
    } catch (RuntimeException e) {
      generators.close();
      throw e;
    }
  }

  private void startOne(int port, int node, int nodes, int watch, Path workDir) {
    String java = ProcessHandle.current().info().command().orElse("java");
    // Absolute, as the process runs in the scratch directory.
    String classpath =
        Arrays.stream(
                System.getProperty(
                        "surefire.test.class.path", System.getProperty("java.class.path"))
                    .split(File.pathSeparator, -1))
            .map(entry -> Path.of(entry).toAbsolutePath().toString())
            .collect(Collectors.joining(File.pathSeparator));
    List<String> command =
        List.of(
            java,
            "-Xss512k",
            "-Dio.netty.leakDetection.level=disabled",
            "-cp",
            classpath,
            Generator.class.getName(),
            String.valueOf(port),
            String.valueOf(FIRST_NETWORK + node),
            String.valueOf(node),
            String.valueOf(nodes),
            String.valueOf(watch),
            String.valueOf(watchdog.toSeconds()));
    try {
      Process process =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectError(workDir.resolve("generator-" + node + ".log").toFile())
              .start();
      Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "stop-gen"));
      processes.add(process);
      answers.add(
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)));
      commands.add(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a load generator process", e);
    }
  }

  /**
   * Connects {@code counts.get(k)} more users through generator {@code k}, all generators at once,
   * and waits until all are ready; returns the sum of their welcomes' lengths.
   *
   * @throws IllegalStateException if a generator failed or the watchdog ran out
   */
  long open(List<Integer> counts) {
    List<CompletableFuture<Long>> done = new ArrayList<>();
    for (int k = 0; k < processes.size(); k++) {
      int generator = k;
      send(generator, "open " + counts.get(generator));
      done.add(CompletableFuture.supplyAsync(() -> answer(generator)));
    }
    long bytes = 0;
    try {
      for (CompletableFuture<Long> one : done) {
        bytes += one.get(watchdog.toSeconds() + 30, TimeUnit.SECONDS);
      }
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("a load generator did not answer within " + watchdog, e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    return bytes;
  }

  private void send(int generator, String line) {
    try {
      Writer writer = commands.get(generator);
      writer.write(line + "\n");
      writer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("load generator " + generator + " is gone", e);
    }
  }

  /** Reads generator {@code k}'s answer to its last command, passing other lines to the log. */
  private long answer(int generator) {
    try {
      for (String line = answers.get(generator).readLine();
          line != null;
          line = answers.get(generator).readLine()) {
        if (line.startsWith("opened ")) {
          return Long.parseLong(line.split(" ", -1)[2]);
        }
        if (line.startsWith("failed ")) {
          throw new IllegalStateException("load generator " + generator + ": " + line.substring(7));
        }
        log.info("generator {}: {}", generator, line);
      }
      throw new IllegalStateException("load generator " + generator + " ended");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Ends every generator: its input closed (it closes its users), then by its PID if need be. */
  @Override
  public void close() {
    for (Writer writer : commands) {
      try {
        writer.close();
      } catch (IOException gone) {
        // It has ended already.
      }
    }
    for (Process process : processes) {
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
