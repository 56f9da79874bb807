package dev.parley.server.stun;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Binds the responder's UDP sockets. On a wildcard host, one socket per local address: a socket
 * bound to the wildcard answers from the host's primary address, and a NAT drops an answer that
 * does not come from the address its request went to. Addresses that appear later are served after
 * a restart.
 */
final class StunSockets {
  private StunSockets() {}

  /** The addresses {@code host} stands for: itself, or every local one if it is a wildcard. */
  static List<InetAddress> addresses(String host) throws IOException {
    InetAddress address = InetAddress.getByName(host);
    if (!address.isAnyLocalAddress()) {
      return List.of(address);
    }
    List<InetAddress> all = new ArrayList<>();
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp()) {
        continue;
      }
      for (InetAddress local : Collections.list(nic.getInetAddresses())) {
        boolean family = address instanceof Inet6Address || !(local instanceof Inet6Address);
        if (family && !local.isLinkLocalAddress()) {
          all.add(local);
        }
      }
    }
    return all;
  }

  /**
   * Binds {@code port} (0: a free one, the same on every address) on each address, or none.
   *
   * @throws SocketException if one address cannot have it, after closing those that could
   */
  static List<DatagramChannel> bind(List<InetAddress> addresses, int port) throws IOException {
    List<DatagramChannel> bound = new ArrayList<>();
    int chosen = port;
    try {
      for (InetAddress address : addresses) {
        DatagramChannel channel =
            DatagramChannel.open(
                address instanceof Inet6Address
                    ? StandardProtocolFamily.INET6
                    : StandardProtocolFamily.INET);
        bound.add(channel);
        channel.bind(new InetSocketAddress(address, chosen));
        chosen = ((InetSocketAddress) channel.getLocalAddress()).getPort();
      }
      return bound;
    } catch (IOException e) {
      closeAll(bound);
      throw e;
    }
  }

  static void closeAll(List<DatagramChannel> channels) {
    for (DatagramChannel channel : channels) {
      try {
        channel.close();
      } catch (IOException e) {
        // closing: nothing left to do
      }
    }
  }
}
