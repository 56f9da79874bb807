package dev.parley.client.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.link.ChannelMessage;
import dev.parley.client.link.PeerLink;
import dev.parley.client.profile.Delivery;
import dev.parley.client.profile.Entry;
import dev.parley.protocol.Identity;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Messages, acknowledgements, resends and the outbox (docs/p2p.md, "Delivery"), in memory. */
class DeliveryTest extends WorldTest {

  @Test
  void aMessageToSomeoneOnlineIsQueuedSentAndDeliveredOnce() {
    World w = world;
    World.Client alice = w.client("alice").online();
    World.Client bob = w.client("bob").online();

    Messenger.Sending sending = alice.messenger.send(BOB, "hello bob");
    w.run();

    assertThat(sending.entry().state()).isEqualTo(Delivery.QUEUED);
    assertThat(sending.delivered())
        .isCompletedWithValueMatching(e -> e.state() == Delivery.DELIVERED);
    assertThat(alice.heard.states(sending.entry().id()))
        .containsExactly(Delivery.QUEUED, Delivery.SENT, Delivery.DELIVERED);
    assertThat(bob.heard.received).extracting(Entry::text).containsExactly("hello bob");
    assertThat(bob.heard.received.get(0).id()).isEqualTo(sending.entry().id());
    assertThat(bob.heard.received.get(0).peer()).isEqualTo(ALICE);
    assertThat(alice.messenger.history(BOB, 10))
        .extracting(Entry::text, Entry::state)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("hello bob", Delivery.DELIVERED));
    assertThat(bob.messenger.history(ALICE, 10)).extracting(Entry::outgoing).containsExactly(false);
    assertThat(alice.heard.linkOpened).hasSize(1);
    assertThat(bob.heard.linkOpened).hasSize(1);
  }

  @Test
  void aMessageToSomeoneOfflineWaitsInTheOutboxUntilTheyJoin() {
    World w = world;
    World.Client alice = w.client("alice").online();
    World.Client bob = w.client("bob");

    Messenger.Sending sending = alice.messenger.send(BOB, "see you later");
    w.advance(Duration.ofMinutes(1));

    assertThat(sending.delivered()).isNotDone();
    assertThat(alice.heard.states(sending.entry().id())).containsExactly(Delivery.QUEUED);
    bob.online();
    assertThat(sending.delivered()).isCompleted();
    assertThat(bob.heard.received).extracting(Entry::text).containsExactly("see you later");
  }

  @Test
  void anUnacknowledgedMessageIsSentAgainTenSecondsLaterWithTheSameId() {
    World w = world;
    RawPeer bob = new RawPeer(w, "bob").online();
    // bob acknowledges a message only when it comes the second time.
    bob.answering(
        (link, message) -> {
          if (message instanceof ChannelMessage.Chat chat
              && bob.chats().stream().filter(c -> c.id().equals(chat.id())).count() == 2) {
            link.send(new ChannelMessage.Ack(chat.id()));
          }
        });
    World.Client alice = w.client("alice").online();

    Messenger.Sending sending = alice.messenger.send(BOB, "are you there?");
    w.run();
    assertThat(bob.chats()).hasSize(1);
    w.advance(Duration.ofSeconds(10));
    assertThat(bob.chats()).hasSize(1);
    assertThat(sending.delivered()).isNotDone();
    w.advance(Duration.ofSeconds(1));

    assertThat(bob.chats())
        .extracting(ChannelMessage.Chat::id)
        .containsExactly(sending.entry().id(), sending.entry().id());
    assertThat(sending.delivered()).isCompleted();
    assertThat(alice.heard.states(sending.entry().id()))
        .containsExactly(Delivery.QUEUED, Delivery.SENT, Delivery.DELIVERED);
  }

  @Test
  void aMessageReceivedTwiceIsShownOnceAndAcknowledgedBothTimes() {
    World w = world;
    World.Client bob = w.client("bob").online();
    RawPeer alice = new RawPeer(w, "alice").online();
    PeerLink toBob = opened(alice.links.open(BOB));
    var twice = new ChannelMessage.Chat(UUID.randomUUID().toString(), 1, "once only");

    toBob.send(twice);
    toBob.send(twice);
    w.run();

    assertThat(alice.acks()).containsExactly(twice.id(), twice.id());
    assertThat(bob.heard.received).extracting(Entry::text).containsExactly("once only");
    assertThat(bob.messenger.history(ALICE, 10))
        .extracting(Entry::text)
        .containsExactly("once only");
  }

  @Test
  void theOutboxSurvivesTheSendersRestart() {
    World w = world;
    World.Client alice = w.client("alice").online();
    String id = alice.messenger.send(BOB, "written before a restart").entry().id();
    w.run();

    World.Client again = w.restart(alice).online();
    World.Client bob = w.client("bob").online();

    assertThat(bob.heard.received).extracting(Entry::id).containsExactly(id);
    assertThat(again.heard.states(id)).containsExactly(Delivery.SENT, Delivery.DELIVERED);
    assertThat(again.messenger.history(BOB, 10))
        .extracting(Entry::state)
        .containsExactly(Delivery.DELIVERED);
  }

  @Test
  void aMessageSentButNotAcknowledgedBeforeARestartIsSentAgainAndShownOnce() {
    World w = world;
    RawPeer bob = new RawPeer(w, "bob").online(); // never acknowledges
    World.Client alice = w.client("alice").online();
    String id = alice.messenger.send(BOB, "did you get this?").entry().id();
    w.run();
    assertThat(bob.chats()).hasSize(1);
    // Sent is what the running client knows; its profile keeps the message queued.
    World.Client again = w.restart(alice);
    assertThat(again.messenger.history(BOB, 1))
        .extracting(Entry::state)
        .containsExactly(Delivery.QUEUED);

    again.online();

    assertThat(bob.chats()).extracting(ChannelMessage.Chat::id).containsExactly(id, id);
  }

  @Test
  void aPeerWhoseClientNeverAnswersIsReportedInSecondsAndTheMessageWaits() {
    World w = world;
    World.Client alice = w.client("alice").online();
    w.server.session(BOB, Identity.generate()).join(); // online, but nothing answers its signals

    Messenger.Sending sending = alice.messenger.send(BOB, "anyone there?");
    w.run();
    w.advance(Duration.ofSeconds(30));

    assertThat(alice.heard.problems)
        .extracting(Heard.At::what)
        .containsExactly("bob did not answer within 30 s");
    assertThat(sending.delivered()).isNotDone();
    assertThat(alice.messenger.history(BOB, 1))
        .extracting(Entry::state)
        .containsExactly(Delivery.QUEUED);
  }

  @Test
  void aMessageOnAnOpenLinkCostsOneWriteBeforeItLeavesAndOneWhenItIsAcknowledged() {
    World w = world;
    World.Client alice = w.client("alice").online();
    AtomicLong writesWhenItArrived = new AtomicLong(-1);
    RawPeer bob = new RawPeer(w, "bob").online();
    var unused = alice.messenger.send(BOB, "opening the link").delivered();
    w.run();
    bob.answering(
        (link, message) -> {
          if (message instanceof ChannelMessage.Chat chat) {
            writesWhenItArrived.set(alice.profile.store().changes());
            link.send(new ChannelMessage.Ack(chat.id()));
          }
        });
    w.run();
    long before = alice.profile.store().changes();

    Messenger.Sending sending = alice.messenger.send(BOB, "counted");
    w.run();

    assertThat(sending.delivered()).isCompleted();
    assertThat(writesWhenItArrived.get() - before).isEqualTo(1);
    assertThat(alice.profile.store().changes() - before).isEqualTo(2);
  }

  @Test
  void aMessageReceivedCostsOneWriteBeforeItIsAcknowledged() {
    World w = world;
    // Counted as the ack arrives, which here is after a client that shows marks it shown too.
    World.Client bob = w.clientShowingNothing("bob").online();
    RawPeer alice = new RawPeer(w, "alice").online();
    PeerLink toBob = opened(alice.links.open(BOB));
    long before = bob.profile.store().changes();
    AtomicLong writesWhenAcked = new AtomicLong(-1);
    alice.answering(
        (link, message) -> {
          if (message instanceof ChannelMessage.Ack) {
            writesWhenAcked.set(bob.profile.store().changes());
          }
        });

    toBob.send(new ChannelMessage.Chat(UUID.randomUUID().toString(), 1, "counted"));
    w.run();

    assertThat(writesWhenAcked.get() - before).isEqualTo(1);
  }

  @Test
  void messagesArrivingTogetherAreStoredInOneTransactionBeforeAnyIsAcknowledged() {
    World w = world;
    World.Client bob = w.clientShowingNothing("bob").online();
    RawPeer alice = new RawPeer(w, "alice").online();
    PeerLink toBob = opened(alice.links.open(BOB));
    long rowsBefore = bob.profile.store().changes();
    long transactionsBefore = bob.profile.store().transactions();
    AtomicLong rowsAtFirstAck = new AtomicLong(-1);
    alice.answering(
        (link, message) -> {
          if (message instanceof ChannelMessage.Ack) {
            rowsAtFirstAck.compareAndSet(-1, bob.profile.store().changes());
          }
        });

    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      var chat = new ChannelMessage.Chat(UUID.randomUUID().toString(), i, "together " + i);
      ids.add(chat.id());
      toBob.send(chat);
    }
    w.run();

    assertThat(alice.acks()).containsExactlyElementsOf(ids);
    assertThat(rowsAtFirstAck.get() - rowsBefore).isEqualTo(5);
    assertThat(bob.profile.store().transactions() - transactionsBefore).isEqualTo(1);
    assertThat(bob.heard.received)
        .extracting(Entry::text)
        .containsExactly("together 0", "together 1", "together 2", "together 3", "together 4");
  }

  @Test
  void acknowledgementsArrivingTogetherAreSettledInOneTransactionBeforeAnyIsDelivered() {
    World w = world;
    World.Client alice = w.client("alice").online();
    RawPeer bob = new RawPeer(w, "bob").online();
    List<Messenger.Sending> sent = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      sent.add(alice.messenger.send(BOB, "unanswered " + i));
    }
    w.run();
    assertThat(bob.chats()).hasSize(5);
    long transactionsBefore = alice.profile.store().transactions();
    List<Delivery> storedWhenDelivered = new ArrayList<>();
    for (Messenger.Sending sending : sent) {
      var unused =
          sending
              .delivered()
              .thenRun(
                  () ->
                      storedWhenDelivered.add(
                          alice
                              .profile
                              .store()
                              .find(BOB, sending.entry().id(), true)
                              .orElseThrow()
                              .state()));
    }

    PeerLink toAlice = bob.links.link(ALICE).orElseThrow();
    sent.forEach(sending -> toAlice.send(new ChannelMessage.Ack(sending.entry().id())));
    w.run();

    assertThat(storedWhenDelivered).hasSize(5).containsOnly(Delivery.DELIVERED);
    assertThat(alice.profile.store().transactions() - transactionsBefore).isEqualTo(1);
  }

  @Test
  void aReplySentAsAMessageIsShownIsOnDiskWhenSendReturns() {
    World w = world;
    World.Client bob = w.client("bob").online(); // shows what arrives, and marks it shown
    RawPeer alice = new RawPeer(w, "alice").online();
    PeerLink toBob = opened(alice.links.open(BOB));
    List<Integer> committedWhenSent = new ArrayList<>();
    bob.heard.onReceived =
        entry -> {
          var unused = bob.messenger.send(ALICE, "re: " + entry.text());
          // What goes on the wire must be on disk: another connection sees only what is committed.
          committedWhenSent.add(committed(bob, "re: " + entry.text()));
        };

    toBob.send(new ChannelMessage.Chat(UUID.randomUUID().toString(), 1, "ping"));
    w.run();

    assertThat(committedWhenSent).containsExactly(1);
    assertThat(alice.chats()).extracting(ChannelMessage.Chat::text).containsExactly("re: ping");
  }

  /** How many of {@code client}'s own entries with {@code text} another connection sees. */
  private int committed(World.Client client, String text) {
    Path file = dir.resolve(client.name.key()).resolve("parley.db");
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
        PreparedStatement ps =
            db.prepareStatement("SELECT count(*) FROM entries WHERE outgoing = 1 AND text = ?")) {
      ps.setString(1, text);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.getInt(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void messagesThatCannotBeStoredAreNotAcknowledged() {
    World w = world;
    World.Client bob = w.clientShowingNothing("bob").online();
    RawPeer alice = new RawPeer(w, "alice").online();
    PeerLink toBob = opened(alice.links.open(BOB));
    bob.profile.store().close(); // every write fails from now on

    toBob.send(new ChannelMessage.Chat(UUID.randomUUID().toString(), 1, "lost?"));
    toBob.send(new ChannelMessage.Chat(UUID.randomUUID().toString(), 2, "not lost"));
    w.run();

    assertThat(alice.acks()).isEmpty();
    assertThat(bob.heard.received).isEmpty();
    assertThat(bob.heard.problems)
        .extracting(Heard.At::what)
        .singleElement()
        .asString()
        .startsWith("Cannot store a message from alice");
  }

  @Test
  void messagesGoOutOldestFirstWhenALinkOpens() {
    World w = world;
    World.Client alice = w.client("alice").online();
    for (int i = 0; i < 5; i++) {
      alice.messenger.send(BOB, "message " + i);
    }
    w.run();

    World.Client bob = w.client("bob").online();

    assertThat(bob.heard.received)
        .extracting(Entry::text)
        .containsExactly("message 0", "message 1", "message 2", "message 3", "message 4");
  }

  @Test
  void whileTheServerIsAwayNoLinkIsOpenedAndTheMessageWaits() {
    World w = world;
    World.Client alice = w.client("alice").online();
    World.Client bob = w.client("bob").online();
    alice.session.leave();
    w.run();

    Messenger.Sending sending = alice.messenger.send(BOB, "queued while away");
    w.advance(Duration.ofSeconds(30));
    assertThat(sending.delivered()).isNotDone();
    assertThat(alice.heard.linkOpened).isEmpty();

    alice.online();

    assertThat(sending.delivered()).isCompleted();
    assertThat(bob.heard.received).extracting(Entry::text).containsExactly("queued while away");
  }

  @Test
  void anOpenLinkKeepsCarryingMessagesWhileTheServerIsAway() {
    World w = world;
    World.Client alice = w.client("alice").online();
    World.Client bob = w.client("bob").online();
    alice.messenger.send(BOB, "before");
    w.run();

    alice.session.leave();
    bob.session.leave();
    w.run();
    Messenger.Sending sending = alice.messenger.send(BOB, "while the server is down");
    w.run();

    assertThat(sending.delivered()).isCompleted();
    assertThat(bob.heard.received)
        .extracting(Entry::text)
        .containsExactly("before", "while the server is down");
  }
}
