package dev.parley.server.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.Identity;
import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.OnlineUser;
import dev.parley.protocol.PresenceMode;
import dev.parley.protocol.ServerCodec;
import dev.parley.protocol.ServerMessage;
import dev.parley.protocol.UserName;
import dev.parley.server.metrics.Metrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NodePresenceTest {
  /** Presence frames go out when the test says so. */
  private final List<Runnable> due = new ArrayList<>();

  private final Metrics metrics = new Metrics();
  private final NodePresence presence =
      new NodePresence(
          PresenceMode.EVERYONE,
          (task, delay) -> due.add(task),
          Duration.ofMillis(20),
          metrics,
          Cluster.NONE);
  private final NodePresence contacts =
      new NodePresence(
          PresenceMode.CONTACTS,
          (task, delay) -> due.add(task),
          Duration.ofMillis(20),
          metrics,
          Cluster.NONE);

  private void sendFrames() {
    List<Runnable> now = List.copyOf(due);
    due.clear();
    now.forEach(Runnable::run);
  }

  @Test
  void membersJoiningBetweenTwoPresenceFramesShareOneEncodedList() {
    join("alice");
    sendFrames();

    byte[] bob = join("bob").online;
    byte[] carol = join("carol").online;

    assertThat(carol).isSameAs(bob);
    assertThat(names(bob)).containsExactly("alice");
  }

  @Test
  void aPresenceFrameEndsTheSharingOfTheList() {
    byte[] bob = join("bob").online;
    sendFrames();

    byte[] carol = join("carol").online;

    assertThat(carol).isNotSameAs(bob);
    assertThat(names(carol)).containsExactly("bob");
  }

  @Test
  void everyMemberEndsUpKnowingWhoIsOnlineWhateverTheOrderOfJoinsLeavesAndFrames() {
    Random random = new Random(42);
    Map<String, TestMember> online = new HashMap<>();
    List<TestMember> everyone = new ArrayList<>();
    for (int step = 0; step < 2_000; step++) {
      int action = random.nextInt(10);
      String name = "u" + random.nextInt(40);
      if (action < 5 && !online.containsKey(name)) {
        TestMember member = join(name);
        online.put(name, member);
        everyone.add(member);
      } else if (action < 8 && online.containsKey(name)) {
        presence.leave(online.remove(name));
      } else {
        sendFrames();
      }
    }
    sendFrames();

    for (TestMember member : online.values()) {
      Set<String> others = new HashSet<>(online.keySet());
      others.remove(member.user().name().value());
      assertThat(member.view()).as(member.user().name().value()).isEqualTo(others);
    }
    assertThat(everyone).hasSizeGreaterThan(100);
  }

  @Test
  void aSecondLoginOfANameIsNotListedToItselfAndReplacesTheFirst() {
    join("alice");
    TestMember first = join("bob");
    sendFrames();
    join("carol"); // the list is shared again from here, and names bob

    TestMember second = join("bob");

    assertThat(names(second.online)).containsExactly("alice", "carol");
    assertThat(first.replaced).isTrue();
  }

  @Test
  void inEveryoneModeAWatchIsAcceptedAndChangesNothing() {
    TestMember alice = join("alice");
    sendFrames();
    int frames = alice.frames.size();

    presence.watch(alice, names("bob", "carol")).toCompletableFuture().join();
    presence.unwatch(alice, names("bob"));

    assertThat(alice.frames).hasSize(frames);
    assertThat(presence.watchCount()).isZero();
  }

  // Contacts mode.

  @Test
  void inContactsModeTheWelcomeListsNobody() {
    join(contacts, "alice");
    sendFrames();

    TestMember bob = join(contacts, "bob");

    assertThat(new String(bob.online, StandardCharsets.UTF_8)).isEqualTo("[]");
    assertThat(contacts.mode()).isEqualTo(PresenceMode.CONTACTS);
  }

  @Test
  void aWatchIsAnsweredWithEachNamesStateOnceOfflineAndUnknownAlike() {
    TestMember alice = join(contacts, "Alice");
    TestMember bob = join(contacts, "bob");
    sendFrames();

    contacts.watch(bob, names("alice", "Carol", "nobody")).toCompletableFuture().join();

    assertThat(bob.presenceFrames())
        .containsExactly(
            new ServerMessage.Presence(
                List.of(alice.user()), List.of(new UserName("Carol"), new UserName("nobody"))));
  }

  @Test
  void aRemoteJoinHeardAgainAsItWasIsAnnouncedOnceAndWithAnotherKeyAgain() {
    TestMember watcher = join(contacts, "watcher");
    contacts.watch(watcher, names("dora")).toCompletableFuture().join();
    sendFrames();
    watcher.frames.clear();
    UserName dora = new UserName("dora");
    IdentityKey first = Identity.generate().publicKey();
    IdentityKey second = Identity.generate().publicKey();

    contacts.joined(new Cluster.Remote("node-b", dora, first));
    sendFrames();
    contacts.joined(new Cluster.Remote("node-b", new UserName("Dora"), first)); // as it was
    sendFrames();
    contacts.joined(new Cluster.Remote("node-b", dora, second)); // logged in with another key
    sendFrames();

    assertThat(watcher.presenceFrames())
        .containsExactly(
            new ServerMessage.Presence(List.of(new OnlineUser(dora, first)), List.of()),
            new ServerMessage.Presence(List.of(new OnlineUser(dora, second)), List.of()));
    assertThat(contacts.onlineCount()).isEqualTo(2);
  }

  @Test
  void aUserOfAnotherNodeIsKeptWithTheNameItsWatchersHoldWhenSpelledAlike() {
    TestMember watcher = join(contacts, "watcher");
    UserName watchedDora = new UserName("dora");
    UserName watchedEve = new UserName("Eve");
    contacts
        .watch(watcher, new LinkedHashSet<>(List.of(watchedDora, watchedEve)))
        .toCompletableFuture()
        .join();
    IdentityKey key = Identity.generate().publicKey();
    UserName dora = new UserName("dora"); // as read from Redis: a copy of its own
    UserName eve = new UserName("eve"); // spelled otherwise than the watcher did
    UserName frank = new UserName("frank"); // watched by nobody

    contacts.joined(new Cluster.Remote("node-b", dora, key));
    contacts.joined(new Cluster.Remote("node-b", eve, key));
    contacts.joined(new Cluster.Remote("node-b", frank, key));

    assertThat(requireElsewhere(dora).name()).isSameAs(watchedDora);
    assertThat(requireElsewhere(eve).name()).isSameAs(eve);
    assertThat(requireElsewhere(frank).name()).isSameAs(frank);
    assertThat(requireElsewhere(dora).key()).isEqualTo(key);
    sendFrames();
    assertThat(watcher.presenceFrames())
        .containsExactly(
            new ServerMessage.Presence(List.of(), List.of(watchedDora, watchedEve)),
            new ServerMessage.Presence(
                List.of(new OnlineUser(dora, key), new OnlineUser(eve, key)), List.of()));
  }

  private Cluster.Remote requireElsewhere(UserName name) {
    Cluster.Remote remote = contacts.elsewhere(name);
    assertThat(remote).as("%s online elsewhere", name).isNotNull();
    return Objects.requireNonNull(remote);
  }

  @Test
  void aWatcherHearsOfTheNamesItWatchesAndOfNobodyElse() {
    TestMember watcher = join(contacts, "watcher");
    contacts.watch(watcher, names("alice", "bob")).toCompletableFuture().join();
    sendFrames();
    watcher.frames.clear();

    TestMember alice = join(contacts, "alice");
    join(contacts, "carol");
    sendFrames();
    contacts.leave(alice);
    TestMember bob = join(contacts, "bob");
    join(contacts, "dave");
    sendFrames();

    assertThat(watcher.presenceFrames())
        .containsExactly(
            new ServerMessage.Presence(List.of(alice.user()), List.of()),
            new ServerMessage.Presence(List.of(bob.user()), List.of(new UserName("alice"))));
  }

  @Test
  void changesWithinAWindowReachAWatcherAsOneFrameOfNetChanges() {
    TestMember watcher = join(contacts, "watcher");
    contacts.watch(watcher, names("alice", "bob", "carol")).toCompletableFuture().join();
    sendFrames(); // the watcher's own join: from now on changes wait for the window
    watcher.frames.clear();

    TestMember alice = join(contacts, "alice");
    TestMember bob = join(contacts, "bob");
    contacts.leave(bob);
    join(contacts, "carol");
    contacts.leave(alice);
    assertThat(watcher.frames).isEmpty();
    sendFrames();

    assertThat(watcher.presenceFrames())
        .singleElement()
        .satisfies(
            frame -> {
              assertThat(frame.joined()).extracting(u -> u.name().value()).containsExactly("carol");
              assertThat(frame.left()).extracting(UserName::value).containsExactly("bob", "alice");
            });
  }

  @Test
  void aJoinCostsAFramePerWatcherNotPerMemberOnline() {
    List<TestMember> crowd = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      crowd.add(join(contacts, "u" + i));
    }
    contacts.watch(crowd.get(7), names("alice")).toCompletableFuture().join();
    contacts.watch(crowd.get(300), names("ALICE", "u1")).toCompletableFuture().join();
    sendFrames();
    crowd.forEach(member -> member.frames.clear());
    long framesBefore = presenceFramesSent();

    TestMember alice = join(contacts, "alice");
    sendFrames();

    assertThat(crowd.stream().filter(member -> !member.frames.isEmpty()))
        .containsExactly(crowd.get(7), crowd.get(300));
    assertThat(presenceFramesSent() - framesBefore).isEqualTo(2);
    // A lone change is encoded once for all its watchers.
    assertThat(crowd.get(7).frames.get(0)).isSameAs(crowd.get(300).frames.get(0));
    assertThat(crowd.get(7).presenceFrames())
        .containsExactly(new ServerMessage.Presence(List.of(alice.user()), List.of()));
  }

  @Test
  void theAnswerComesBeforeAnyFrameOfALaterChange() {
    TestMember watcher = join(contacts, "watcher");
    TestMember alice = join(contacts, "alice"); // its join is still in the batch
    contacts.watch(watcher, names("alice")).toCompletableFuture().join();
    contacts.leave(alice);
    sendFrames();

    assertThat(watcher.presenceFrames())
        .containsExactly(
            new ServerMessage.Presence(List.of(alice.user()), List.of()),
            new ServerMessage.Presence(List.of(), List.of(new UserName("alice"))));
  }

  @Test
  void anUnwatchedNameIsHeardOfNoMoreAndUnwatchingAnotherIsIgnored() {
    TestMember watcher = join(contacts, "watcher");
    contacts.watch(watcher, names("alice", "bob")).toCompletableFuture().join();
    sendFrames();

    contacts.unwatch(watcher, names("ALICE", "nobody"));
    watcher.frames.clear();
    join(contacts, "alice");
    TestMember bob = join(contacts, "bob");
    sendFrames();

    assertThat(watcher.presenceFrames())
        .containsExactly(new ServerMessage.Presence(List.of(bob.user()), List.of()));
    assertThat(contacts.watchCount()).isOne();
  }

  @Test
  void aConnectionWatchesAtMostAThousandNamesAndAWatchPastThatChangesNothing() {
    TestMember watcher = join(contacts, "watcher");
    for (int batch = 0; batch < 10; batch++) {
      Set<UserName> hundred = new LinkedHashSet<>();
      for (int i = 0; i < 100; i++) {
        hundred.add(new UserName("u" + (batch * 100 + i)));
      }
      contacts.watch(watcher, hundred).toCompletableFuture().join();
    }
    assertThat(contacts.watchCount()).isEqualTo(1000);
    watcher.frames.clear();

    assertThatThrownBy(() -> contacts.watch(watcher, names("u1", "U2", "newcomer")))
        .isInstanceOf(WatchLimitException.class)
        .hasMessageContaining("watches 1000 and this watch adds 1");

    assertThat(watcher.frames).isEmpty();
    assertThat(contacts.watchCount()).isEqualTo(1000);
    join(contacts, "newcomer");
    sendFrames();
    assertThat(watcher.presenceFrames()).isEmpty();
    // Names watched already add nothing, so watching them again is still answered.
    contacts.watch(watcher, names("u1", "U2")).toCompletableFuture().join();
    assertThat(watcher.presenceFrames()).hasSize(1);
    // Room made by an unwatch can be used.
    contacts.unwatch(watcher, names("u999"));
    contacts.watch(watcher, names("newcomer")).toCompletableFuture().join();
    assertThat(contacts.watchCount()).isEqualTo(1000);
  }

  @Test
  void anEmptyWatchIsNotAnswered() {
    TestMember watcher = join(contacts, "watcher");
    sendFrames();
    watcher.frames.clear();

    contacts.watch(watcher, Set.of()).toCompletableFuture().join();

    assertThat(watcher.frames).isEmpty();
  }

  @Test
  void aMemberThatLeavesTakesItsWatchesAlongEvenWhenItWasReplaced() {
    TestMember first = join(contacts, "alice");
    contacts.watch(first, names("bob", "carol")).toCompletableFuture().join();
    TestMember second = join(contacts, "alice");
    contacts.watch(second, names("bob")).toCompletableFuture().join();
    TestMember dave = join(contacts, "dave");
    contacts.watch(dave, names("alice")).toCompletableFuture().join();
    assertThat(contacts.watchCount()).isEqualTo(4);
    sendFrames();
    dave.frames.clear();

    contacts.leave(first); // replaced: announces nothing, but its watches go
    sendFrames();
    assertThat(first.replaced).isTrue();
    assertThat(contacts.watchCount()).isEqualTo(2);
    assertThat(dave.frames).isEmpty();

    contacts.leave(second);
    contacts.leave(dave);
    assertThat(contacts.watchCount()).isZero();
    assertThat(metrics.prometheusText()).contains("\nparley_watches 0\n");
  }

  @Test
  void everyWatcherEndsUpKnowingWhoOfItsNamesIsOnlineWhateverTheOrderOfEvents() {
    Random random = new Random(7);
    Map<String, TestMember> online = new HashMap<>();
    Map<TestMember, Set<String>> watching = new HashMap<>();
    for (int step = 0; step < 5_000; step++) {
      int action = random.nextInt(12);
      String name = "u" + random.nextInt(30);
      TestMember member = online.get(name);
      if (action < 4 && member == null) {
        TestMember joined = join(contacts, name);
        online.put(name, joined);
        watching.put(joined, new HashSet<>());
      } else if (action < 6 && member != null) {
        contacts.leave(online.remove(name));
        watching.remove(member);
      } else if (action < 9 && member != null) {
        String[] names = {"u" + random.nextInt(30), "u" + random.nextInt(30)};
        contacts.watch(member, names(names)).toCompletableFuture().join();
        watching.get(member).addAll(List.of(names));
      } else if (action < 10 && member != null) {
        String gone = "u" + random.nextInt(30);
        contacts.unwatch(member, names(gone));
        watching.get(member).remove(gone);
      } else {
        sendFrames();
      }
    }
    sendFrames();

    for (Map.Entry<TestMember, Set<String>> entry : watching.entrySet()) {
      TestMember member = entry.getKey();
      Set<String> view = new HashSet<>(member.view());
      view.retainAll(entry.getValue());
      Set<String> truth = new HashSet<>(entry.getValue());
      truth.retainAll(online.keySet());
      assertThat(view).as(member.user().name().value()).isEqualTo(truth);
    }
    assertThat(watching.values().stream().mapToInt(Set::size).sum())
        .isEqualTo(contacts.watchCount())
        .isPositive();
  }

  private long presenceFramesSent() {
    return metrics
        .prometheusText()
        .lines()
        .filter(line -> line.startsWith("parley_presence_frames_total "))
        .mapToLong(line -> Long.parseLong(line.substring(line.indexOf(' ') + 1)))
        .findFirst()
        .orElseThrow();
  }

  private static Set<UserName> names(String... names) {
    Set<UserName> set = new LinkedHashSet<>();
    for (String name : names) {
      set.add(new UserName(name));
    }
    return set;
  }

  private TestMember join(String name) {
    return join(presence, name);
  }

  private static TestMember join(NodePresence into, String name) {
    TestMember member = new TestMember(name);
    member.online = into.join(member).toCompletableFuture().join();
    return member;
  }

  private static List<String> names(byte[] online) {
    return welcome(online).online().stream().map(u -> u.name().value()).sorted().toList();
  }

  private static ServerMessage.Welcome welcome(byte[] online) {
    ServerCodec.WelcomeParts parts =
        ServerCodec.welcomeParts(
            new UserName("someone"), List.of(), 15, 65536, PresenceMode.EVERYONE);
    return (ServerMessage.Welcome)
        ServerCodec.decode(new String(parts.around(online), StandardCharsets.UTF_8));
  }

  private static final class TestMember implements Member {
    private final OnlineUser user;
    private final List<byte[]> frames = new ArrayList<>();
    byte[] online = new byte[0];
    boolean replaced;

    TestMember(String name) {
      user = new OnlineUser(new UserName(name), Identity.generate().publicKey());
    }

    @Override
    public OnlineUser user() {
      return user;
    }

    @Override
    public void send(byte[] frame) {
      frames.add(frame);
    }

    @Override
    public void replaced() {
      replaced = true;
    }

    List<ServerMessage.Presence> presenceFrames() {
      return frames.stream()
          .map(
              frame ->
                  (ServerMessage.Presence)
                      ServerCodec.decode(new String(frame, StandardCharsets.UTF_8)))
          .toList();
    }

    /** Who this member believes is online: its welcome's list, then each presence frame. */
    Set<String> view() {
      Set<String> view = new HashSet<>();
      welcome(online).online().forEach(u -> view.add(u.name().value()));
      for (ServerMessage.Presence change : presenceFrames()) {
        change.joined().forEach(u -> view.add(u.name().value()));
        change.left().forEach(n -> view.remove(n.value()));
      }
      view.remove(user.name().value());
      return view;
    }
  }
}
