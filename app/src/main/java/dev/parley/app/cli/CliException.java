package dev.parley.app.cli;

/** A problem to tell the user in one sentence, with the exit code that goes with it. */
final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int code;

  CliException(int code, String message) {
    super(message);
    this.code = code;
  }

  int code() {
    return code;
  }
}
