package dev.parley.app.chaos;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code parley} processes a test starts, each logging under one directory; all end with it.
 */
final class Runs implements AutoCloseable {
  private final Path logs;
  private final List<ParleyRun> started = new ArrayList<>();

  Runs(Path logs) {
    this.logs = logs;
  }

  /** Starts {@code parley ARGS}, logging as {@code label}. */
  ParleyRun start(String label, List<String> args) {
    ParleyRun run = ParleyRun.start(logs, label, args);
    started.add(run);
    return run;
  }

  @Override
  public void close() {
    started.forEach(ParleyRun::close);
  }
}
