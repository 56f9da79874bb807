package dev.parley.client.chat;

import dev.parley.client.group.GroupDelivery;
import dev.parley.client.group.GroupId;
import dev.parley.client.group.LogEntry;
import dev.parley.client.link.LinkPath;
import dev.parley.client.link.NoPathException;
import dev.parley.client.loop.EventLoop;
import dev.parley.client.profile.Delivery;
import dev.parley.client.profile.Entry;
import dev.parley.client.server.ServerState;
import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.UserName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a client told its user, in order, with the time on its loop's clock where it matters. A
 * {@link World} runs on one thread, so a test reads these lists directly.
 */
final class Heard implements ChatListener {
  /** When something happened, on the loop's clock. */
  record At<T>(Duration at, T what) {}

  private final EventLoop loop;
  private final boolean shows;
  final List<ServerState> states = new ArrayList<>();

  /** Who came and went, as "bob joined" and "bob left", when. */
  final List<At<String>> presence = new ArrayList<>();

  final List<Entry> received = new ArrayList<>();
  final List<Entry> updated = new ArrayList<>();
  final List<Boolean> typing = new ArrayList<>();
  final List<Long> progressOut = new ArrayList<>();
  final List<Long> progressIn = new ArrayList<>();
  final List<IdentityKey> keyChanged = new ArrayList<>();
  final List<Optional<LinkPath>> linkOpened = new ArrayList<>();
  final List<UserName> linkClosed = new ArrayList<>();
  final List<At<NoPathException>> noPath = new ArrayList<>();
  final List<At<String>> problems = new ArrayList<>();
  final List<LogEntry> groupMessages = new ArrayList<>();
  final List<LogEntry> groupChanges = new ArrayList<>();
  final List<GroupDelivery> groupDeliveries = new ArrayList<>();

  /** Entries rejected, as "from: why". */
  final List<String> groupRejected = new ArrayList<>();

  final Map<String, Path> groupFiles = new LinkedHashMap<>();
  final List<String> groupTyping = new ArrayList<>();

  /**
   * {@code shows}: whether its user sees what arrives ({@code chat}), or nothing ({@code send}).
   */
  Heard(EventLoop loop, boolean shows) {
    this.loop = loop;
    this.shows = shows;
  }

  private Duration now() {
    return Duration.ofNanos(loop.nanoTime());
  }

  /** The states our entry {@code id} went through, in order. */
  List<Delivery> states(String id) {
    return updated.stream().filter(e -> e.id().equals(id)).map(Entry::state).toList();
  }

  @Override
  public void stateChanged(ServerState state) {
    states.add(state);
  }

  @Override
  public void joined(UserName peer) {
    presence.add(new At<>(now(), peer + " joined"));
  }

  @Override
  public void left(UserName peer) {
    presence.add(new At<>(now(), peer + " left"));
  }

  /** Who came and went, without the times. */
  List<String> presence() {
    return presence.stream().map(At::what).toList();
  }

  @Override
  public void received(Entry entry) {
    received.add(entry);
    onReceived.accept(entry);
  }

  /** What the user does with each entry that arrives, once it is heard; nothing by default. */
  java.util.function.Consumer<Entry> onReceived = entry -> {};

  @Override
  public boolean showsReceived() {
    return shows;
  }

  @Override
  public void updated(Entry entry) {
    updated.add(entry);
  }

  @Override
  public void typing(UserName peer, boolean active) {
    typing.add(active);
  }

  @Override
  public void progress(UserName peer, String id, boolean outgoing, long done, long total) {
    (outgoing ? progressOut : progressIn).add(done);
  }

  @Override
  public void keyChanged(UserName peer, IdentityKey pinned, IdentityKey presented) {
    keyChanged.add(presented);
  }

  @Override
  public void linkOpened(UserName peer, Optional<LinkPath> path) {
    linkOpened.add(path);
  }

  @Override
  public void linkClosed(UserName peer) {
    linkClosed.add(peer);
  }

  @Override
  public void noPath(UserName peer, NoPathException why) {
    noPath.add(new At<>(now(), why));
  }

  /** The texts of the group messages that arrived, in order. */
  List<String> groupTexts() {
    return groupMessages.stream().flatMap(e -> e.text().stream()).toList();
  }

  @Override
  public void groupMessage(LogEntry message) {
    groupMessages.add(message);
  }

  @Override
  public void groupChanged(LogEntry change) {
    groupChanges.add(change);
  }

  @Override
  public void groupDelivery(LogEntry entry, GroupDelivery delivery) {
    groupDeliveries.add(delivery);
  }

  @Override
  public void groupFileSaved(LogEntry file, Path path) {
    groupFiles.put(file.hash(), path);
  }

  @Override
  public void groupTyping(GroupId group, UserName member, boolean active) {
    groupTyping.add(member + (active ? " typing" : " stopped"));
  }

  @Override
  public void groupRejected(UserName from, GroupId group, String why) {
    groupRejected.add(from + ": " + why);
  }

  @Override
  public void problem(UserName peer, String message) {
    problems.add(new At<>(now(), message));
  }
}
