package dev.parley.client.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.client.group.Group;
import dev.parley.client.group.GroupId;
import dev.parley.client.group.LogEntry;
import dev.parley.client.group.Op;
import dev.parley.client.link.ChannelMessage;
import dev.parley.client.link.PeerLink;
import dev.parley.protocol.Identity;
import dev.parley.protocol.UserName;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Group conversations between clients in one JVM (docs/p2p.md, "Groups"): the same order
 * everywhere, catching up from whoever is online, removed members, bad entries, restarts.
 */
class GroupsTest extends WorldTest {
  static final UserName CAROL = new UserName("carol");
  static final UserName DAVE = new UserName("dave");
  static final UserName ERIN = new UserName("erin");

  private static List<String> hashes(World.Client client, GroupId group) {
    return client.messenger.groups().history(group, 1000).stream().map(LogEntry::hash).toList();
  }

  private static List<String> texts(World.Client client, GroupId group) {
    return client.messenger.groups().history(group, 1000).stream()
        .flatMap(e -> e.text().stream())
        .toList();
  }

  @Test
  void concurrentMessagesAreShownInTheSameOrderByEveryMember() {
    World w = world;
    List<World.Client> all = new ArrayList<>();
    for (String name : List.of("alice", "bob", "carol", "dave", "erin")) {
      all.add(w.client(name).online());
    }
    World.Client alice = all.get(0);
    GroupId group = alice.messenger.groups().create("Climbing", List.of(BOB, CAROL, DAVE, ERIN));
    w.run();

    for (int round = 0; round < 3; round++) {
      // Each writes before any has seen another's: all five are concurrent.
      for (World.Client client : all) {
        client.messenger.groups().send(group, client.name + " " + round);
      }
      w.run();
    }

    List<String> order = hashes(alice, group);
    assertThat(order).hasSize(1 + 15);
    for (World.Client client : all) {
      assertThat(hashes(client, group)).isEqualTo(order);
      assertThat(client.heard.groupTexts()).hasSize(12); // the others' messages, each once
    }
    // Round by round: what a member wrote after seeing a round comes after that whole round.
    List<String> texts = texts(alice, group);
    for (int i = 0; i < texts.size(); i++) {
      assertThat(texts.get(i)).endsWith(" " + (i / 5));
    }
  }

  @Test
  void everyMemberSeesTheMembersWithTheirPresence() {
    World w = world;
    World.Client alice = w.client("alice").online();
    World.Client bob = w.client("bob").online();
    World.Client carol = w.client("carol").online();
    GroupId group = alice.messenger.groups().create("Climbing", List.of(BOB, CAROL));
    w.run();

    carol.close();
    Group seen = bob.messenger.groups().get(group).orElseThrow();

    assertThat(seen.title()).isEqualTo("Climbing");
    assertThat(seen.creator()).isEqualTo(ALICE);
    assertThat(seen.joined()).isTrue();
    assertThat(seen.members())
        .extracting(Group.Member::name, Group.Member::admin, Group.Member::online)
        .containsExactly( // admins first
            org.assertj.core.groups.Tuple.tuple(ALICE, true, true),
            org.assertj.core.groups.Tuple.tuple(BOB, false, true),
            org.assertj.core.groups.Tuple.tuple(CAROL, false, false));
    assertThat(bob.messenger.groups().list()).extracting(Group::id).containsExactly(group);
  }

  @Test
  void anOfflineMemberCatchesUpFromAnotherMemberWhileTheAuthorIsOffline() {
    World w = world;
    World.Client alice = w.client("alice").online();
    World.Client bob = w.client("bob").online();
    World.Client carol = w.client("carol").online();
    GroupId group = alice.messenger.groups().create("Climbing", List.of(BOB, CAROL));
    w.run();
    carol.close();

    alice.messenger.groups().send(group, "one");
    alice.messenger.groups().send(group, "two");
    w.run();
    bob.messenger.groups().send(group, "three");
    w.run();
    alice.close();
    assertThat(bob.heard.groupTexts()).containsExactly("one", "two");

    World.Client back = w.restart(carol).online();

    assertThat(back.heard.groupTexts()).containsExactly("one", "two", "three");
    assertThat(hashes(back, group)).isEqualTo(hashes(bob, group));
  }

