package dev.parley.server.transport;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.OptionalLong;
import org.slf4j.Logger;

/**
 * The process's limit on open files, which caps its connections. HotSpot on Linux raises its own
 * soft limit to the hard limit at start ({@code -XX:+MaxFDLimit}, on by default): a shell's {@code
 * ulimit -n 1024} does not hold the server back, only the hard limit (systemd's {@code
 * LimitNOFILE}) does. The server says at start what it got.
 */
public final class OpenFiles {
  /** Below this, a server meant for thousands of users runs out of descriptors: warn. */
  static final long LOW = 4096;

  private OpenFiles() {}

  /** The limit, where the platform tells it. */
  public static OptionalLong limit() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof UnixOperatingSystemMXBean unix
        ? OptionalLong.of(unix.getMaxFileDescriptorCount())
        : OptionalLong.empty();
  }

  /** One line on the limit; a warning when it is low. */
  public static void log(Logger log) {
    OptionalLong limit = limit();
    if (limit.isEmpty()) {
      return;
    }
    if (limit.getAsLong() < LOW) {
      log.warn(
          "Open files: at most {}, so at most about that many connections; raise the hard limit"
              + " (LimitNOFILE= in a systemd unit, nofile in limits.conf) for more users",
          limit.getAsLong());
    } else {
      log.info(
          "Open files: at most {} (the system's hard limit; the JVM raised its own to it)",
          limit.getAsLong());
    }
  }
}
