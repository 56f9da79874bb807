package dev.parley.testkit.net;

import com.sun.security.auth.module.UnixSystem;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Runs the lab's commands to their end: each with a timeout, each failure a {@link
 * LabCommandException} carrying the command and its stderr. The tools are found once, by absolute
 * path, so that the lab does not depend on the test JVM's {@code PATH} holding {@code /usr/sbin}.
 */
final class Shell {
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** The commands the lab runs, and the Debian package of each. */
  private static final Map<String, String> TOOLS =
      Map.of(
          "ip", "iproute2",
          "iptables", "iptables",
          "iptables-restore", "iptables",
          "conntrack", "conntrack",
          "bash", "bash");

  private static final List<String> SYSTEM_DIRECTORIES =
      List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

  private final Map<String, Path> tools;

  private Shell(Map<String, Path> tools) {
    this.tools = tools;
  }

  /**
   * A shell for a process that may build namespaces, or a one-line explanation of what is missing.
   *
   * @throws IllegalStateException if the JVM is not root or a tool is not installed
   */
  static Shell forRoot() {
    List<String> problems = new ArrayList<>();
    if (new UnixSystem().getUid() != 0) {
      problems.add("the JVM is not root");
    }
    Map<String, Path> found = new LinkedHashMap<>();
    TOOLS.keySet().stream()
        .sorted()
        .forEach(
            tool ->
                find(tool)
                    .ifPresentOrElse(
                        path -> found.put(tool, path),
                        () ->
                            problems.add(
                                "`" + tool + "` is missing (package " + TOOLS.get(tool) + ")")));
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "NetworkLab needs root and the commands ip, iptables, iptables-restore and conntrack"
              + " (Debian packages iproute2, iptables, conntrack): "
              + String.join("; ", problems));
    }
    return new Shell(Map.copyOf(found));
  }

  /** The absolute path of one of the lab's tools. */
  String tool(String name) {
    Path path = tools.get(name);
    if (path == null) {
      throw new IllegalArgumentException("not a tool of the lab: " + name);
    }
    return path.toString();
  }

  /** Runs a command of the lab's tools (its first word a tool name) and returns its stdout. */
  String run(String tool, String... arguments) {
    return run(command(tool, arguments), null, TIMEOUT);
  }

  /** Runs {@code command} in {@code namespace} and returns its stdout. */
  String exec(Namespace namespace, List<String> command, @Nullable String stdin, Duration timeout) {
    return run(inNamespace(namespace, command), stdin, timeout);
  }

  /** The command line that runs {@code command} in {@code namespace}; {@code ip} execs it. */
  List<String> inNamespace(Namespace namespace, List<String> command) {
    List<String> line = new ArrayList<>(List.of(tool("ip"), "netns", "exec", namespace.name()));
    line.addAll(command);
    return line;
  }

  private List<String> command(String tool, String... arguments) {
    List<String> line = new ArrayList<>(List.of(tool(tool)));
    line.addAll(List.of(arguments));
    return line;
  }

  /** Runs a command to its end, feeding it {@code stdin}, and returns its stdout. */
  static String run(List<String> command, @Nullable String stdin, Duration timeout) {
    Process process;
    try {
      process = new ProcessBuilder(command).start();
    } catch (IOException e) {
      throw new LabCommandException(command, "cannot start: " + e.getMessage(), "");
    }
    // Both streams are drained while the command runs, so that neither pipe can fill and block it.
    CompletableFuture<String> stdout = drain(process.getInputStream());
    CompletableFuture<String> stderr = drain(process.getErrorStream());
    try (OutputStream input = process.getOutputStream()) {
      if (stdin != null) {
        input.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      // The command exited without reading its input; its exit code tells what went wrong.
    }
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new LabCommandException(
            command, "did not finish within " + timeout.toMillis() + " ms", collect(stderr));
      }
      if (process.exitValue() != 0) {
        throw new LabCommandException(
            command, "failed with exit code " + process.exitValue(), collect(stderr));
      }
      return collect(stdout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new LabCommandException(command, "interrupted", "");
    }
  }

  private static CompletableFuture<String> drain(InputStream stream) {
    CompletableFuture<String> text = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try (stream) {
                text.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
              } catch (IOException e) {
                text.complete("(cannot read: " + e.getMessage() + ")");
              }
            });
    return text;
  }

  /** The rest of a stream; a child the command left running may hold it open, hence the bound. */
  private static String collect(CompletableFuture<String> text) {
    try {
      return text.get(1, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      return "(still open: a process the command started holds it)";
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(interrupted)";
    }
  }

  private static Optional<Path> find(String tool) {
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
    return Stream.concat(Stream.of(path.split(File.pathSeparator)), SYSTEM_DIRECTORIES.stream())
        .filter(directory -> !directory.isBlank())
        .map(directory -> Path.of(directory, tool))
        .filter(Files::isExecutable)
        .findFirst();
  }
}
