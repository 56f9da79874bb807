package dev.parley.server.tls;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The names a self-signed certificate is for when none are given: every way to reach this host. */
public final class LocalNames {
  private LocalNames() {}

  /**
   * localhost, the loopback addresses, {@code host} unless it is a wildcard, this machine's name
   * and the addresses of its interfaces that are up.
   */
  public static List<String> of(String host) {
    Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
    if (!host.equals("0.0.0.0") && !host.equals("::") && !host.isBlank()) {
      names.add(host);
    }
    try {
      names.add(InetAddress.getLocalHost().getHostName());
    } catch (UnknownHostException e) {
      // no name for this machine: its addresses will do
    }
    try {
      for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (network.isUp()) {
          for (InetAddress address : Collections.list(network.getInetAddresses())) {
            if (!address.isLinkLocalAddress()) {
              names.add(address.getHostAddress().replaceAll("%.*$", ""));
            }
          }
        }
      }
    } catch (SocketException e) {
      // the interfaces cannot be listed: the names above will do
    }
    return List.copyOf(names);
  }
}
