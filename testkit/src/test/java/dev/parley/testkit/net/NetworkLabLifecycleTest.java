package dev.parley.testkit.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lab is refused in one clear line where it cannot be built, and leaves no namespace and no
 * process behind, however its JVM or its test ends.
 */
@Timeout(60)
class NetworkLabLifecycleTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @Test
  void aJvmThatIsNotRootIsToldWhatALabNeeds(@TempDir Path readable) throws Exception {
    Files.setPosixFilePermissions(readable, PosixFilePermissions.fromString("rwxr-xr-x"));
    // A copy that user nobody can read: the checkout may sit in a directory only root may enter.
    String classPath =
        readableCopy(codeSource(NetworkLab.class), readable.resolve("main"))
            + File.pathSeparator
            + readableCopy(codeSource(AbandonedLab.class), readable.resolve("test"));
    Process jvm =
        new ProcessBuilder(
                "runuser",
                "-u",
                "nobody",
                "--",
                ProcessHandle.current().info().command().orElseThrow(),
                "-cp",
                classPath,
                AbandonedLab.class.getName(),
                "exit")
            .start();
    assertThat(jvm.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

    assertThat(jvm.exitValue()).isEqualTo(1);
    assertThat(new String(jvm.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
        .contains(
            "IllegalStateException: NetworkLab needs root and the commands ip, iptables,"
                + " iptables-restore and conntrack (Debian packages iproute2, iptables, conntrack):"
                + " the JVM is not root\n");
  }

  @Test
  void closingALabDeletesItsNamespacesAndStopsEveryProcessInThem() {
    NetworkLab lab = NetworkLab.create();
    Host server = lab.publicHost("server", "203.0.113.10");
    LabProcess started = sleepIn(lab, server);
    // A process the lab did not start, which only its namespace gives away.
    long stray =
        Long.parseLong(
            lab.exec(server.namespace(), "bash", "-c", "sleep 600 >/dev/null 2>&1 & echo $!")
                .strip());

    lab.close();

    assertThat(namespacesOf(lab.prefix())).isEmpty();
    assertThat(isRunning(started.pid())).isFalse();
    assertThat(isRunning(stray)).isFalse();
  }

  @Test
  void aTestThatThrowsLeavesNothingBehind() {
    String[] prefix = new String[1];
    long[] pid = new long[1];

    assertThatThrownBy(
            () -> {
              try (NetworkLab lab = NetworkLab.create()) {
                prefix[0] = lab.prefix();
                pid[0] = sleepIn(lab, lab.publicHost("server", "203.0.113.10")).pid();
                throw new IllegalStateException("the test failed");
              }
            })
        .hasMessage("the test failed");

    assertThat(namespacesOf(prefix[0])).isEmpty();
    assertThat(isRunning(pid[0])).isFalse();
  }

  @Test
  void aJvmThatExitsWithoutClosingItsLabDeletesItOnTheWayOut() {
    String[] abandoned = abandon("exit");

    assertThat(namespacesOf(abandoned[0])).isEmpty();
    assertThat(isRunning(Long.parseLong(abandoned[1]))).isFalse();
  }

  @Test
  void aNewLabDeletesWhatTheLabOfACrashedJvmLeftBehind() {
    String[] abandoned = abandon("crash");
    assertThat(namespacesOf(abandoned[0])).isNotEmpty();
    assertThat(isRunning(Long.parseLong(abandoned[1]))).isTrue();

    NetworkLab.create().close();

    assertThat(namespacesOf(abandoned[0])).isEmpty();
    assertThat(isRunning(Long.parseLong(abandoned[1]))).isFalse();
  }

  @Test
  void aProgramThatIgnoresSigtermIsKilledAfterItsGrace() {
    try (NetworkLab lab = NetworkLab.create()) {
      Host server = lab.publicHost("server", "203.0.113.10");
      LabProcess stubborn =
          lab.start(
              server.namespace(),
              List.of("bash", "-c", "trap '' TERM; echo trapped; while :; do sleep 1; done"),
              Map.of(),
              Probe.LOGS.toAbsolutePath(),
              Probe.LOGS.resolve("stubborn.log").toAbsolutePath());
      stubborn.awaitLine("trapped"::equals, TIMEOUT);

      stubborn.stop(Duration.ofMillis(200));

      assertThat(stubborn.isAlive()).isFalse();
    }
  }

  private static LabProcess sleepIn(NetworkLab lab, Host host) {
    return lab.start(
        host.namespace(),
        List.of("sleep", "600"),
        Map.of(),
        Probe.LOGS.toAbsolutePath(),
        Probe.LOGS.resolve(host.namespace().name() + ".log").toAbsolutePath());
  }

  /** Runs {@link AbandonedLab} in a JVM of its own; returns its lab's prefix and program's pid. */
  private static String[] abandon(String how) {
    try {
      Process jvm =
          new ProcessBuilder(
                  ProcessHandle.current().info().command().orElseThrow(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  AbandonedLab.class.getName(),
                  how)
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      assertThat(jvm.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
      String[] words =
          new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
              .strip()
              .split(" ", -1);
      assertThat(words).hasSize(2);
      return words;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * Whether a process exists and is not a zombie: a killed orphan stays a zombie until init reaps
   * it, which on some machines takes seconds, and {@link ProcessHandle} counts zombies as alive.
   */
  private static boolean isRunning(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
      // "pid (command) state ...", where the command may hold spaces and parentheses.
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies the class directory {@code from} to {@code to}, readable by every user. */
  private static Path readableCopy(Path from, Path to) throws IOException {
    try (var paths = Files.walk(from)) {
      for (Path path : paths.toList()) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target);
        }
        Files.setPosixFilePermissions(
            target,
            PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
      }
    }
    return to;
  }

  private static Path codeSource(Class<?> type) throws URISyntaxException {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private static List<String> namespacesOf(String prefix) {
    return Shell.run(List.of("ip", "netns", "list"), null, TIMEOUT)
        .lines()
        .map(line -> line.split(" ", 2)[0])
        .filter(name -> name.startsWith(prefix))
        .toList();
  }
}
