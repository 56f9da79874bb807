package dev.parley.server.presence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.Identity;
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
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LocalPresenceTest {
  /** Presence frames go out when the test says so. */
  private final List<Runnable> due = new ArrayList<>();

  private final LocalPresence presence =
      new LocalPresence((task, delay) -> due.add(task), Duration.ofMillis(20), new Metrics());

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

  private TestMember join(String name) {
    TestMember member = new TestMember(name);
    member.online = presence.join(member).toCompletableFuture().join();
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

    /** Who this member believes is online: its welcome's list, then each presence frame. */
    Set<String> view() {
      Set<String> view = new HashSet<>();
      welcome(online).online().forEach(u -> view.add(u.name().value()));
      for (byte[] frame : frames) {
        var change =
            (ServerMessage.Presence) ServerCodec.decode(new String(frame, StandardCharsets.UTF_8));
        change.joined().forEach(u -> view.add(u.name().value()));
        change.left().forEach(n -> view.remove(n.value()));
      }
      view.remove(user.name().value());
      return view;
    }
  }
}
