package dev.parley.testkit.net;

import java.util.List;
import java.util.Map;

/**
 * The iproute2 and iptables commands that wire namespaces together. Every veth pair is created
 * inside a lab namespace with its other end placed straight into another one, so no interface of
 * the lab ever exists in the machine's own namespace, not even for a moment, and two labs never
 * compete for an interface name.
 */
final class Wiring {
  /** The one interface of a host, public or on a LAN. */
  static final String HOST_DEVICE = "eth0";

  /** A router's interface on the internet; its NAT rules name it, and the LAN bridge. */
  static final String WAN = "wan";

  private static final String LAN_BRIDGE = "lan";
  private static final String INTERNET_BRIDGE = "br0";

  private static final String PREFIX_LENGTH = "/24";

  /**
   * Bridges forward frames only: without this, br_netfilter (if loaded) sends bridged frames
   * through iptables and conntrack too, so the internet would track connections and the router
   * would filter traffic between two hosts of one LAN.
   */
  private static final Map<String, String> PLAIN_BRIDGE =
      Map.of(
          "net/bridge/bridge-nf-call-iptables", "0",
          "net/bridge/bridge-nf-call-ip6tables", "0",
          "net/bridge/bridge-nf-call-arptables", "0");

  private final Shell shell;
  private final Namespaces namespaces;

  Wiring(Shell shell, Namespaces namespaces) {
    this.shell = shell;
    this.namespaces = namespaces;
  }

  /** Makes {@code internet} a switch that public hosts and routers plug into. */
  void internet(Namespace internet) {
    ip(internet, "link", "add", INTERNET_BRIDGE, "type", "bridge");
    ip(internet, "link", "set", INTERNET_BRIDGE, "up");
    namespaces.sysctl(internet, PLAIN_BRIDGE);
  }

  /**
   * Plugs {@code machine} into the internet's bridge through port {@code port} (an interface name
   * unique in the internet's namespace) as interface {@code device} with a public address. No
   * default route: the internet is one subnet, and anything outside it must fail at once with
   * "network unreachable".
   */
  void plugIntoInternet(
      Namespace internet, String port, Namespace machine, String device, String address) {
    veth(internet, port, machine, device);
    ip(internet, "link", "set", port, "master", INTERNET_BRIDGE, "up");
    ip(machine, "addr", "add", address + PREFIX_LENGTH, "dev", device);
    ip(machine, "link", "set", device, "up");
  }

  /** Adds a further address to a public host's interface. */
  void addAddress(Namespace machine, String address) {
    ip(machine, "addr", "add", address + PREFIX_LENGTH, "dev", HOST_DEVICE);
  }

  /**
   * Gives {@code router} a LAN bridge with address {@code gateway}, a default route to the internet
   * (refused at the lab's edge by {@link NatKind#rules}), and lets it forward. ICMP errors are not
   * rate-limited, so that every connection to outside the lab fails as fast as the first.
   */
  void router(Namespace router, String gateway) {
    ip(router, "link", "add", LAN_BRIDGE, "type", "bridge");
    ip(router, "addr", "add", gateway + PREFIX_LENGTH, "dev", LAN_BRIDGE);
    ip(router, "link", "set", LAN_BRIDGE, "up");
    ip(router, "route", "add", "default", "dev", WAN);
    namespaces.sysctl(router, PLAIN_BRIDGE);
    namespaces.sysctl(router, Map.of("net/ipv4/ip_forward", "1", "net/ipv4/icmp_ratelimit", "0"));
  }

  /**
   * Plugs {@code host}, the router's {@code number}th, into the router's LAN, routing everything
   * through the router.
   */
  void plugIntoLan(Namespace router, int number, Namespace host, String address, String gateway) {
    String port = "lan" + number;
    veth(router, port, host, HOST_DEVICE);
    ip(router, "link", "set", port, "master", LAN_BRIDGE, "up");
    ip(host, "addr", "add", address + PREFIX_LENGTH, "dev", HOST_DEVICE);
    ip(host, "link", "set", HOST_DEVICE, "up");
    ip(host, "route", "add", "default", "via", gateway);
  }

  /**
   * Replaces the router's rules with those of {@code nat}, and forgets every connection it tracked,
   * so that no mapping or firewall state of an earlier test survives into the next.
   */
  void applyNat(Namespace router, NatKind nat) {
    shell.exec(
        router,
        List.of(shell.tool("iptables-restore")),
        nat.rules(NetworkLab.INTERNET_SUBNET),
        Shell.TIMEOUT);
    shell.exec(router, List.of(shell.tool("conntrack"), "-F"), null, Shell.TIMEOUT);
  }

  /**
   * A veth pair: {@code device} in {@code here}, its peer {@code peer} straight in {@code there}.
   */
  private void veth(Namespace here, String device, Namespace there, String peer) {
    ip(here, "link", "add", device, "type", "veth", "peer", "name", peer, "netns", there.name());
  }

  private void ip(Namespace namespace, String... arguments) {
    String[] line = new String[arguments.length + 2];
    line[0] = "-n";
    line[1] = namespace.name();
    System.arraycopy(arguments, 0, line, 2, arguments.length);
    shell.run("ip", line);
  }
}
