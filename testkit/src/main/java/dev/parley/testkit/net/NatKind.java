package dev.parley.testkit.net;

/**
 * How a site's router translates and filters, as iptables rules on its {@code wan} interface
 * (public address, on the internet's bridge) and its {@code lan} bridge (private subnet).
 *
 * <p>Every kind has the firewall of a home router: from the internet, only replies to what the LAN
 * sent get in (filtering that depends on the remote address and port, as Linux conntrack does). The
 * DROP on the router's own INPUT is essential, not decoration: without it an unsolicited UDP packet
 * from a peer that punches a hole first creates a conntrack entry on the router (unconfirmed, then
 * confirmed once delivered locally) for the very public port the LAN host uses; MASQUERADE then
 * finds that port taken and maps the host's own packets to that peer to another port, so hole
 * punching fails. With the DROP, the unconfirmed entry dies with the packet. (Measured in this
 * lab.)
 */
public enum NatKind {
  /**
   * A home router: endpoint-independent mapping that keeps the host's source port when it is free,
   * so one socket shows one public address and port to every destination (STUN works; two such
   * sites can punch holes).
   */
  HOME,
  /**
   * A symmetric NAT, as mobile carriers run: every new destination gets its own randomly chosen
   * public port, so the port STUN reports is useless to a peer and only a relay connects.
   */
  SYMMETRIC,
  /**
   * A {@link #HOME} router whose firewall drops all UDP leaving the LAN, so only TCP gets out (TURN
   * over TCP or TLS is the way through). No exception for DNS: the lab has none.
   */
  UDP_BLOCKED;

  /**
   * The router's complete rule set in iptables-restore format; it replaces the nat and filter
   * tables. The rules marked {@code lab-edge} are the lab's, not the NAT's: the router routes
   * everything to its wan (a home host needs a default route, and browsers look for one), so the
   * lab refuses here what is outside {@code internet}, with an ICMP error that its sender sees as
   * "network unreachable" (a TCP connect fails at the SYN's first retransmission, after a second).
   */
  String rules(String internet) {
    String masquerade =
        "-A POSTROUTING -o wan -j MASQUERADE" + (this == SYMMETRIC ? " --random-fully" : "");
    String blockUdp =
        this == UDP_BLOCKED
            ? "-A FORWARD -i lan -o wan -p udp -m comment --comment udp-blocked -j DROP\n"
            : "";
    return """
        *nat
        :PREROUTING ACCEPT [0:0]
        :INPUT ACCEPT [0:0]
        :OUTPUT ACCEPT [0:0]
        :POSTROUTING ACCEPT [0:0]
        %1$s
        COMMIT
        *filter
        :INPUT ACCEPT [0:0]
        :FORWARD ACCEPT [0:0]
        :OUTPUT ACCEPT [0:0]
        -A INPUT -i wan -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
        -A INPUT -i wan -m comment --comment unsolicited -j DROP
        -A FORWARD -o wan ! -d %2$s -m comment --comment lab-edge -j REJECT --reject-with icmp-net-unreachable
        %3$s-A FORWARD -i lan -o wan -j ACCEPT
        -A FORWARD -i wan -o lan -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
        -A FORWARD -m comment --comment unsolicited -j DROP
        -A OUTPUT -o wan ! -d %2$s -m comment --comment lab-edge -j REJECT --reject-with icmp-net-unreachable
        COMMIT
        """
        .formatted(masquerade, internet, blockUdp);
  }
}
