package dev.parley.app.cli;

import dev.parley.server.ParleyServer;
import dev.parley.server.ServerConfig;
import dev.parley.server.directory.JdbcDirectory;
import dev.parley.server.session.Registration;
import dev.parley.server.stun.StunService;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code parley server} prints once it listens: where to point a browser, PeerJS apps and
 * peers, and what will not work with this configuration, said once at start rather than found out
 * by users.
 */
final class StartupMessage {
  private StartupMessage() {}

  static List<String> lines(ServerConfig config, ParleyServer server) {
    List<String> lines = new ArrayList<>();
    InetAddress bound = server.address().getAddress();
    boolean everywhere = bound.isAnyLocalAddress();
    boolean local = bound.isLoopbackAddress();
    String scheme = server.secure() ? "https://" : "http://";
    String shown = everywhere ? "localhost" : urlHost(server.address().getHostString());
    String where = scheme + shown + ":" + server.port();
    lines.add(
        "Parley is listening on "
            + (everywhere ? "every address of this machine, port " + server.port() : where)
            + " (WebSocket "
            + where.replace("http", "ws")
            + "/ws)");
    if (server.secure() || local) {
      lines.add("Open " + where + "/ in a browser to chat.");
    } else {
      lines.add(
          "Open http://localhost:"
              + server.port()
              + "/ in a browser on this machine to chat. Browsers allow the web client's"
              + " cryptography only on https:// or on localhost: for other machines, restart with"
              + " --tls-self-signed (or --tls-cert and --tls-key) and open https://<this machine>:"
              + server.port()
              + "/.");
    }
    config
        .peerJs()
        .ifPresent(
            peerJs ->
                lines.add(
                    "PeerJS apps: new Peer({host: '"
                        + (everywhere ? "<this machine>" : server.address().getHostString())
                        + "', port: "
                        + server.port()
                        + ", path: '"
                        + peerJs.path()
                        + "', key: '"
                        + peerJs.key()
                        + "'})"));
    lines.add(connectivity(server));
    if (!local && !server.relayOffered()) {
      lines.add(
          "No relay (TURN) is configured: people behind strict NATs, as on many mobile networks,"
              + " will not connect to each other. See docs/operations.md, \"Connectivity: STUN and TURN\".");
    }
    if (config.registration() == Registration.Mode.INVITE) {
      lines.add(
          "New names only by invitation: make invite codes with ./parley invite (with this"
              + " server's --data or --db-url).");
    }
    lines.add(
        "Directory: "
            + config
                .databaseUrl()
                .orElse(JdbcDirectory.sqliteFile(config.dataDirectory()).toString())
            + ". Stop with Ctrl-C.");
    return lines;
  }

  private static String connectivity(ParleyServer server) {
    return switch (server.stun()) {
      case StunService.State.Listening listening ->
          "STUN: answering on UDP port "
              + listening.port()
              + listening.alternatePort().stream()
                  .mapToObj(port -> " (and " + port + ", for parley doctor's NAT check)")
                  .findFirst()
                  .orElse("")
              + "; clients find their public address through it.";
      case StunService.State.Elsewhere elsewhere ->
          "STUN: UDP port "
              + elsewhere.port()
              + " is taken by another server that answers STUN (coturn?): clients are sent there,"
              + " and this server runs no responder of its own.";
      case StunService.State.Unavailable unavailable ->
          "STUN: UDP port "
              + unavailable.port()
              + " is taken ("
              + unavailable.why()
              + ") by something that does not answer STUN: clients get no STUN server from us."
              + " Free the port, or choose another with --stun-port.";
      case StunService.State.Off off -> "STUN: off (--stun-port off).";
    };
  }

  private static String urlHost(String host) {
    return host.contains(":") ? "[" + host + "]" : host;
  }
}
