package dev.parley.testkit.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The lab's NATs behave as their kinds claim, seen from both ends: probes in the namespaces report
 * what they send and the source address and port of what reaches them. One lab serves every test;
 * each test sets the NAT it needs, and uses UDP ports of its own so that no mapping of another test
 * can help or hinder it.
 */
@Timeout(60)
class NetworkLabTest {
  private static final String SERVER = "203.0.113.10";
  private static final String SERVER_TOO = "203.0.113.11";
  private static final int UDP = 5000;
  private static final int OTHER_UDP = 5001;
  private static final int TCP = 6000;
  private static final Executor VIRTUAL = runnable -> Thread.ofVirtual().start(runnable);

  private static RootNamespace before;
  private static NetworkLab lab;
  private static Host server;
  private static Site a;
  private static Site b;
  private static Probe atServer;
  private static Probe atA;
  private static Probe atB;

  @BeforeAll
  static void buildTheLab() {
    before = RootNamespace.now();
    lab = NetworkLab.create();
    server = lab.publicHost("server", SERVER);
    lab.addAddress(server, SERVER_TOO);
    a = lab.site("a", NatKind.HOME);
    b = lab.site("b", NatKind.HOME);
    // Started side by side, then awaited: each JVM takes a moment to start.
    atServer = Probe.start(lab, server);
    atA = Probe.start(lab, a.host());
    atB = Probe.start(lab, b.host());
    Stream.of(atServer, atA, atB).forEach(Probe::ready);
    atServer.openUdp(UDP);
    atServer.openUdp(OTHER_UDP);
    atServer.openTcp(TCP);
  }

