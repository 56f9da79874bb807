package dev.parley.bench.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and resident memory of a process, read from {@code /proc} by its PID. */
public final class ProcStats {
  private static final double CLOCK_TICKS = 100.0; // USER_HZ on Linux

  private ProcStats() {}

  /** CPU time (user + system) process {@code pid} has used so far, in seconds. */
  public static double cpuSeconds(long pid) {
    String stat = read(pid, "stat");
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
    // After the command name: state is field 3; utime and stime are fields 14 and 15.
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / CLOCK_TICKS;
  }

  /**
   * CPU time of process {@code pid} and of all its children, living or reaped (PostgreSQL's
   * postmaster and its backends), in seconds.
   */
  static double treeCpuSeconds(long pid) {
    String stat = read(pid, "stat");
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
    // cutime and cstime (fields 16 and 17): the children it has waited for.
    double sum = (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) / CLOCK_TICKS;
    sum += cpuSeconds(pid);
    for (ProcessHandle child :
        ProcessHandle.of(pid).map(p -> p.descendants().toList()).orElse(java.util.List.of())) {
      try {
        sum += cpuSeconds(child.pid());
      } catch (UncheckedIOException ended) {
        // A backend that ended meanwhile: its time is its parent's cutime from now on.
      }
    }
    return sum;
  }

  /** Resident memory of process {@code pid}, in bytes. */
  static long rssBytes(long pid) {
    for (String line : read(pid, "status").split("\n", -1)) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
      }
    }
    throw new IllegalStateException("no VmRSS for process " + pid);
  }

  private static String read(long pid, String file) {
    try {
      return Files.readString(Path.of("/proc", String.valueOf(pid), file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /proc of process " + pid, e);
    }
  }
}
