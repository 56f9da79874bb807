package dev.parley.testkit.net;

import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the machine's own network namespace (the test JVM's) has: interface names and routes, to
 * show that building a lab adds nothing to it.
 */
record RootNamespace(Set<String> interfaces, Set<String> routes) {
  static RootNamespace now() {
    return new RootNamespace(
        // "2: eth0: <BROADCAST,...> ..." and "5: veth1@if4: ..." give eth0 and veth1@if4.
        lines("ip", "-o", "link", "show").stream()
            .map(line -> line.split(": ", 3)[1])
            .collect(Collectors.toSet()),
        Set.copyOf(lines("ip", "route", "show", "table", "all")));
  }

  /** The machine's own IPv4 addresses, loopback aside. */
  static List<String> addresses() {
    try {
      return NetworkInterface.networkInterfaces()
          .flatMap(NetworkInterface::inetAddresses)
          .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress())
          .map(address -> address.getHostAddress())
          .toList();
    } catch (SocketException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> lines(String... command) {
    return Shell.run(List.of(command), null, Duration.ofSeconds(10)).lines().toList();
  }
}
