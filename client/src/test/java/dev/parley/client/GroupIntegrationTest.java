package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.client.group.GroupId;
import dev.parley.client.group.LogEntry;
import dev.parley.protocol.UserName;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A group of three real clients over webrtc-java through a real server (docs/p2p.md, "Groups"): a
 * member that was offline catches up from another member while the author is gone.
 */
@Timeout(120)
class GroupIntegrationTest {
  private static final UserName ALICE = new UserName("alice");
  private static final UserName BOB = new UserName("bob");
  private static final UserName CAROL = new UserName("carol");

  @TempDir Path data;
  private TestBed bed;

  @BeforeEach
  void start() {
    bed = new TestBed(data);
  }

  @AfterEach
  void stop() {
    bed.close();
  }

  @Test
  void aMemberBackOnlineGetsWhatItMissedFromAnotherMemberInTheSameOrder() {
    TestBed.Peer alice = bed.login("alice");
    TestBed.Peer bob = bed.login("bob");
    TestBed.Peer carol = bed.login("carol");
    // alice needs their keys: the server presents them once it has told her they are online.
    await()
        .atMost(Recorder.TIMEOUT)
        .until(() -> alice.client().online().containsAll(List.of(BOB, CAROL)));
    GroupId group = alice.client().groups().create("Climbing", List.of(BOB, CAROL));
    LogEntry first = alice.client().groups().send(group, "first");
    assertThat(Recorder.next(carol.events().groupMessages).text()).contains("first");
    carol.client().close();

    alice.client().groups().send(group, "while carol was away");
    assertThat(Recorder.next(bob.events().groupMessages).text()).contains("first");
    assertThat(Recorder.next(bob.events().groupMessages).text()).contains("while carol was away");
    alice.client().close();

    TestBed.Peer back = bed.login("carol");

    assertThat(Recorder.next(back.events().groupMessages).text()).contains("while carol was away");
    assertThat(back.client().groups().history(group, 10))
        .extracting(LogEntry::hash)
        .isEqualTo(bob.client().groups().history(group, 10).stream().map(LogEntry::hash).toList())
        .contains(first.hash());
    assertThat(back.client().groups().get(group).orElseThrow().members())
        .extracting(m -> m.name().value() + (m.online() ? " online" : " offline"))
        .containsExactly("alice offline", "bob online", "carol online");
    assertThat(first.author()).isEqualTo(ALICE);
  }

  @Test
  void aFileReachesTheMembersOverRealLinksAndTypingShowsUntilTheTypistWrites() throws Exception {
    TestBed.Peer alice = bed.login("alice");
    TestBed.Peer bob = bed.login("bob");
    TestBed.Peer carol = bed.login("carol");
    await()
        .atMost(Recorder.TIMEOUT)
        .until(() -> alice.client().online().containsAll(List.of(BOB, CAROL)));
    GroupId group = alice.client().groups().create("Climbing", List.of(BOB, CAROL));
    alice.client().groups().send(group, "hello");
    Recorder.next(bob.events().groupMessages);
    Recorder.next(carol.events().groupMessages);
    byte[] bytes = new byte[1_500_000];
    new java.util.Random(7).nextBytes(bytes);
    Path topo = java.nio.file.Files.write(data.resolve("topo.bin"), bytes);

    bob.client().groups().typing(group, true);
    assertThat(Recorder.next(alice.events().groupTyping)).isEqualTo("bob typing");
    bob.client().groups().send(group, "sending the topo");
    assertThat(Recorder.next(alice.events().groupTyping)).isEqualTo("bob stopped");
    LogEntry file = alice.client().groups().sendFile(group, topo);

    for (TestBed.Peer member : List.of(bob, carol)) {
      Path saved = Recorder.next(member.events().groupFiles);
      assertThat(java.nio.file.Files.readAllBytes(saved)).isEqualTo(bytes);
      assertThat(member.client().groups().file(group, file.hash())).contains(saved);
    }
  }
}
