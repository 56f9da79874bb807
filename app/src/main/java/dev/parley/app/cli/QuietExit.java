package dev.parley.app.cli;

/**
 * webrtc-java 0.14.0 prints "Failed to attach thread" on standard output as the process exits (its
 * native threads cannot attach to a JVM that is going away; fixed upstream, not released). That
 * would end every {@code receive --json} stream with a line that is not JSON, so once all our
 * output is written, standard output is closed: the JDK then points it at /dev/null.
 */
public final class QuietExit {
  private QuietExit() {}

  /** Flushes and closes standard output; call it once nothing more is to be printed. */
  public static void closeStandardOutput() {
    System.out.flush();
    System.out.close();
  }
}
