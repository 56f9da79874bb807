package dev.parley.app.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;

/**
 * A command for a person at a terminal (the clients, and {@code parley invite}): runs, and turns a
 * {@link CliException} into its sentence and exit code.
 */
abstract class ClientCommand implements Callable<Integer> {

  abstract int execute(PrintStream out, PrintStream err) throws Exception;

  @Override
  public Integer call() throws Exception {
    try {
      return execute(System.out, System.err);
    } catch (CliException e) {
      System.err.println("parley: " + e.getMessage());
      return e.code();
    }
  }
}
