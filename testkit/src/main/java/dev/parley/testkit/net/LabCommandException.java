package dev.parley.testkit.net;

import java.util.List;

/** A command that a {@link NetworkLab} ran failed or did not finish in time. */
public final class LabCommandException extends RuntimeException {
  private final List<String> command;
  private final String stderr;

  LabCommandException(List<String> command, String problem, String stderr) {
    super(
        String.join(" ", command)
            + ": "
            + problem
            + (stderr.isBlank() ? "" : "; stderr: " + stderr.strip()));
    this.command = List.copyOf(command);
    this.stderr = stderr;
  }

  public List<String> command() {
    return command;
  }

  public String stderr() {
    return stderr;
  }
}
