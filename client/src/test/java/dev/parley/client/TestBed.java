package dev.parley.client;

import dev.parley.client.trust.KeyPins;
import dev.parley.client.trust.MemoryKeyPins;
import dev.parley.protocol.Identity;
import dev.parley.protocol.UserName;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A real server on a free loopback port (with no STUN or TURN servers, so WebRTC gathers only host
 * candidates and no packet leaves the machine) and the clients a test logs in to it.
 */
final class TestBed implements AutoCloseable {
  /** A logged-in client and what it has heard. */
  record Peer(ParleyClient client, Recorder events, KeyPins pins) {}

  private final ParleyServer server;
  private final Map<String, Identity> identities = new ConcurrentHashMap<>();
  private final List<ParleyClient> clients = new ArrayList<>();

  TestBed(Path data) {
    server = ParleyServer.start(ServerConfig.defaults().withPort(0).withDataDirectory(data));
  }

  ParleyServer server() {
    return server;
  }

  URI ws() {
    return URI.create("ws://127.0.0.1:" + server.port() + "/ws");
  }

  Identity identity(String name) {
    return identities.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> Identity.generate());
  }

  Peer login(String name) {
    return login(name, ws(), identity(name), new MemoryKeyPins());
  }

  Peer login(String name, URI uri, Identity identity, KeyPins pins) {
    Recorder events = new Recorder();
    ParleyClient client = ParleyClient.connect(uri, new UserName(name), identity, pins, events);
    synchronized (clients) {
      clients.add(client);
    }
    return new Peer(client, events, pins);
  }

  @Override
  public void close() {
    synchronized (clients) {
      clients.forEach(ParleyClient::close);
    }
    server.close();
  }
}
