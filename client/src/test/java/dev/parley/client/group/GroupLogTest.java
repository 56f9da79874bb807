package dev.parley.client.group;

import static dev.parley.client.group.Founders.ALICE;
import static dev.parley.client.group.Founders.BOB;
import static dev.parley.client.group.Founders.CAROL;
import static dev.parley.client.group.Founders.DAVE;
import static dev.parley.client.group.Founders.NO_PINS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.Identity;
import dev.parley.protocol.UserName;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The rules of a group's log (docs/p2p.md, "Who is a member", "Order", "Who gets what"). */
class GroupLogTest {
  private final Founders f = new Founders();

  private static GroupLog logOf(LogEntry create, List<LogEntry> entries) {
    GroupLog log = GroupLog.start(create, NO_PINS);
    for (LogEntry entry : entries) {
      GroupLog.Added added = log.add(entry, NO_PINS);
      assertThat(added.rejected()).isEmpty();
    }
    return log;
  }

  /** The spec's order computed from scratch: Kahn's algorithm, smallest hash first. */
  private static List<LogEntry> kahn(List<LogEntry> entries) {
    Map<String, Integer> waiting = new HashMap<>();
    Map<String, List<LogEntry>> children = new HashMap<>();
    java.util.PriorityQueue<LogEntry> ready =
        new java.util.PriorityQueue<>(java.util.Comparator.comparing(LogEntry::hash));
    for (LogEntry entry : entries) {
      waiting.put(entry.hash(), entry.parents().size());
      entry.parents().forEach(p -> children.computeIfAbsent(p, k -> new ArrayList<>()).add(entry));
      if (entry.parents().isEmpty()) {
        ready.add(entry);
      }
    }
    List<LogEntry> order = new ArrayList<>();
    while (!ready.isEmpty()) {
      LogEntry next = ready.poll();
      order.add(next);
      for (LogEntry child : children.getOrDefault(next.hash(), List.of())) {
        if (waiting.merge(child.hash(), -1, Integer::sum) == 0) {
          ready.add(child);
        }
      }
    }
    return order;
  }

  private static List<String> texts(GroupLog log) {
    return log.ordered().stream().flatMap(e -> e.text().stream()).toList();
  }

  @Test
  void everyArrivalOrderGivesTheSameOrderWithEachEntryAfterItsParents() {
    LogEntry create = f.create(ALICE, ALICE, BOB, CAROL);
    LogEntry a1 = f.text(ALICE, 2, "a1", create);
    LogEntry b1 = f.text(BOB, 1, "b1", create);
    LogEntry c1 = f.text(CAROL, 1, "c1", create);
    LogEntry b2 = f.text(BOB, 2, "b2", b1, a1);
    LogEntry c2 = f.text(CAROL, 2, "c2", c1);
    LogEntry a3 = f.text(ALICE, 3, "a3", a1, b2, c2);
    List<LogEntry> entries = new ArrayList<>(List.of(a1, b1, c1, b2, c2, a3));
    List<String> first = texts(logOf(create, entries));

    Random random = new Random(18);
    for (int i = 0; i < 50; i++) {
      Collections.shuffle(entries, random);
      // Out of order: entries wait for their parents, then all are taken.
      assertThat(texts(logOf(create, entries))).isEqualTo(first);
    }
    assertThat(first).containsExactlyInAnyOrder("a1", "b1", "c1", "b2", "c2", "a3");
    assertThat(first.indexOf("b2")).isGreaterThan(first.indexOf("a1")).isGreaterThan(-1);
    assertThat(first.indexOf("b2")).isGreaterThan(first.indexOf("b1"));
    assertThat(first.getLast()).isEqualTo("a3");
  }

  @Test
  void theOrderKeptAsEntriesArriveIsTheOneKahnsAlgorithmGivesForTheWhole() {
    LogEntry create = f.create(ALICE, ALICE, BOB, CAROL, DAVE);
    List<UserName> authors = List.of(ALICE, BOB, CAROL, DAVE);
    Random random = new Random(17);
    List<LogEntry> written = new ArrayList<>();
    Map<UserName, LogEntry> last = new HashMap<>();
    for (int i = 0; i < 160; i++) {
      UserName author = authors.get(random.nextInt(authors.size()));
      List<LogEntry> parents = new ArrayList<>();
      LogEntry own = last.get(author);
      parents.add(own == null ? create : own);
      for (int p = random.nextInt(3); p > 0 && !written.isEmpty(); p--) {
        // What it has seen: any earlier entry, often a recent one, as concurrent writers do.
        int from = Math.max(0, written.size() - 1 - random.nextInt(Math.min(written.size(), 12)));
        parents.add(written.get(from));
      }
      long seq = own == null ? (author.equals(ALICE) ? 2 : 1) : own.seq() + 1;
      LogEntry entry = f.text(author, seq, author + " " + i, parents.toArray(LogEntry[]::new));
      written.add(entry);
      last.put(author, entry);
    }

    GroupLog kept = GroupLog.start(create, Founders.NO_PINS);
    for (LogEntry entry : written) {
      assertThat(kept.add(entry, Founders.NO_PINS).rejected()).isEmpty();
      assertThat(kept.ordered()).contains(entry); // the order is asked for after every arrival
    }
    List<LogEntry> all = new ArrayList<>(written);
    all.add(create);

    assertThat(kept.ordered()).isEqualTo(kahn(all)).hasSize(161);
  }

