package dev.parley.testkit.net;

import java.util.ArrayList;
import java.util.List;

/**
 * A home or an office: a router with a public address on the internet, and a LAN (a bridge in the
 * router's namespace) of one or more hosts with private addresses, whose default route is the
 * router. Create one with {@link NetworkLab#site}, add hosts with {@link NetworkLab#addHost}, and
 * change how it translates with {@link NetworkLab#changeNat}.
 */
public final class Site {
  private final String name;
  private final Namespace router;
  private final String publicAddress;
  private final String lanPrefix;
  private final List<Host> hosts = new ArrayList<>();
  private NatKind nat;

  Site(String name, Namespace router, String publicAddress, String lanPrefix, NatKind nat) {
    this.name = name;
    this.router = router;
    this.publicAddress = publicAddress;
    this.lanPrefix = lanPrefix;
    this.nat = nat;
  }

  public String name() {
    return name;
  }

  /**
   * The router's namespace, for looking at its state: {@code conntrack -L}, {@code iptables -S}.
   */
  public Namespace router() {
    return router;
  }

  /** The router's address on the internet, which every host of the site shares. */
  public String publicAddress() {
    return publicAddress;
  }

  /** The router's address on the LAN, which every host of the site routes through. */
  public String gateway() {
    return lanPrefix + "1";
  }

  /** The first host of the site, created with it. */
  public synchronized Host host() {
    return hosts.getFirst();
  }

  /** Every host of the site, in the order they were added. */
  public synchronized List<Host> hosts() {
    return List.copyOf(hosts);
  }

  public synchronized NatKind nat() {
    return nat;
  }

  /** The private address of the next host: .10, .11 and so on. */
  synchronized String nextHostAddress() {
    return lanPrefix + (10 + hosts.size());
  }

  synchronized void add(Host host) {
    hosts.add(host);
  }

  synchronized void nat(NatKind nat) {
    this.nat = nat;
  }

  @Override
  public String toString() {
    return name + " (" + nat + " at " + publicAddress + ")";
  }
}
