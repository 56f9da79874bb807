package dev.parley.server.transport;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The load balancers whose connections may begin with a PROXY protocol header (v1 or v2) naming the
 * client they carry: for such a connection that client's address, not the balancer's, is what
 * per-address limits count and logs show. A header from anyone else is not read (it fails as the
 * bad HTTP it is), so a client cannot claim another's address.
 *
 * <p>The networks are parsed once, at start: {@link #trusts} runs at every accepted connection.
 */
public final class TrustedProxies {
  public static final TrustedProxies NONE = new TrustedProxies(List.of());

  @SuppressWarnings("ArrayRecordComponent") // a carrier, never compared or hashed
  private record Network(byte[] address, int prefix) {}

  private final List<String> networks;
  private final List<Network> parsed;

  /**
   * @param networks the addresses and networks, as written: {@code 10.0.0.5}, {@code 10.0.0.0/8},
   *     {@code fd00::/8}
   * @throws IllegalArgumentException naming one that does not parse
   */
  public TrustedProxies(List<String> networks) {
    this.networks = List.copyOf(networks);
    this.parsed = parse(this.networks);
  }

  /** The addresses and networks, as written. */
  public List<String> networks() {
    return networks;
  }

  /** Whether connections from {@code address} may carry a PROXY header. */
  public boolean trusts(InetAddress address) {
    if (parsed.isEmpty()) {
      return false;
    }
    byte[] raw = address.getAddress();
    for (Network network : parsed) {
      if (network.address().length == raw.length && matches(network, raw)) {
        return true;
      }
    }
    return false;
  }

  public boolean isEmpty() {
    return networks.isEmpty();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TrustedProxies that && networks.equals(that.networks);
  }

  @Override
  public int hashCode() {
    return networks.hashCode();
  }

  @Override
  public String toString() {
    return "TrustedProxies" + networks;
  }

  private static boolean matches(Network network, byte[] raw) {
    int bits = network.prefix();
    for (int i = 0; i < raw.length && bits > 0; i++, bits -= 8) {
      int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
      if ((raw[i] & mask) != (network.address()[i] & mask)) {
        return false;
      }
    }
    return true;
  }

  private static List<Network> parse(List<String> networks) {
    List<Network> parsed = new ArrayList<>();
    for (String text : networks) {
      String[] parts = text.strip().split("/", 2);
      if (!parts[0].matches("[0-9A-Fa-f:.]+")) {
        throw invalid(text); // a literal address, never a name to look up
      }
      byte[] address;
      try {
        address = InetAddress.getByName(parts[0]).getAddress();
      } catch (UnknownHostException e) {
        throw invalid(text);
      }
      int prefix = address.length * 8;
      if (parts.length == 2) {
        try {
          prefix = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
          throw invalid(text);
        }
        if (prefix < 0 || prefix > address.length * 8) {
          throw invalid(text);
        }
      }
      parsed.add(new Network(address, prefix));
    }
    return parsed;
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException(
        "--trusted-proxies takes addresses or networks such as 10.0.0.5 or 10.0.0.0/8, not '"
            + text
            + "'");
  }
}
