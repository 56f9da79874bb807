package dev.parley.client.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.group.GroupId;
import dev.parley.client.group.LogEntry;
import dev.parley.client.group.Op;
import dev.parley.client.link.ChannelMessage;
import dev.parley.client.link.PeerLink;
import dev.parley.protocol.UserName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Files and typing in groups (docs/p2p.md, "Files in a group", "Typing in a group"), between
 * clients in one JVM: the bytes from whoever holds them, checked; asked again after a restart;
 * served only to the entry's recipients.
 */
class GroupFilesTest extends WorldTest {
  static final UserName CAROL = new UserName("carol");

  private World.Client alice;
  private World.Client bob;
  private World.Client carol;
  private GroupId group;

  /** alice, bob and carol online, in a group alice made. */
  private void threeInAGroup() {
    alice = world.client("alice").online();
    bob = world.client("bob").online();
    carol = world.client("carol").online();
    group = alice.messenger.groups().create("Climbing", List.of(BOB, CAROL));
    world.run();
  }

  private Path write(String name, byte[] bytes) throws Exception {
    Path file = dir.resolve("out").resolve(name);
    Files.createDirectories(file.getParent());
    return Files.write(file, bytes);
  }

  private static byte[] randomBytes(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }

  @Test
  void aFileReachesEveryMemberCheckedAndSavedWithItsName() throws Exception {
    World w = world;
    threeInAGroup();
    byte[] bytes = randomBytes(2 * 1024 * 1024 + 77); // more than a link buffers at once
    Path topo = write("topo.pdf", bytes);

    LogEntry sent = alice.messenger.groups().sendFile(group, topo);
    w.run();

    assertThat(sent.op()).isInstanceOf(Op.File.class);
    for (World.Client member : List.of(bob, carol)) {
      assertThat(member.heard.groupMessages).extracting(LogEntry::hash).contains(sent.hash());
      Path saved = member.heard.groupFiles.get(sent.hash());
      assertThat(saved.getFileName().toString()).isEqualTo("topo.pdf");
      assertThat(Files.readAllBytes(saved)).isEqualTo(bytes);
      assertThat(member.messenger.groups().file(group, sent.hash())).contains(saved);
      assertThat(member.heard.progressIn).endsWith((long) bytes.length);
    }
    assertThat(alice.messenger.groups().file(group, sent.hash())).contains(topo.toAbsolutePath());
    assertThat(alice.messenger.groups().delivery(group, sent.hash()).delivered()).isEqualTo(2);
  }

  @Test
  void aMemberBackOnlineGetsTheBytesFromAnotherMemberWhileTheAuthorIsAway() throws Exception {
    World w = world;
    threeInAGroup();
    carol.close();
    byte[] bytes = randomBytes(300_000);
    LogEntry sent = alice.messenger.groups().sendFile(group, write("route.gpx", bytes));
    w.run();
    alice.close();
    assertThat(bob.heard.groupFiles).containsKey(sent.hash());

    World.Client back = w.restart(carol).online();

    Path saved = back.heard.groupFiles.get(sent.hash());
    assertThat(saved).isNotNull();
    assertThat(Files.readAllBytes(saved)).isEqualTo(bytes);
  }

  @Test
  void damagedBytesAreDiscardedReportedAndTheFileIsFetchedFromAnotherMember() throws Exception {
    World w = world;
    threeInAGroup();
    carol.close();
    byte[] bytes = randomBytes(100_000);
    LogEntry sent = alice.messenger.groups().sendFile(group, write("photo.jpg", bytes));
    w.run();
    alice.close();
    // bob's copy changes on disk after it was checked: same size, other bytes.
    Files.write(bob.heard.groupFiles.get(sent.hash()), corrupt(bytes));

    World.Client back = w.restart(carol).online();

    assertThat(back.heard.groupFiles).doesNotContainKey(sent.hash());
    assertThat(back.heard.problems)
        .anyMatch(p -> p.what().contains("bob sent damaged bytes of photo.jpg"));
    assertThat(names(w.downloads(back)))
        .doesNotContain("photo.jpg")
        .noneMatch(n -> n.startsWith(".partial-"));

    w.restart(alice).online();

    assertThat(Files.readAllBytes(back.heard.groupFiles.get(sent.hash()))).isEqualTo(bytes);
  }

  @Test
  void aFileNotYetFetchedIsAskedForAgainAfterARestart() throws Exception {
    World w = world;
    World.Client alice = w.client("alice").online();
    World.Client carol = w.client("carol").online();
    GroupId group = alice.messenger.groups().create("Climbing", List.of(CAROL));
    w.run();
    byte[] bytes = randomBytes(50_000);
    Path notes = write("notes.txt", bytes);
    Path away = dir.resolve("notes.moved");
    // The author moves the file away before carol asks: it is not served, and carol waits.
    carol.close();
    LogEntry sent = alice.messenger.groups().sendFile(group, notes);
    Files.move(notes, away);
    World.Client back = w.restart(carol).online();
    assertThat(back.heard.groupMessages).extracting(LogEntry::hash).contains(sent.hash());
    assertThat(back.heard.groupFiles).isEmpty();

    back = w.restart(back);
    Files.move(away, notes);
    back.online();

    assertThat(Files.readAllBytes(back.heard.groupFiles.get(sent.hash()))).isEqualTo(bytes);
  }

  @Test
  void theBytesGoOnlyToTheEntrysRecipients() throws Exception {
    World w = world;
    World.Client alice = w.client("alice").online();
    World.Client bob = w.client("bob").online();
    GroupId group = alice.messenger.groups().create("Climbing", List.of(BOB));
    w.run();
    LogEntry sent =
        alice.messenger.groups().sendFile(group, write("secret.txt", new byte[] {1, 2}));
    w.run();
    // carol, added after the file, is a member but not one of its recipients; mallory is neither.
    RawPeer carol = new RawPeer(w, "carol").online();
    alice.messenger.groups().add(group, CAROL);
    w.run();
    assertThat(bob.messenger.groups().get(group).orElseThrow().members()).hasSize(3);
    RawPeer mallory = new RawPeer(w, "mallory").online();

    for (RawPeer asking : List.of(carol, mallory)) {
      PeerLink toBob = opened(asking.links.open(BOB));
      toBob.send(new ChannelMessage.GroupFileGet(group, sent.hash()));
      w.run();

      assertThat(asking.received)
          .filteredOn(m -> m.getClass().getSimpleName().startsWith("GroupFile"))
          .containsExactly(new ChannelMessage.GroupFileMissing(group, sent.hash()));
    }
    assertThat(bob.heard.groupFiles).containsKey(sent.hash());
  }

  @Test
  void typingInAGroupIsShownToTheMembersWithALinkUntilTheyWriteOrSixSecondsPass() {
    World w = world;
    threeInAGroup();

    alice.messenger.groups().typing(group, true);
    w.run();
    assertThat(bob.heard.groupTyping).containsExactly("alice typing");
    assertThat(carol.heard.groupTyping).containsExactly("alice typing");

    alice.messenger.groups().send(group, "hi");
    w.run();
    assertThat(bob.heard.groupTyping).containsExactly("alice typing", "alice stopped");

    bob.messenger.groups().typing(group, true);
    w.run();
    w.advance(Duration.ofSeconds(7));
    assertThat(alice.heard.groupTyping).containsExactly("bob typing", "bob stopped");
  }

  private static List<String> names(Path dir) throws Exception {
    try (var files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).toList();
    }
  }

  private static byte[] corrupt(byte[] bytes) {
    byte[] copy = bytes.clone();
    copy[copy.length / 2] ^= 1;
    return copy;
  }
}