  @Test
  void concurrentEntriesAreOrderedBySmallestHashFirst() {
    LogEntry create = f.create(ALICE, ALICE, BOB, CAROL);
    LogEntry b1 = f.text(BOB, 1, "b1", create);
    LogEntry c1 = f.text(CAROL, 1, "c1", create);

    List<LogEntry> order = logOf(create, List.of(b1, c1)).ordered();

    LogEntry smaller = b1.hash().compareTo(c1.hash()) < 0 ? b1 : c1;
    assertThat(order.get(1)).isEqualTo(smaller);
  }

  @Test
  void anEntryWaitsForItsParentsAndIsTakenWhenTheyCome() {
    LogEntry create = f.create(ALICE, ALICE, BOB);
    LogEntry b1 = f.text(BOB, 1, "b1", create);
    LogEntry a2 = f.text(ALICE, 2, "a2", create, b1);
    GroupLog log = GroupLog.start(create, NO_PINS);

    assertThat(log.add(a2, NO_PINS).accepted()).isEmpty();
    assertThat(log.add(b1, NO_PINS).accepted()).containsExactly(b1, a2);
    assertThat(log.have()).isEqualTo(Map.of("alice", 2L, "bob", 1L));
  }

  @Test
  void aRemovedMemberIsNoLongerOneAndWhatItWritesAfterIsRejected() {
    LogEntry create = f.create(ALICE, ALICE, BOB, CAROL);
    LogEntry remove = f.entry(ALICE, 2, new Op.Remove(CAROL), create);
    LogEntry after = f.text(CAROL, 1, "still here?", remove);
    GroupLog log = logOf(create, List.of(remove));

    assertThat(log.members().names()).containsExactlyInAnyOrder(ALICE, BOB);
    assertThat(log.add(after, NO_PINS).rejected())
        .singleElement()
        .extracting(GroupLog.Rejected::why)
        .asString()
        .contains("carol is not a member");
  }

  @Test
  void aMessageWrittenConcurrentlyWithItsAuthorsRemovalIsKept() {
    LogEntry create = f.create(ALICE, ALICE, BOB, CAROL);
    LogEntry remove = f.entry(ALICE, 2, new Op.Remove(CAROL), create);
    LogEntry concurrent = f.text(CAROL, 1, "bye", create);
    GroupLog log = logOf(create, List.of(remove, concurrent));

    assertThat(texts(log)).containsExactly("bye");
    assertThat(log.members().isMember(CAROL)).isFalse();
    assertThat(log.recipients(concurrent.hash())).containsExactlyInAnyOrder(ALICE, BOB, CAROL);
  }

  @Test
  void aChangeByAMemberWhoIsNotAnAdminIsRejected() {
    LogEntry create = f.create(ALICE, ALICE, BOB);
    GroupLog log = logOf(create, List.of());

    assertThat(log.add(f.entry(BOB, 1, new Op.Add(f.key(CAROL)), create), NO_PINS).rejected())
        .singleElement()
        .extracting(GroupLog.Rejected::why)
        .asString()
        .contains("bob is not an admin");
    assertThat(log.add(f.entry(BOB, 1, new Op.Remove(ALICE), create), NO_PINS).rejected())
        .hasSize(1);
    assertThat(log.members().names()).containsExactlyInAnyOrder(ALICE, BOB);
  }

  @Test
  void anAdminMadeByAnAdminMayChangeTheGroup() {
    LogEntry create = f.create(ALICE, ALICE, BOB);
    LogEntry admin = f.entry(ALICE, 2, new Op.MakeAdmin(BOB), create);
    LogEntry add = f.entry(BOB, 1, new Op.Add(f.key(CAROL)), admin);

    GroupLog log = logOf(create, List.of(admin, add));

    assertThat(log.members().isAdmin(BOB)).isTrue();
    assertThat(log.members().names()).containsExactlyInAnyOrder(ALICE, BOB, CAROL);
    assertThat(log.members().isAdmin(CAROL)).isFalse();
  }

