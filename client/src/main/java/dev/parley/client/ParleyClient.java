package dev.parley.client;

import dev.parley.client.link.LinkListener;
import dev.parley.client.link.PeerLink;
import dev.parley.client.link.PeerLinks;
import dev.parley.client.link.WebRtc;
import dev.parley.client.server.ServerConnection;
import dev.parley.client.server.ServerListener;
import dev.parley.client.trust.KeyPins;
import dev.parley.protocol.Identity;
import dev.parley.protocol.UserName;
import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * One user's client: a logged-in connection to a server and the peer-to-peer links opened through
 * it. Closing it hangs up every link, says goodbye to the server, and disposes the native WebRTC
 * engine last; until then that engine keeps the JVM alive.
 */
public final class ParleyClient implements AutoCloseable {

  /** Everything a client reports: server events and link events. */
  public interface Listener extends ServerListener, LinkListener {}

  private final ServerConnection server;
  private final WebRtc webRtc;
  private final PeerLinks links;

  private ParleyClient(ServerConnection server, WebRtc webRtc, PeerLinks links) {
    this.server = server;
    this.webRtc = webRtc;
    this.links = links;
  }

  /**
   * Connects to the server at {@code uri} (such as {@code ws://127.0.0.1:8080/ws}) and logs in.
   *
   * @throws dev.parley.client.server.NameTakenException if the name belongs to another key
   * @throws dev.parley.client.server.LoginFailedException if the login fails otherwise
   */
  public static ParleyClient connect(
      URI uri, UserName name, Identity identity, KeyPins pins, Listener listener) {
    ServerConnection server = new ServerConnection(uri, name, identity).addListener(listener);
    WebRtc webRtc = WebRtc.start();
    PeerLinks links = new PeerLinks(server, webRtc.factory(), pins, listener);
    ParleyClient client = new ParleyClient(server, webRtc, links);
    try {
      server.login();
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
    return client;
  }

  public ServerConnection server() {
    return server;
  }

  public UserName name() {
    return server.name();
  }

  /** The link to {@code peer}, opened if there is none; fails if it is refused. */
  public CompletableFuture<PeerLink> link(UserName peer) {
    return links.open(peer);
  }

  @Override
  public void close() {
    try {
      links.close();
      server.close();
    } finally {
      webRtc.close();
    }
  }
}
