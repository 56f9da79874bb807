package dev.parley.bench.p2p;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The CPU time of each thread of this process, WebRTC's native threads too, as Linux counts it
 * ({@code /proc/self/task}): where a phase of the benchmark spends its time. Empty elsewhere.
 */
final class ThreadCpu {
  /** Linux's clock ticks per second for {@code /proc} times (USER_HZ, 100 on x86-64). */
  private static final double TICKS_PER_SECOND = 100;

  private final Map<String, Long> start;
  private final long startNanos;

  private ThreadCpu(Map<String, Long> start) {
    this.start = start;
    this.startNanos = System.nanoTime();
  }

  /** Starts counting now. */
  static ThreadCpu start() {
    return new ThreadCpu(ticks());
  }

  /**
   * Each thread that used at least 5% of a core since {@link #start}, busiest first, as "name (tid)
   * NN%"; and the process's total.
   */
  String report() {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    Map<String, Long> now = ticks();
    List<Map.Entry<String, Long>> used = new ArrayList<>();
    long total = 0;
    for (Map.Entry<String, Long> e : now.entrySet()) {
      long delta = e.getValue() - start.getOrDefault(e.getKey(), 0L);
      total += delta;
      used.add(Map.entry(e.getKey(), delta));
    }
    used.sort(Map.Entry.<String, Long>comparingByValue().reversed());
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "all %.0f%%", percent(total, seconds)));
    for (Map.Entry<String, Long> e : used) {
      double p = percent(e.getValue(), seconds);
      if (p >= 5) {
        b.append(String.format(Locale.ROOT, ", %s %.0f%%", e.getKey(), p));
      }
    }
    return b.toString();
  }

  private static double percent(long ticks, double seconds) {
    return seconds <= 0 ? 0 : 100 * ticks / TICKS_PER_SECOND / seconds;
  }

  /** utime + stime of each thread, by "name (tid)". */
  private static Map<String, Long> ticks() {
    Map<String, Long> result = new HashMap<>();
    Path tasks = Path.of("/proc/self/task");
    if (!Files.isDirectory(tasks)) {
      return result;
    }
    try (Stream<Path> list = Files.list(tasks)) {
      for (Path task : list.toList()) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          int close = stat.lastIndexOf(')');
          String name = stat.substring(stat.indexOf('(') + 1, close);
          List<String> fields = List.of(stat.substring(close + 2).trim().split(" +", -1));
          // After the name: state is field 3, utime 14 and stime 15 (1-based, in proc(5)).
          long ticks = Long.parseLong(fields.get(11)) + Long.parseLong(fields.get(12));
          result.put(name + " (" + task.getFileName() + ")", ticks);
        } catch (IOException | RuntimeException gone) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException e) {
      return result;
    }
    return result;
  }
}