  @Test
  void theAuthorSeesHowManyMembersHoldItsMessage() {
    World w = world;
    World.Client alice = w.client("alice").online();
    w.client("bob").online();
    World.Client carol = w.client("carol");
    World.Client dave = w.client("dave").online();
    carol.online();
    GroupId group = alice.messenger.groups().create("Climbing", List.of(BOB, CAROL, DAVE));
    w.run();
    carol.close();

    LogEntry sent = alice.messenger.groups().send(group, "who has it?");
    w.run();
    assertThat(alice.messenger.groups().delivery(group, sent.hash()).toString())
        .isEqualTo("delivered to 2 of 3");

    w.restart(carol).online();

    assertThat(alice.messenger.groups().delivery(group, sent.hash()).toString())
        .isEqualTo("delivered to 3 of 3");
    assertThat(alice.heard.groupDeliveries.getLast().delivered()).isEqualTo(3);
    assertThat(dave.heard.groupTexts()).containsExactly("who has it?");
    // What the members confirmed is kept in the profile.
    assertThat(w.restart(alice).messenger.groups().delivery(group, sent.hash()).toString())
        .isEqualTo("delivered to 3 of 3");
  }

  @Test
  void aRemovedMemberGetsNothingWrittenAfterItsRemoval() {
    World w = world;
    World.Client alice = w.client("alice").online();
    World.Client bob = w.client("bob").online();
    World.Client carol = w.client("carol").online();
    GroupId group = alice.messenger.groups().create("Climbing", List.of(BOB, CAROL));
    w.run();
    bob.messenger.groups().send(group, "before");
    w.run();

    alice.messenger.groups().remove(group, CAROL);
    w.run();
    alice.messenger.groups().send(group, "carol is gone");
    bob.messenger.groups().send(group, "so she is");
    w.run();

    assertThat(carol.heard.groupTexts()).containsExactly("before");
    assertThat(texts(carol, group)).containsExactly("before");
    assertThat(carol.heard.groupChanges.getLast().op()).isEqualTo(new Op.Remove(CAROL));
    assertThat(carol.messenger.groups().get(group).orElseThrow().joined()).isFalse();
    assertThat(bob.heard.groupTexts()).containsExactly("carol is gone");
    assertThatThrownBy(() -> carol.messenger.groups().send(group, "let me back"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not a member");

    // Nor later, from anyone, when she comes back.
    World.Client again = w.restart(carol).online();
    w.run();
    assertThat(texts(again, group)).containsExactly("before");
    assertThat(again.heard.groupTexts()).isEmpty();
  }

  @Test
  void aMemberAddedLaterGetsWhatIsWrittenFromThenOnButNotTheMessagesBefore() {
    World w = world;
    World.Client alice = w.client("alice").online();
    World.Client bob = w.client("bob").online();
    World.Client carol = w.client("carol").online();
    GroupId group = alice.messenger.groups().create("Climbing", List.of(BOB));
    w.run();
    bob.messenger.groups().send(group, "just us");
    w.run();

    alice.messenger.groups().add(group, CAROL);
    w.run();
    bob.messenger.groups().send(group, "welcome carol");
    w.run();

    assertThat(carol.heard.groupTexts()).containsExactly("welcome carol");
    assertThat(texts(carol, group)).containsExactly("welcome carol");
    assertThat(carol.heard.groupChanges).extracting(e -> e.op().wire()).contains("add");
    assertThat(hashes(carol, group)).isSubsetOf(hashes(alice, group));
    assertThat(carol.messenger.groups().get(group).orElseThrow().members())
        .extracting(Group.Member::name)
        .containsExactlyInAnyOrder(ALICE, BOB, CAROL);
  }

  @Test
  void aMemberAddedWhileOfflineGetsTheGroupFromAnotherMemberWhenItsAdderIsGone() {
    World w = world;
    World.Client alice = w.client("alice").online();
    World.Client bob = w.client("bob").online();
    World.Client carol = w.client("carol").online();
    assertThat(alice.messenger.safetyNumber(CAROL)).isPresent(); // pins carol's key
    carol.close();
    GroupId group = alice.messenger.groups().create("Climbing", List.of(BOB));
    alice.messenger.groups().add(group, CAROL);
    alice.messenger.groups().send(group, "carol will read this");
    w.run();
    alice.close();

    World.Client back = w.restart(carol).online();

    assertThat(back.messenger.groups().list()).extracting(Group::id).containsExactly(group);
    assertThat(back.heard.groupTexts()).containsExactly("carol will read this");
    assertThat(hashes(back, group)).isEqualTo(hashes(bob, group));
  }

  @Test
  void aMemberTheAuthorCannotReachGetsTheGroupThroughAnotherMember() {
    World w = world;
    World.Client alice = w.client("alice").online();
    World.Client bob = w.client("bob").online();
    World.Client carol = w.client("carol").online();
    w.network.fail(ALICE, CAROL, new dev.parley.client.link.LinkException("no way through"));
    bob.messenger.connect(CAROL);
    w.run();

    GroupId group = alice.messenger.groups().create("Climbing", List.of(BOB, CAROL));
    w.run();
    alice.messenger.groups().send(group, "via bob");
    w.run();

    assertThat(carol.heard.groupTexts()).containsExactly("via bob");
    assertThat(hashes(carol, group)).isEqualTo(hashes(alice, group));
    assertThat(carol.heard.linkOpened).hasSize(1); // bob's only: none with alice
  }

  @Test
  void forgedNonMemberAndNonAdminEntriesAreRejectedAndNeverShownAndTheLinkGoesOn() {
    World w = world;
    World.Client alice = w.client("alice").online();
    World.Client bob = w.client("bob").online();
    World.Client carol = w.client("carol").online();
    RawPeer mallory = new RawPeer(w, "mallory").online();
    GroupId group = alice.messenger.groups().create("Climbing", List.of(BOB, CAROL));
    w.run();
    GroupId other = alice.messenger.groups().create("Other", List.of(BOB));
    w.run();
    LogEntry create = alice.messenger.groups().history(group, 1).getFirst();
    LogEntry real = alice.messenger.groups().send(group, "real");
    w.run();
    PeerLink toBob = opened(mallory.links.open(BOB));
    Identity malloryKey = Identity.generate();

    // A non-member writes.
    toBob.send(
        new ChannelMessage.GroupEntry(
            LogEntry.sign(
                malloryKey,
                group,
                new UserName("mallory"),
                1,
                1,
                List.of(create.hash()),
                Op.Text.of("spam"))));
    // Someone signs as carol with another key.
    toBob.send(
        new ChannelMessage.GroupEntry(
            LogEntry.sign(
                malloryKey, group, CAROL, 1, 1, List.of(real.hash()), Op.Text.of("forged"))));
    // alice's real message, replayed into another group.
    toBob.send(
        new ChannelMessage.GroupEntry(
            new LogEntry(
                other,
                real.author(),
                real.seq(),
                real.ts(),
                real.parents(),
                real.op(),
                real.signature())));
    // carol, a member but no admin, removes alice.
    toBob.send(
        new ChannelMessage.GroupEntry(
            LogEntry.sign(
                carol.profile.identity(),
                group,
                CAROL,
                1,
                1,
                List.of(real.hash()),
                new Op.Remove(ALICE))));
    // An entry of a group nobody knows.
    toBob.send(
        new ChannelMessage.GroupEntry(
            LogEntry.sign(
                malloryKey,
                GroupId.random(),
                new UserName("mallory"),
                2,
                1,
                List.of(create.hash()),
                Op.Text.of("?"))));
    w.run();

    assertThat(bob.heard.groupRejected)
        .hasSize(5)
        .anyMatch(r -> r.contains("mallory is not a member"))
        .anyMatch(r -> r.contains("forged"))
        .anyMatch(r -> r.contains("carol is not an admin"))
        .anyMatch(r -> r.contains("a group we do not know"));
    assertThat(bob.heard.groupTexts()).containsExactly("real");
    assertThat(texts(bob, group)).containsExactly("real");
    assertThat(bob.messenger.groups().get(group).orElseThrow().members()).hasSize(3);
    assertThat(toBob.isOpen()).isTrue();
    toBob.send(new ChannelMessage.GroupSync(group, java.util.Map.of()));
    w.run();
    assertThat(mallory.received).noneMatch(ChannelMessage.GroupEntry.class::isInstance);
  }

  @Test
  void entriesAMemberDoesNotConfirmGoAgainAfterTenSecondsThenLessOften() {
    World w = world;
    World.Client alice = w.client("alice").online();
    RawPeer rita = new RawPeer(w, "rita").online();
    UserName ritaName = new UserName("rita");
    w.run();
    assertThat(alice.messenger.safetyNumber(ritaName)).isPresent(); // pins rita's key
    // rita knows no group: she answers a sync with an empty one, and confirms nothing.
    rita.answering(
        (link, message) -> {
          if (message instanceof ChannelMessage.GroupSync sync && !sync.have().isEmpty()) {
            link.send(new ChannelMessage.GroupSync(sync.group(), java.util.Map.of()));
          }
        });
    GroupId group = alice.messenger.groups().create("Climbing", List.of(ritaName));
    LogEntry hello = alice.messenger.groups().send(group, "hello rita");
    w.run();
    assertThat(entries(rita)).hasSize(2); // the create and the message

    w.advance(java.time.Duration.ofSeconds(9));
    assertThat(entries(rita)).hasSize(2);
    w.advance(java.time.Duration.ofSeconds(2));
    assertThat(entries(rita)).hasSize(4);
    w.advance(java.time.Duration.ofSeconds(15));
    assertThat(entries(rita)).hasSize(4); // the next try waits twice as long
    w.advance(java.time.Duration.ofSeconds(6));
    assertThat(entries(rita)).hasSize(6);

    rita.links
        .link(ALICE)
        .orElseThrow()
        .send(new ChannelMessage.GroupSync(group, java.util.Map.of("alice", 2L)));
    w.advance(java.time.Duration.ofMinutes(5));
    assertThat(entries(rita)).hasSize(6);
    assertThat(alice.messenger.groups().delivery(group, hello.hash()).toString())
        .isEqualTo("delivered to 1 of 1");
  }

  @Test
  void aFloodOfRejectedEntriesIsReportedOnceInTenSecondsSayingHowManyMore() {
    World w = world;
    World.Client alice = w.client("alice").online();
    World.Client bob = w.client("bob").online();
    RawPeer mallory = new RawPeer(w, "mallory").online();
    GroupId group = alice.messenger.groups().create("Climbing", List.of(BOB));
    w.run();
    LogEntry create = alice.messenger.groups().history(group, 1).getFirst();
    PeerLink toBob = opened(mallory.links.open(BOB));
    Identity key = Identity.generate();

    for (int i = 0; i < 100; i++) {
      toBob.send(
          new ChannelMessage.GroupEntry(
              LogEntry.sign(key, group, BOB, 1, i, List.of(create.hash()), Op.Text.of("x"))));
    }
    w.run();
    assertThat(bob.heard.groupRejected).hasSize(1);
    w.advance(java.time.Duration.ofSeconds(11));
    toBob.send(
        new ChannelMessage.GroupEntry(
            LogEntry.sign(key, group, BOB, 1, 100, List.of(create.hash()), Op.Text.of("x"))));
    w.run();

    assertThat(bob.heard.groupRejected).hasSize(2);
    assertThat(bob.heard.groupRejected.get(1)).endsWith("(and 99 more rejected before it)");
    assertThat(toBob.isOpen()).isTrue();
    assertThat(bob.heard.groupTexts()).isEmpty();
  }

  private static List<ChannelMessage.GroupEntry> entries(RawPeer peer) {
    return peer.received.stream()
        .filter(ChannelMessage.GroupEntry.class::isInstance)
        .map(ChannelMessage.GroupEntry.class::cast)
        .toList();
  }

  @Test
  void restartingAnyMemberLosesNothingAndShowsNothingTwice() {
    World w = world;
    World.Client alice = w.client("alice").online();
    World.Client bob = w.client("bob").online();
    World.Client carol = w.client("carol").online();
    GroupId group = alice.messenger.groups().create("Climbing", List.of(BOB, CAROL));
    w.run();
    alice.messenger.groups().send(group, "a1");
    w.run();
    List<String> bobSaw = new ArrayList<>(bob.heard.groupTexts());

    World.Client bob2 = w.restart(bob);
    alice.messenger.groups().send(group, "a2");
    carol.messenger.groups().send(group, "c1");
    w.run();
    bob2.online();

    World.Client alice2 = w.restart(alice).online();
    bob2.messenger.groups().send(group, "b1");
    w.run();
    World.Client carol2 = w.restart(carol).online();
    alice2.messenger.groups().send(group, "a3");
    w.run();
    bobSaw.addAll(bob2.heard.groupTexts());
    World.Client bob3 = w.restart(bob2).online();
    bobSaw.addAll(bob3.heard.groupTexts());

    assertThat(bobSaw).containsExactlyInAnyOrder("a1", "a2", "c1", "a3");
    assertThat(texts(bob3, group)).containsExactlyInAnyOrder("a1", "a2", "c1", "b1", "a3");
    assertThat(hashes(bob3, group))
        .isEqualTo(hashes(alice2, group))
        .isEqualTo(hashes(carol2, group))
        .doesNotHaveDuplicates();
    List<String> carolSaw = new ArrayList<>(carol.heard.groupTexts());
    carolSaw.addAll(carol2.heard.groupTexts());
    assertThat(carolSaw).containsExactlyInAnyOrder("a1", "a2", "b1", "a3");
  }

  @Test
  void onlyAnAdminChangesTheGroup() {
    World w = world;
    World.Client alice = w.client("alice").online();
    World.Client bob = w.client("bob").online();
    w.client("carol").online();
    GroupId group = alice.messenger.groups().create("Climbing", List.of(BOB));
    w.run();

    assertThatThrownBy(() -> bob.messenger.groups().add(group, CAROL))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not an admin");
    alice.messenger.groups().makeAdmin(group, BOB);
    w.run();
    bob.messenger.groups().add(group, CAROL);
    w.run();

    assertThat(alice.messenger.groups().get(group).orElseThrow().members())
        .extracting(Group.Member::name, Group.Member::admin)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(ALICE, true),
            org.assertj.core.groups.Tuple.tuple(BOB, true),
            org.assertj.core.groups.Tuple.tuple(CAROL, false));
  }
}
