package dev.parley.server.transport;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host a client named to reach us: the {@code Host} of its request without the port, or, if it
 * named none we can use, the address its connection arrived at. Only a host name or an IP address
 * passes, so what a client sends can never put anything else into a URL.
 */
final class RequestHost {
  private static final Pattern HOST =
      Pattern.compile("([A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}\\])(?::\\d{1,5})?");

  private RequestHost() {}

  /**
   * A server's requests' hosts, each connection keeping the one its upgrade named: nearly every
   * client names the same host, so a host equal to the last one seen is given as that same string,
   * and an idle connection holds no copy of its own (about 50 bytes each, docs/benchmarks.md).
   */
  static final class Recent {
    private volatile String last = "";

    String of(HttpRequest request, Channel channel) {
      String host = RequestHost.of(request, channel);
      String seen = last;
      if (seen.equals(host)) {
        return seen;
      }
      last = host;
      return host;
    }
  }

  static String of(HttpRequest request, Channel channel) {
    String header = request.headers().get(HttpHeaderNames.HOST, "");
    Matcher host = HOST.matcher(header);
    if (host.matches() && !host.group(1).startsWith(".") && !host.group(1).endsWith("-")) {
      return host.group(1);
    }
    return channel.localAddress() instanceof InetSocketAddress local ? literal(local) : "localhost";
  }

  private static String literal(InetSocketAddress address) {
    String ip = address.getAddress().getHostAddress();
    return address.getAddress() instanceof Inet6Address ? "[" + ip.replaceAll("%.*", "") + "]" : ip;
  }
}