  @AfterAll
  static void closeTheLab() {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void aHomeRouterShowsOneSocketAsOnePublicAddressAndPortToEveryDestination() {
    lab.changeNat(a, NatKind.HOME);
    atA.openUdp(40001);

    atA.send(40001, SERVER, UDP, "home-1");
    atA.send(40001, SERVER_TOO, UDP, "home-2");

    String mapped = a.publicAddress() + ":40001";
    assertThat(atServer.awaitPing("home-1")).isEqualTo(mapped);
    assertThat(atServer.awaitPing("home-2")).isEqualTo(mapped);
    assertThat(atA.awaitAnswer("home-1")).isEqualTo(mapped);
  }

  @Test
  void aHomeRouterCarriesTcpFromItsPublicAddress() {
    lab.changeNat(a, NatKind.HOME);

    String from = atA.connect(SERVER, TCP, "home-tcp");

    assertThat(Probe.address(from)).isEqualTo(a.publicAddress());
  }

  @Test
  void aSymmetricNatGivesEveryDestinationAPortOfItsOwn() {
    lab.changeNat(a, NatKind.SYMMETRIC);
    atA.openUdp(40002);

    atA.send(40002, SERVER, UDP, "symmetric-1");
    atA.send(40002, SERVER, OTHER_UDP, "symmetric-2");

    String first = atServer.awaitPing("symmetric-1");
    String second = atServer.awaitPing("symmetric-2");
    assertThat(List.of(Probe.address(first), Probe.address(second)))
        .containsOnly(a.publicAddress());
    assertThat(Probe.port(first)).isNotEqualTo(Probe.port(second));
    assertThat(lab.exec(a.router(), "conntrack", "-L", "-p", "udp", "--orig-port-src", "40002"))
        .contains("dport=" + Probe.port(first), "dport=" + Probe.port(second));
  }

  @Test
  void aSiteThatBlocksUdpLetsOnlyTcpOut() {
    lab.changeNat(a, NatKind.UDP_BLOCKED);
    atA.openUdp(40003);
    long droppedBefore = packets(a, "FORWARD", "udp-blocked");

    atA.send(40003, SERVER, UDP, "blocked");
    String from = atA.connect(SERVER, TCP, "blocked-tcp");

    assertThat(Probe.address(from)).isEqualTo(a.publicAddress());
    await().atMost(Probe.TIMEOUT).until(() -> packets(a, "FORWARD", "udp-blocked") > droppedBefore);
    assertThat(atServer.received("blocked")).isFalse();
  }

  @Test
  void unsolicitedUdpFromTheInternetDoesNotReachTheLan() {
    lab.changeNat(a, NatKind.HOME);
    atA.openUdp(40004);
    atA.send(40004, SERVER, UDP, "outbound");
    String mapped = atServer.awaitPing("outbound");
    long droppedBefore = packets(a, "INPUT", "unsolicited");

    // To the mapped port from another port of the same server, and to a port nobody mapped.
    atServer.send(OTHER_UDP, a.publicAddress(), Probe.port(mapped), "stranger");
    atServer.send(OTHER_UDP, a.publicAddress(), 40099, "nobody");
    // From the very address and port the host sent to: that gets in, and arrives after the others.
    atServer.send(UDP, a.publicAddress(), Probe.port(mapped), "known");

    atA.awaitPing("known");
    await()
        .atMost(Probe.TIMEOUT)
        .until(() -> packets(a, "INPUT", "unsolicited") >= droppedBefore + 2);
    assertThat(atA.received("stranger")).isFalse();
    assertThat(atA.received("nobody")).isFalse();
  }

  @Test
  void twoHomeSitesPunchAHoleForUdp() {
    lab.changeNat(a, NatKind.HOME);
    lab.changeNat(b, NatKind.HOME);
    atA.openUdp(40005);
    atB.openUdp(40005);
    long droppedAtB = packets(b, "INPUT", "unsolicited");

    // a's first packet opens a's router to b, and is dropped by b's router, which knows nothing
    // yet.
    atA.send(40005, b.publicAddress(), 40005, "punch-a1");
    await().atMost(Probe.TIMEOUT).until(() -> packets(b, "INPUT", "unsolicited") > droppedAtB);
    atB.send(40005, a.publicAddress(), 40005, "punch-b1");
    atA.send(40005, b.publicAddress(), 40005, "punch-a2");

    assertThat(atA.awaitPing("punch-b1")).isEqualTo(b.publicAddress() + ":40005");
    assertThat(atB.awaitPing("punch-a2")).isEqualTo(a.publicAddress() + ":40005");
    assertThat(atB.awaitAnswer("punch-b1")).isEqualTo(b.publicAddress() + ":40005");
    assertThat(atB.received("punch-a1")).isFalse();
  }

  @Test
  void twoHostsOfOneSiteShareItsPublicAddressAndReachEachOtherDirectly() {
    lab.changeNat(b, NatKind.HOME);
    Host laptop = lab.addHost(b, "laptop");
    atB.openTcp(6001);

    lab.exec(laptop.namespace(), "bash", "-c", "echo ping laptop > /dev/udp/" + SERVER + "/" + UDP);
    String overLan =
        lab.exec(
            laptop.namespace(),
            "bash",
            "-c",
            "exec 3<>/dev/tcp/" + b.host().address() + "/6001; read -r line <&3; echo $line");

    assertThat(b.hosts()).containsExactly(b.host(), laptop);
    assertThat(Probe.address(atServer.awaitPing("laptop"))).isEqualTo(b.publicAddress());
    assertThat(overLan).startsWith("seen " + laptop.address() + ":");
  }

  @Test
  void awaitingATcpPortReturnsOnceSomethingListensAndFailsIfNothingDoes() {
    lab.changeNat(a, NatKind.HOME);
    CompletableFuture<Void> waiting =
        CompletableFuture.runAsync(
            () -> lab.awaitTcpPort(a.host().namespace(), SERVER, 6002, Probe.TIMEOUT), VIRTUAL);

    atServer.openTcp(6002);

    assertThat(waiting).succeedsWithin(Probe.TIMEOUT);
    assertThatThrownBy(
            () -> lab.awaitTcpPort(b.host().namespace(), SERVER, 6003, Duration.ofSeconds(1)))
        .isInstanceOf(LabCommandException.class)
        .hasMessageContaining(SERVER + ":6003 refused connections for 1 s");
  }

  @Test
  void nothingInTheLabReachesTheMachineOrBeyond() {
    List<String> outside =
        Stream.concat(RootNamespace.addresses().stream(), Stream.of("9.9.9.9")).toList();
    // Side by side: from behind a router, each attempt takes a second.
    List<CompletableFuture<Void>> attempts = new ArrayList<>();
    for (Namespace namespace : lab.namespaces()) {
      for (String address : outside) {
        attempts.add(CompletableFuture.runAsync(() -> cannotConnect(namespace, address), VIRTUAL));
      }
    }

    CompletableFuture.allOf(attempts.toArray(CompletableFuture[]::new)).join();
  }

  /**
   * Refused at the lab's edge, a connection fails in about a second, at the SYN's first
   * retransmission, saying "Network is unreachable"; were the SYN dropped it would hang for two
   * minutes, and were it sent to the bridge, ARP would give up after three seconds with "No route
   * to host".
   */
  private static void cannotConnect(Namespace namespace, String address) {
    long started = System.nanoTime();
    assertThatThrownBy(
            () -> lab.exec(namespace, "bash", "-c", "exec 3<>/dev/tcp/" + address + "/22"))
        .describedAs("a connection from %s to %s", namespace, address)
        .isInstanceOf(LabCommandException.class)
        .hasMessageContaining("Network is unreachable");
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .describedAs("how long a connection from %s to %s took to fail", namespace, address)
        .isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void theMachinesOwnNamespaceGainsNoInterfaceOrRoute() {
    assertThat(RootNamespace.now()).isEqualTo(before);
  }

  /** How many packets the rules of a router's {@code chain} with {@code comment} have matched. */
  private static long packets(Site site, String chain, String comment) {
    return lab.exec(site.router(), "iptables", "-L", chain, "-v", "-x", "-n")
        .lines()
        .filter(line -> line.contains("/* " + comment + " */"))
        .mapToLong(line -> Long.parseLong(line.strip().split("\\s+", 2)[0]))
        .sum();
  }
}
