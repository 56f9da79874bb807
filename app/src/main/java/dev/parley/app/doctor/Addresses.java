package dev.parley.app.doctor;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.time.Duration;

/** Addresses and durations as people read them: {@code 192.0.2.1:3478}, {@code [::1]:3478}, 5 s. */
final class Addresses {
  private Addresses() {}

  static String text(InetSocketAddress address) {
    String host =
        address.getAddress() == null
            ? address.getHostString()
            : address.getAddress().getHostAddress();
    if (address.getAddress() instanceof Inet6Address) {
      host = "[" + host + "]";
    }
    return host + ":" + address.getPort();
  }

  static String text(Duration duration) {
    return duration.toMillis() % 1000 == 0
        ? duration.toSeconds() + " s"
        : duration.toMillis() + " ms";
  }
}
