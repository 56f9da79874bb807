package dev.parley.testkit.net;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A JVM that builds a lab, starts a program in it and ends without closing it: with {@code exit} by
 * {@link System#exit}, so that shutdown hooks run, with {@code crash} by {@link Runtime#halt}, so
 * that nothing runs, as when a JVM is killed. Prints the lab's prefix and the program's pid first.
 */
final class AbandonedLab {
  private AbandonedLab() {}

  public static void main(String[] args) {
    NetworkLab lab = NetworkLab.create();
    Host host = lab.publicHost("server", "203.0.113.10");
    Path logs = Probe.LOGS.toAbsolutePath();
    LabProcess sleeper =
        lab.start(
            host.namespace(),
            List.of("sleep", "600"),
            Map.of(),
            logs,
            logs.resolve("abandoned-" + args[0] + ".log"));
    System.out.println(lab.prefix() + " " + sleeper.pid());
    System.out.flush();
    if (args[0].equals("exit")) {
      System.exit(0);
    }
    Runtime.getRuntime().halt(0);
  }
}
