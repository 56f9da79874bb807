package dev.parley.app.cli;

import dev.parley.testkit.ParleyCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code parley} as a process of its own on the test's class path, as a user would, and
 * collects its exit code, standard output and standard error.
 */
final class ParleyProcess {
  record Result(int code, String out, String err) {}

  private ParleyProcess() {}

  /** Runs {@code parley args...}, with files under {@code logs} for its output. */
  static Result run(Path logs, List<String> args) throws IOException, InterruptedException {
    List<String> command = ParleyCommand.of(args);
    Files.createDirectories(logs);
    Path out = Files.createTempFile(logs, args.get(0) + "-", ".out");
    Path err = Files.createTempFile(logs, args.get(0) + "-", ".err");
    Process p =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    p.getOutputStream().close(); // nothing on standard input
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("parley " + args + " did not finish within 90 s");
    }
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }
}