  @Test
  void twoAdminsRemovingEachOtherConcurrentlyBothLeaveTheGroup() {
    LogEntry create = f.create(ALICE, ALICE, BOB, CAROL);
    LogEntry admin = f.entry(ALICE, 2, new Op.MakeAdmin(BOB), create);
    LogEntry aliceRemovesBob = f.entry(ALICE, 3, new Op.Remove(BOB), admin);
    LogEntry bobRemovesAlice = f.entry(BOB, 1, new Op.Remove(ALICE), admin);

    GroupLog one = logOf(create, List.of(admin, aliceRemovesBob, bobRemovesAlice));
    GroupLog other = logOf(create, List.of(admin, bobRemovesAlice, aliceRemovesBob));

    assertThat(one.members().names()).containsExactly(CAROL);
    assertThat(other.members()).isEqualTo(one.members());
  }

  @Test
  void anAdminRemovedAndAddedAgainIsAPlainMember() {
    LogEntry create = f.create(ALICE, ALICE, BOB);
    LogEntry admin = f.entry(ALICE, 2, new Op.MakeAdmin(BOB), create);
    LogEntry remove = f.entry(ALICE, 3, new Op.Remove(BOB), admin);
    LogEntry again = f.entry(ALICE, 4, new Op.Add(f.key(BOB)), remove);

    GroupLog log = logOf(create, List.of(admin, remove, again));

    assertThat(log.members().isMember(BOB)).isTrue();
    assertThat(log.members().isAdmin(BOB)).isFalse();
  }

  @Test
  void aLeaveConcurrentWithAnAddAfterAnEarlierRemovalLeavesTheAddStanding() {
    LogEntry create = f.create(ALICE, ALICE, BOB, CAROL);
    LogEntry remove = f.entry(ALICE, 2, new Op.Remove(CAROL), create);
    LogEntry readd = f.entry(ALICE, 3, new Op.Add(f.key(CAROL)), remove);
    LogEntry leave = f.entry(CAROL, 1, new Op.Leave(), create);

    GroupLog log = logOf(create, List.of(remove, readd, leave));

    assertThat(log.members().isMember(CAROL)).isTrue();
  }

  @Test
  void anEntrySignedByAnotherKeyIsRejectedAsForged() {
    LogEntry create = f.create(ALICE, ALICE, BOB);
    GroupLog log = logOf(create, List.of());
    LogEntry forged =
        LogEntry.sign(
            Identity.generate(), f.group, BOB, 1, 1, List.of(create.hash()), Op.Text.of("hi"));

    assertThat(log.add(forged, NO_PINS).rejected())
        .singleElement()
        .extracting(GroupLog.Rejected::why)
        .asString()
        .startsWith("forged");
    assertThat(log.size()).isEqualTo(1);
  }

  @Test
  void anEntryReplayedIntoAnotherGroupIsRejectedAsForged() {
    LogEntry create = f.create(ALICE, ALICE, BOB);
    LogEntry message = f.text(BOB, 1, "for the first group", create);
    Founders other = new Founders();
    LogEntry otherCreate =
        LogEntry.sign(
            f.keys.get(ALICE),
            other.group,
            ALICE,
            1,
            1,
            List.of(),
            new Op.Create("Other", List.of(f.key(ALICE), f.key(BOB))));
    GroupLog otherLog = GroupLog.start(otherCreate, NO_PINS);
    LogEntry replayed =
        new LogEntry(
            other.group,
            BOB,
            1,
            message.ts(),
            message.parents(),
            message.op(),
            message.signature());

    assertThat(otherLog.add(replayed, NO_PINS).rejected())
        .singleElement()
        .extracting(GroupLog.Rejected::why)
        .asString()
        .startsWith("forged");
  }

  @Test
  void aTextThatIsNotTheOneItsBodyNamesIsForged() {
    LogEntry create = f.create(ALICE, ALICE, BOB);
    LogEntry message = f.text(BOB, 1, "what bob wrote", create);
    LogEntry swapped =
        new LogEntry(
            message.group(),
            BOB,
            1,
            message.ts(),
            message.parents(),
            new Op.Text(((Op.Text) message.op()).body(), Optional.of("what mallory wants")),
            message.signature());

    assertThat(logOf(create, List.of()).add(swapped, NO_PINS).rejected()).hasSize(1);
  }

