package dev.parley.testkit;

import java.util.ArrayList;
import java.util.List;

/**
 * The command line that runs {@code parley ARGS} as a process of its own, on the class path of the
 * test that starts it (which has the app's classes when the test module depends on the app), with
 * the JVM that runs the test: what a user runs, without a build in between.
 */
public final class ParleyCommand {
  private static final String MAIN = "dev.parley.app.Main";

  private ParleyCommand() {}

  public static List<String> of(List<String> args) {
    List<String> command = new ArrayList<>(launcher());
    command.addAll(args);
    return command;
  }

  /** What comes before {@code parley}'s own arguments: the JVM, its options and the main class. */
  public static List<String> launcher() {
    String java = ProcessHandle.current().info().command().orElse("java");
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", classpath, MAIN);
  }
}
