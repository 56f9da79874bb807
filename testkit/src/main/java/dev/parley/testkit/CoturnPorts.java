package dev.parley.testkit;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The ports a coturn takes: one for its UDP and TCP listeners, maybe one for TLS, and a range for
 * relays. Listener ports are checked free on this machine, over UDP and TCP alike; relay ports are
 * not, since coturn skips a taken one by itself. The relay range lies below Linux's ephemeral ports
 * (32768 up), where fewer clients' sockets sit.
 */
record CoturnPorts(int listening, OptionalInt tls, int relayMin) {
  private static final int RELAY_PORTS = 100;

  int relayMax() {
    return relayMin + RELAY_PORTS - 1;
  }

  static CoturnPorts choose(CoturnOptions options) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int relayMin = random.nextInt(20_000, 32_000 - RELAY_PORTS);
    if (!options.commandPrefix().isEmpty()) {
      // Another network namespace: its ports cannot be checked from here, and are all free anyway.
      int listening = random.nextInt(10_000, 19_000);
      return new CoturnPorts(
          listening, options.tls() ? OptionalInt.of(listening + 1) : OptionalInt.empty(), relayMin);
    }
    int listening = freePort(options.listeningIp(), 0);
    OptionalInt tls =
        options.tls()
            ? OptionalInt.of(freePort(options.listeningIp(), listening))
            : OptionalInt.empty();
    return new CoturnPorts(listening, tls, relayMin);
  }

  /** A port free for TCP and UDP on {@code ip}, other than {@code except}. */
  private static int freePort(String ip, int except) {
    try {
      InetAddress address = InetAddress.getByName(ip);
      for (int attempt = 0; attempt < 50; attempt++) {
        try (ServerSocket tcp = new ServerSocket(0, 1, address)) {
          int port = tcp.getLocalPort();
          if (port != except && udpFree(address, port)) {
            return port;
          }
        }
      }
      throw new IllegalStateException("no port free for both UDP and TCP on " + ip);
    } catch (IOException e) {
      throw new IllegalStateException("cannot find a free port on " + ip, e);
    }
  }

  private static boolean udpFree(InetAddress address, int port) {
    try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(address, port))) {
      return udp.getLocalPort() == port;
    } catch (IOException e) {
      return false;
    }
  }
}