  @Test
  void aKeyOtherThanThePinnedOneIsRejectedAsForged() {
    LogEntry create = f.create(ALICE, ALICE, BOB);
    Identity another = Identity.generate();

    assertThatThrownBy(() -> GroupLog.start(create, name -> Optional.of(another.publicKey())))
        .isInstanceOf(RejectedEntryException.class)
        .hasMessageContaining("another key than the one pinned");
  }

  @Test
  void twoEntriesWithOneSeqAreAForkAndTheSecondIsRejected() {
    LogEntry create = f.create(ALICE, ALICE, BOB);
    LogEntry one = f.text(BOB, 1, "one", create);
    LogEntry two = f.text(BOB, 1, "two", create);
    GroupLog log = logOf(create, List.of(one));

    assertThat(log.add(two, NO_PINS).rejected())
        .singleElement()
        .extracting(GroupLog.Rejected::why)
        .asString()
        .contains("fork");
  }

  @Test
  void anEntryThatDoesNotNameItsAuthorsPreviousOneIsRejected() {
    LogEntry create = f.create(ALICE, ALICE, BOB);
    LogEntry one = f.text(BOB, 1, "one", create);
    LogEntry skips = f.text(BOB, 2, "two", create);

    assertThat(logOf(create, List.of(one)).add(skips, NO_PINS).rejected()).hasSize(1);
  }

  @Test
  void aSecondCreateIsRejected() {
    LogEntry create = f.create(ALICE, ALICE, BOB);
    LogEntry another = f.create(BOB, ALICE, BOB);

    assertThat(logOf(create, List.of()).add(another, NO_PINS).rejected()).hasSize(1);
  }

  @Test
  void aMemberAddedLaterIsOfferedEarlierMessagesOnlyAsStubs() {
    LogEntry create = f.create(ALICE, ALICE, BOB);
    LogEntry before = f.text(BOB, 1, "before carol", create);
    LogEntry add = f.entry(ALICE, 2, new Op.Add(f.key(CAROL)), create, before);
    LogEntry after = f.text(BOB, 2, "after carol came", before, add);
    GroupLog log = logOf(create, List.of(before, add, after));

    List<LogEntry> offered = log.lacking(CAROL, Map.of());

    assertThat(offered).containsExactly(create, before.stub(), add, after);
    assertThat(offered.get(1).isStub()).isTrue();
    GroupLog carols = logOf(create, offered.subList(1, offered.size()));
    assertThat(texts(carols)).containsExactly("after carol came");
    assertThat(carols.ordered())
        .extracting(LogEntry::hash)
        .isEqualTo(log.ordered().stream().map(LogEntry::hash).toList());
  }

  @Test
  void aRemovedMemberIsOfferedItsRemovalAndNothingWrittenAfter() {
    LogEntry create = f.create(ALICE, ALICE, BOB, CAROL);
    LogEntry remove = f.entry(ALICE, 2, new Op.Remove(CAROL), create);
    LogEntry after = f.text(BOB, 1, "carol is gone", remove);
    GroupLog log = logOf(create, List.of(remove, after));

    assertThat(log.lacking(CAROL, Map.of("alice", 1L))).containsExactly(remove);
    assertThat(log.lacking(DAVE, Map.of())).isEmpty();
    assertThat(log.lacking(BOB, Map.of("alice", 1L))).containsExactly(remove, after);
  }

  @Test
  void theParentsOfAnEntryAreAtMostSixteenAndNameTheAuthorsPreviousEntry() {
    List<MemberKey> members = new ArrayList<>();
    Map<dev.parley.protocol.UserName, Identity> keys = new java.util.HashMap<>();
    for (int i = 0; i < 20; i++) {
      var name = new dev.parley.protocol.UserName("m" + i);
      keys.put(name, Identity.generate());
      members.add(new MemberKey(name, keys.get(name).publicKey()));
    }
    var first = members.get(0).name();
    LogEntry create =
        LogEntry.sign(
            keys.get(first), f.group, first, 1, 1, List.of(), new Op.Create("Many", members));
    GroupLog log = GroupLog.start(create, NO_PINS);
    for (MemberKey member : members.subList(1, members.size())) {
      LogEntry concurrent =
          LogEntry.sign(
              keys.get(member.name()),
              f.group,
              member.name(),
              1,
              2,
              List.of(create.hash()),
              Op.Text.of("hi"));
      assertThat(log.add(concurrent, NO_PINS).accepted()).hasSize(1);
    }

    List<String> parents = log.parentsFor(first);

    assertThat(parents).hasSize(LogEntry.MAX_PARENTS).contains(create.hash());
    LogEntry next =
        LogEntry.sign(keys.get(first), f.group, first, 2, 3, parents, Op.Text.of("all of you"));
    assertThat(log.add(next, NO_PINS).accepted()).containsExactly(next);
  }
}
