package dev.parley.bench.p2p;

import dev.parley.client.link.ChannelMessage;
import dev.parley.client.link.FileChunk;
import dev.parley.client.link.LinkListener;
import dev.parley.client.link.PeerLink;
import dev.parley.client.link.PeerLinks;
import dev.parley.client.link.WebRtc;
import dev.parley.client.link.WebRtcLinks;
import dev.parley.client.loop.ThreadLoop;
import dev.parley.client.server.ServerConnection;
import dev.parley.client.trust.MemoryKeyPins;
import dev.parley.protocol.Identity;
import dev.parley.protocol.UserName;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One side of a measured link: a server connection, its links on an event loop of their own, and
 * counters; with {@code echo} it acknowledges every chat message at once, so the other side can
 * time round trips.
 */
final class LinkSide implements LinkListener, AutoCloseable {
  final ServerConnection server;
  final WebRtc webRtc = WebRtc.start();
  final ThreadLoop loop;
  final PeerLinks links;
  final AtomicLong messages = new AtomicLong();
  final AtomicLong bytes = new AtomicLong();
  final LinkedBlockingQueue<PeerLink> closed = new LinkedBlockingQueue<>();
  final LinkedBlockingQueue<PeerLink> drained = new LinkedBlockingQueue<>();
  final Map<String, CompletableFuture<Void>> acks = new ConcurrentHashMap<>();
  volatile boolean echo;

  LinkSide(URI uri, UserName name, boolean echo) {
    this.echo = echo;
    server = new ServerConnection(uri, name, Identity.generate());
    loop = new ThreadLoop("links-" + name);
    links = new WebRtcLinks(server, webRtc.factory(), new MemoryKeyPins(), loop, this);
    server.login();
  }

  CompletableFuture<Void> expectAck(String id) {
    CompletableFuture<Void> acked = new CompletableFuture<>();
    acks.put(id, acked);
    return acked;
  }

  @Override
  public void received(PeerLink link, ChannelMessage message) {
    switch (message) {
      case ChannelMessage.Chat chat -> {
        messages.incrementAndGet();
        if (echo) {
          link.send(new ChannelMessage.Ack(chat.id()));
        }
      }
      case ChannelMessage.Ack ack -> {
        CompletableFuture<Void> acked = acks.remove(ack.id());
        if (acked != null) {
          acked.complete(null);
        }
      }
      default -> {}
    }
  }

  @Override
  public void chunk(PeerLink link, FileChunk chunk) {
    bytes.addAndGet(chunk.data().remaining());
  }

  @Override
  public void drained(PeerLink link) {
    drained.add(link);
  }

  @Override
  public void closed(PeerLink link) {
    closed.add(link);
  }

  @Override
  public void close() {
    links.close();
    server.close();
    loop.close();
    webRtc.close();
  }
}
