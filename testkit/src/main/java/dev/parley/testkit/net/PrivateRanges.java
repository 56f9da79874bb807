package dev.parley.testkit.net;

import java.util.List;

/**
 * The address ranges a relay on the internet must not send to, in coturn's {@code denied-peer-ip}
 * form: private, loopback, link-local, shared (carrier-grade NAT) and other special-purpose IPv4
 * ranges, and their IPv6 counterparts. docs/operations.md gives coturn the same list.
 *
 * <p>In the lab this is not only hygiene: a relay host has no route to private ranges, so coturn's
 * send to a peer's private (host) candidate fails with "network unreachable", and coturn then
 * closes the whole allocation, breaking the link it carries. A relay that refuses to create a
 * permission for such an address never tries.
 */
public final class PrivateRanges {
  public static final List<String> DENIED_PEERS =
      List.of(
          "0.0.0.0-0.255.255.255",
          "10.0.0.0-10.255.255.255",
          "100.64.0.0-100.127.255.255",
          "127.0.0.0-127.255.255.255",
          "169.254.0.0-169.254.255.255",
          "172.16.0.0-172.31.255.255",
          "192.0.0.0-192.0.0.255",
          "192.168.0.0-192.168.255.255",
          "198.18.0.0-198.19.255.255",
          "240.0.0.0-255.255.255.255",
          "::1",
          "64:ff9b::-64:ff9b::ffff:ffff",
          "fc00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
          "fe80::-febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff");

  private PrivateRanges() {}
}
