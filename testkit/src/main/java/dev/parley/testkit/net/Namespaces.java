package dev.parley.testkit.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Creates and deletes the lab's namespaces, and removes those that a crashed lab left behind. Every
 * name is {@code plab-<pid>-<n>-<role>}: the pid of the JVM that owns it and a counter of the labs
 * of that JVM, so that a namespace is known to be stale when its owner is dead, and nothing that
 * does not match this exact pattern is ever deleted.
 */
final class Namespaces {
  private static final System.Logger log = System.getLogger(Namespaces.class.getName());
  private static final Pattern LAB_NAME = Pattern.compile("plab-(\\d+)-(\\d+)-[a-z0-9-]+");
  private static final Path NAMED_NAMESPACES = Path.of("/run/netns");
  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(5);
  private static final int KILL_ROUNDS = 5;
  private static final long POLL_MILLIS = 10;

  private final Shell shell;

  Namespaces(Shell shell) {
    this.shell = shell;
  }

  /** The prefix of the names of one lab of this JVM. */
  static String prefix(int lab) {
    return "plab-" + ProcessHandle.current().pid() + "-" + lab + "-";
  }

  /**
   * Creates a namespace with its loopback up and IPv6 off: the lab is IPv4 only, so that no path
   * (such as IPv6 link-local addresses on a shared bridge) can bypass the NATs under test.
   */
  Namespace create(String name) {
    shell.run("ip", "netns", "add", name);
    Namespace namespace = new Namespace(name);
    shell.run("ip", "-n", name, "link", "set", "lo", "up");
    sysctl(
        namespace,
        Map.of("net/ipv6/conf/all/disable_ipv6", "1", "net/ipv6/conf/default/disable_ipv6", "1"));
    return namespace;
  }

  /**
   * Sets kernel parameters of {@code namespace}, skipping those its kernel lacks (the bridge's
   * netfilter switches exist only while br_netfilter is loaded). Written through /proc/sys by a
   * shell in the namespace, since /proc/sys/net shows the namespace of the process that opens it.
   */
  void sysctl(Namespace namespace, Map<String, String> settings) {
    StringBuilder script = new StringBuilder();
    settings.forEach(
        (key, value) ->
            script
                .append("[ ! -e /proc/sys/")
                .append(key)
                .append(" ] || echo ")
                .append(value)
                .append(" > /proc/sys/")
                .append(key)
                .append('\n'));
    shell.exec(namespace, List.of(shell.tool("bash"), "-e"), script.toString(), Shell.TIMEOUT);
  }

  /**
   * Kills every process in {@code namespace} by its pid, then deletes the namespace (which deletes
   * its interfaces, and with them the other ends of its veth pairs). Processes go first: a
   * namespace lives on, nameless and out of reach, for as long as a process is inside it.
   */
  void delete(String name) {
    killProcesses(name);
    shell.run("ip", "netns", "delete", name);
  }

  /** Deletes the namespaces of labs whose JVM is gone, and kills what still runs in them. */
  void deleteStale() {
    for (String name : existing()) {
      Matcher matcher = LAB_NAME.matcher(name);
      if (matcher.matches() && ProcessHandle.of(Long.parseLong(matcher.group(1))).isEmpty()) {
        log.log(System.Logger.Level.INFO, "Deleting {0}, left by a lab that crashed", name);
        delete(name);
      }
    }
  }

  /** The names of all named namespaces of the machine, the lab's or not. */
  List<String> existing() {
    // Lines are "name" or "name (id: 3)".
    return shell.run("ip", "netns", "list").lines().map(line -> line.split(" ", 2)[0]).toList();
  }

  /**
   * Kills the processes in a namespace, in rounds, since one may fork between the listing and the
   * kill; a few rounds are plenty, as every process listed dies.
   */
  private void killProcesses(String name) {
    for (int round = 0; round < KILL_ROUNDS; round++) {
      List<ProcessHandle> inside =
          shell
              .run("ip", "netns", "pids", name)
              .lines()
              .map(String::strip)
              .filter(pid -> pid.matches("\\d+"))
              .map(pid -> ProcessHandle.of(Long.parseLong(pid)))
              .flatMap(Optional::stream)
              .filter(process -> isInside(process, name))
              .toList();
      if (inside.isEmpty()) {
        return;
      }
      inside.forEach(ProcessHandle::destroyForcibly);
      inside.forEach(process -> awaitLeaving(process, name));
    }
    log.log(
        System.Logger.Level.WARNING, "Processes keep appearing in {0}; deleting it anyway", name);
  }

  /**
   * Whether a process is still in the namespace, checked again right before killing it, so that a
   * pid reused since {@code ip netns pids} listed it is never killed.
   */
  private static boolean isInside(ProcessHandle process, String name) {
    try {
      Object inode = Files.getAttribute(NAMED_NAMESPACES.resolve(name), "unix:ino");
      Path link = Files.readSymbolicLink(Path.of("/proc", String.valueOf(process.pid()), "ns/net"));
      return link.toString().equals("net:[" + inode + "]");
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /**
   * Waits until a killed process has left the namespace, which it does as it dies. Not until it is
   * reaped: the zombie of an orphan waits for init, which on some machines takes seconds, and
   * {@link ProcessHandle#onExit()} waits for that.
   */
  private static void awaitLeaving(ProcessHandle process, String name) {
    long deadline = System.nanoTime() + EXIT_TIMEOUT.toNanos();
    try {
      while (isInside(process, name)) {
        if (System.nanoTime() - deadline > 0) {
          log.log(System.Logger.Level.WARNING, "Process {0} survived SIGKILL", process.pid());
          return;
        }
        Thread.sleep(POLL_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
