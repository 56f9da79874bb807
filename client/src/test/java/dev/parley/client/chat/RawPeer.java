package dev.parley.client.chat;

import dev.parley.client.link.ChannelMessage;
import dev.parley.client.link.FileChunk;
import dev.parley.client.link.LinkListener;
import dev.parley.client.link.MemoryLinks;
import dev.parley.client.link.PeerLink;
import dev.parley.client.server.FakeServer;
import dev.parley.client.trust.MemoryKeyPins;
import dev.parley.protocol.Identity;
import dev.parley.protocol.UserName;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * A peer of a {@link World} with links and nothing else: it sees every message as it arrives and
 * answers only what its test tells it to, so that a test can be the other side of a conversation.
 */
final class RawPeer implements LinkListener {
  final UserName name;
  final FakeServer.Session session;
  final MemoryLinks links;
  final List<ChannelMessage> received = new ArrayList<>();
  private BiConsumer<PeerLink, ChannelMessage> answer = (link, message) -> {};

  RawPeer(World world, String name) {
    this.name = new UserName(name);
    this.session = world.server.session(this.name, Identity.generate());
    this.links = world.network.join(session, new MemoryKeyPins(), world.loop, this);
  }

  /** Answers each message with {@code answer}, from now on. */
  RawPeer answering(BiConsumer<PeerLink, ChannelMessage> answer) {
    this.answer = answer;
    return this;
  }

  RawPeer online() {
    session.join();
    return this;
  }

  /** The chat messages that arrived, in order. */
  List<ChannelMessage.Chat> chats() {
    return received.stream()
        .filter(ChannelMessage.Chat.class::isInstance)
        .map(ChannelMessage.Chat.class::cast)
        .toList();
  }

  /** The acknowledgements that arrived, in order. */
  List<String> acks() {
    return received.stream()
        .filter(ChannelMessage.Ack.class::isInstance)
        .map(m -> ((ChannelMessage.Ack) m).id())
        .toList();
  }

  @Override
  public void received(PeerLink link, ChannelMessage message) {
    received.add(message);
    answer.accept(link, message);
  }

  @Override
  public void chunk(PeerLink link, FileChunk chunk) {}
}
