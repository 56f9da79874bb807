package dev.parley.stun;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A TURN server's URL (RFC 7065): {@code turn:host[:port][?transport=udp|tcp]} or {@code
 * turns:host[:port][?transport=tcp]}, with IPv6 literals in brackets. {@link #toString()} is the
 * canonical form: lower case, port always written.
 *
 * @param host a host name or IPv4 address, or an IPv6 address without its brackets
 * @param transport the transport the URL names, if it names one
 */
public record TurnUrl(Scheme scheme, String host, int port, Optional<Transport> transport) {
  private static final Pattern URL =
      Pattern.compile(
          "(?<scheme>[^:]*):(?<host>\\[[^\\]]*\\]|[^:?\\[]*)(?::(?<port>[^?]*))?(?:\\?(?<query>.*))?");
  private static final Pattern HOST_NAME =
      Pattern.compile("[a-z0-9]([a-z0-9_-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9_-]*[a-z0-9])?)*");
  private static final Pattern IPV4 = Pattern.compile("[0-9.]+");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]+");

  /** {@code turn:} (plain UDP or TCP) and {@code turns:} (TLS over TCP), with default ports. */
  public enum Scheme {
    TURN(3478),
    TURNS(5349);

    private final int defaultPort;

    Scheme(int defaultPort) {
      this.defaultPort = defaultPort;
    }

    public int defaultPort() {
      return defaultPort;
    }
  }

  public enum Transport {
    UDP,
    TCP
  }

  public TurnUrl {
    host = checkHost(host.toLowerCase(Locale.ROOT));
    if (port < 1 || port > 0xFFFF) {
      throw new IllegalArgumentException("a TURN port is from 1 to 65535, not " + port);
    }
    if (scheme == Scheme.TURNS && transport.equals(Optional.of(Transport.UDP))) {
      throw new IllegalArgumentException(
          "turns: means TLS over TCP; transport=udp (DTLS) is not supported");
    }
  }

  /**
   * Parses a TURN URL.
   *
   * @throws IllegalArgumentException saying what is wrong with {@code url}
   */
  public static TurnUrl parse(String url) {
    Matcher parts = URL.matcher(url.strip());
    if (!parts.matches()) {
      throw invalid(url, "expected turn:host[:port][?transport=udp|tcp] or turns:host[:port]");
    }
    Scheme scheme =
        switch (parts.group("scheme").toLowerCase(Locale.ROOT)) {
          case "turn" -> Scheme.TURN;
          case "turns" -> Scheme.TURNS;
          default -> throw invalid(url, "the scheme must be turn: or turns:");
        };
    if (parts.group("port") != null && parts.group("port").contains(":")) {
      throw invalid(url, "an IPv6 address needs brackets, as in turn:[::1]:3478");
    }
    String host = unbracketed(url, parts.group("host"));
    int port = parts.group("port") == null ? scheme.defaultPort() : port(url, parts.group("port"));
    Optional<Transport> transport = transport(url, parts.group("query"));
    try {
      return new TurnUrl(scheme, host, port, transport);
    } catch (IllegalArgumentException e) {
      throw invalid(url, e.getMessage());
    }
  }

  /**
   * The transport a client uses: the named one, else UDP for {@code turn:} and TCP for {@code
   * turns:}.
   */
  public Transport effectiveTransport() {
    return transport.orElse(scheme == Scheme.TURN ? Transport.UDP : Transport.TCP);
  }

  /**
   * This URL with its transport made explicit: a {@code turn:} URL without one becomes two, UDP and
   * TCP, since browsers and libwebrtc try only UDP for it and a check must not stop there; any
   * other URL is returned alone.
   */
  public List<TurnUrl> expand() {
    if (scheme == Scheme.TURN && transport.isEmpty()) {
      return List.of(
          new TurnUrl(scheme, host, port, Optional.of(Transport.UDP)),
          new TurnUrl(scheme, host, port, Optional.of(Transport.TCP)));
    }
    return List.of(this);
  }

  @Override
  public String toString() {
    String hostPart = host.contains(":") ? "[" + host + "]" : host;
    return scheme.name().toLowerCase(Locale.ROOT)
        + ":"
        + hostPart
        + ":"
        + port
        + transport.map(t -> "?transport=" + t.name().toLowerCase(Locale.ROOT)).orElse("");
  }

  /** The host part without the brackets of an IPv6 literal, which only IPv6 may have. */
  private static String unbracketed(String url, String host) {
    if (host.startsWith("//")) {
      throw invalid(url, "a TURN URL has no '//': write turn:host:port");
    }
    if (host.startsWith("[")) {
      String literal = host.substring(1, host.length() - 1);
      if (!literal.contains(":")) {
        throw invalid(url, host + " is not an IPv6 address");
      }
      return literal;
    }
    return host;
  }

  /** An IPv6 address (with a colon), an IPv4 address (digits and dots) or a host name. */
  private static String checkHost(String host) {
    if (host.isEmpty()) {
      throw new IllegalArgumentException("no host");
    }
    if (host.contains(":")) {
      if (!IPV6.matcher(host).matches() || !isIpv6(host)) {
        throw new IllegalArgumentException("[" + host + "] is not an IPv6 address");
      }
    } else if (IPV4.matcher(host).matches()) {
      if (!isIpv4(host)) {
        throw new IllegalArgumentException(host + " is not an IPv4 address");
      }
    } else if (!HOST_NAME.matcher(host).matches()) {
      throw new IllegalArgumentException(
          "'" + host + "' is not a host name (an IPv6 address needs brackets)");
    }
    return host;
  }

  /** Four decimal numbers from 0 to 255, checked by hand: the JDK would take "1.2.3" too. */
  private static boolean isIpv4(String host) {
    String[] numbers = host.split("\\.", -1);
    if (numbers.length != 4) {
      return false;
    }
    for (String number : numbers) {
      if (number.isEmpty() || number.length() > 3 || Integer.parseInt(number) > 255) {
        return false;
      }
    }
    return true;
  }

  /** Whether the bracketed literal is an IPv6 address; the JDK does no DNS for a bracketed one. */
  private static boolean isIpv6(String literal) {
    try {
      return InetAddress.getByName("[" + literal + "]") != null;
    } catch (UnknownHostException | IllegalArgumentException e) {
      return false;
    }
  }

  private static int port(String url, String port) {
    if (!port.matches("[0-9]{1,5}")
        || Integer.parseInt(port) < 1
        || Integer.parseInt(port) > 0xFFFF) {
      throw invalid(url, "the port must be a number from 1 to 65535, not '" + port + "'");
    }
    return Integer.parseInt(port);
  }

  private static Optional<Transport> transport(String url, @Nullable String query) {
    if (query == null) {
      return Optional.empty();
    }
    return switch (query.toLowerCase(Locale.ROOT)) {
      case "transport=udp" -> Optional.of(Transport.UDP);
      case "transport=tcp" -> Optional.of(Transport.TCP);
      default ->
          throw invalid(
              url, "the only query is transport=udp or transport=tcp, not '" + query + "'");
    };
  }

  private static IllegalArgumentException invalid(String url, String why) {
    return new IllegalArgumentException("invalid TURN URL '" + url + "': " + why);
  }
}
