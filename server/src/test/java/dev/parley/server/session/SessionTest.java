package dev.parley.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ClientCodec;
import dev.parley.protocol.ClientMessage;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Identity;
import dev.parley.protocol.InviteCode;
import dev.parley.protocol.LoginProof;
import dev.parley.protocol.PresenceMode;
import dev.parley.protocol.ServerCodec;
import dev.parley.protocol.ServerMessage;
import dev.parley.protocol.UserName;
import dev.parley.server.connection.FakeConnection;
import dev.parley.server.directory.InviteCodes;
import dev.parley.server.ice.IceServers;
import dev.parley.server.metrics.Metrics;
import dev.parley.server.presence.WatchLimitException;
import dev.parley.server.signaling.Signaling;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * One session's protocol without a socket or a thread: a connection in memory, the directory and
 * presence in memory, timers that go off when told, and a clock that moves when told.
 */
class SessionTest {
  private static final SessionLimits LIMITS =
      new SessionLimits(
          2048, 10, 3, Duration.ofSeconds(10), Duration.ofSeconds(15), Duration.ofSeconds(45));
  private static final String NONCE = "the-nonce";

  private final FakeDirectory directory = new FakeDirectory();
  private final FakePresence presence = new FakePresence();
  private final Metrics metrics = new Metrics();
  private final ManualTimers timers = new ManualTimers();
  private final AtomicLong nanos = new AtomicLong();
  private final MovableClock clock = new MovableClock(Instant.parse("2026-11-24T12:00:00Z"));
  private final Collaborators node =
      new Collaborators(
          FakeDirectory.SERVER_ID,
          directory,
          presence,
          new Signaling(presence, directory, Runnable::run, metrics),
          IceServers.none(),
          LIMITS,
          metrics,
          clock,
          nanos::get,
          Runnable::run,
          timers,
          new Registration(Registration.Mode.OPEN, 3, nanos::get));
  private final List<Session> closed = new ArrayList<>();

  /** A client's connection and the session that speaks the protocol on it. */
  private record Client(FakeConnection connection, Session session) {
    void send(String json) {
      session.onText(json.getBytes(StandardCharsets.UTF_8));
    }

    List<ServerMessage> received() {
      return connection.sent().stream().map(ServerCodec::decode).toList();
    }

    ServerMessage last() {
      List<ServerMessage> all = received();
      return all.get(all.size() - 1);
    }

    ServerMessage.Error lastError() {
      assertThat(last()).isInstanceOf(ServerMessage.Error.class);
      return (ServerMessage.Error) last();
    }
  }

  private Client connect() {
    return connect(node, "192.0.2.1");
  }

  private Client connect(Collaborators with, String address) {
    FakeConnection connection = new FakeConnection(address);
    Session session = new Session(connection, NONCE, with, closed::add);
    session.start();
    return new Client(connection, session);
  }

  private Collaborators closedToNewNames() {
    return withRegistration(Registration.Mode.CLOSED);
  }

  private Collaborators withRegistration(Registration.Mode mode) {
    return new Collaborators(
        node.serverId(),
        node.directory(),
        node.presence(),
        node.signaling(),
        node.iceServers(),
        node.limits(),
        node.metrics(),
        node.clock(),
        node.nanoTime(),
        node.blocking(),
        node.timers(),
        new Registration(mode, 3, nanos::get));
  }

  /** The first message {@code name} gets after logging in from {@code address}. */
  private ServerMessage logIn(Collaborators with, String address, String name, Identity identity) {
    Client client = connect(with, address);
    client.send(login(name, identity, identity, 1));
    return client.last();
  }

  private static String login(String name, Identity identity, Identity signer, int version) {
    return login(name, identity, signer, version, null);
  }

  private static String login(
      String name, Identity identity, Identity signer, int version, @Nullable InviteCode invite) {
    UserName user = new UserName(name);
    return ClientCodec.encode(
        new ClientMessage.Login(
            version,
            user,
            identity.publicKey(),
            LoginProof.sign(signer, FakeDirectory.SERVER_ID, NONCE, user),
            invite),
        "login-1");
  }

  /** The first message {@code name} gets after logging in with {@code invite}. */
  private ServerMessage logInInvited(
      Collaborators with, String address, String name, InviteCode invite) {
    Client client = connect(with, address);
    Identity identity = Identity.generate();
    client.send(login(name, identity, identity, 1, invite));
    return client.last();
  }

  private static ErrorCode code(ServerMessage message) {
    assertThat(message).isInstanceOf(ServerMessage.Error.class);
    return ((ServerMessage.Error) message).code();
  }

  private Client loggedIn(String name, Identity identity) {
    Client client = connect();
    client.send(login(name, identity, identity, 1));
    assertThat(client.last()).isInstanceOf(ServerMessage.Welcome.class);
    return client;
  }

  @Test
  void aNewConnectionIsChallengedWithTheVersionsTheServerIdAndItsNonce() {
    Client client = connect();

    assertThat(client.received())
        .containsExactly(new ServerMessage.Challenge(List.of(1), FakeDirectory.SERVER_ID, NONCE));
    assertThat(timers.delays()).containsExactly(Duration.ofSeconds(10));
  }

  @Test
  void aValidLoginRegistersTheNameAndIsWelcomed() {
    Client client = loggedIn("alice", Identity.generate());

    var welcome = (ServerMessage.Welcome) client.last();
    assertThat(welcome.name()).isEqualTo(new UserName("alice"));
    assertThat(welcome.maxFrameBytes()).isEqualTo(2048);
    assertThat(welcome.heartbeatSeconds()).isEqualTo(15);
    assertThat(directory.count()).isOne();
    assertThat(presence.isOnline(new UserName("alice"))).isTrue();
    assertThat(client.connection().isOpen()).isTrue();
  }

  @Test
  void aLoginSignedWithAnotherKeyIsABadSignatureAndCloses() {
    Client client = connect();

    client.send(login("alice", Identity.generate(), Identity.generate(), 1));

    ServerMessage.Error error = client.lastError();
    assertThat(error.code()).isEqualTo(ErrorCode.BAD_SIGNATURE);
    assertThat(error.ref()).isEqualTo("login-1");
    assertThat(client.connection().closeCode()).isEqualTo(1008);
    assertThat(directory.count()).isZero();
    assertThat(metrics.errors(ErrorCode.BAD_SIGNATURE)).isOne();
  }

  @Test
  void aLoginInAVersionNotSpokenHereIsRefusedAndCloses() {
    Identity identity = Identity.generate();
    Client client = connect();

    client.send(login("alice", identity, identity, 2));

    ServerMessage.Error error = client.lastError();
    assertThat(error.code()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
    assertThat(error.message()).isEqualTo("protocol version 2 is not spoken here; versions: [1]");
    assertThat(error.ref()).isEqualTo("login-1");
    assertThat(client.connection().closeCode()).isEqualTo(1008);
  }

  @Test
  void oneAddressRegistersAtMostItsNumberOfNewNamesAnHourWhileKnownNamesLogIn() {
    Identity first = Identity.generate();
    for (String name : List.of("n1", "n2", "n3")) {
      assertThat(logIn(node, "192.0.2.1", name, name.equals("n1") ? first : Identity.generate()))
          .isInstanceOf(ServerMessage.Welcome.class);
    }

    Client again = connect();
    Identity n4 = Identity.generate();
    again.send(login("n4", n4, n4, 1));

    assertThat(again.lastError().code()).isEqualTo(ErrorCode.TOO_MANY_REGISTRATIONS);
    assertThat(again.lastError().message()).contains("at most 3 an hour");
    assertThat(again.connection().closeCode()).isEqualTo(1013);
    assertThat(directory.find(new UserName("n4"))).isEmpty();
    assertThat(logIn(node, "192.0.2.1", "n1", first)).isInstanceOf(ServerMessage.Welcome.class);
    assertThat(logIn(node, "198.51.100.7", "n5", Identity.generate()))
        .isInstanceOf(ServerMessage.Welcome.class);

    nanos.addAndGet(Duration.ofMinutes(20).toNanos()); // one name's worth of an hour
    assertThat(logIn(node, "192.0.2.1", "n6", Identity.generate()))
        .isInstanceOf(ServerMessage.Welcome.class);
    assertThat(metrics.errors(ErrorCode.TOO_MANY_REGISTRATIONS)).isGreaterThanOrEqualTo(1);
  }

  @Test
  void withRegistrationClosedANewNameIsRefusedAndAKnownOneLogsIn() {
    Identity alice = Identity.generate();
    assertThat(logIn(node, "192.0.2.1", "alice", alice)).isInstanceOf(ServerMessage.Welcome.class);
    Collaborators closedNode = closedToNewNames();

    ServerMessage refused = logIn(closedNode, "192.0.2.9", "bob", Identity.generate());

    assertThat(refused).isInstanceOf(ServerMessage.Error.class);
    assertThat(((ServerMessage.Error) refused).code()).isEqualTo(ErrorCode.REGISTRATION_CLOSED);
    assertThat(directory.find(new UserName("bob"))).isEmpty();
    assertThat(logIn(closedNode, "192.0.2.9", "alice", alice))
        .isInstanceOf(ServerMessage.Welcome.class);
  }

  @Test
  void byInvitationANewNameNeedsAGoodCodeAndEveryCodeTriedCountsAgainstTheAddress() {
    Identity alice = Identity.generate();
    assertThat(logIn(node, "192.0.2.1", "alice", alice)).isInstanceOf(ServerMessage.Welcome.class);
    Collaborators invited = withRegistration(Registration.Mode.INVITE);
    InviteCodes.Made made =
        InviteCodes.make(new SecureRandom(), clock.instant(), InviteCodes.DEFAULT_LIFETIME);
    directory.addInvites(List.of(made.invite()));

    Client uninvited = connect(invited, "192.0.2.9");
    Identity bob = Identity.generate();
    uninvited.send(login("bob", bob, bob, 1));
    assertThat(uninvited.lastError().code()).isEqualTo(ErrorCode.INVITE_REQUIRED);
    assertThat(uninvited.connection().closeCode()).isEqualTo(1008);
    for (int i = 0; i < 3; i++) {
      assertThat(code(logInInvited(invited, "192.0.2.9", "bob", new InviteCode("WRONG-" + i))))
          .isEqualTo(ErrorCode.INVITE_INVALID);
    }
    assertThat(code(logInInvited(invited, "192.0.2.9", "bob", made.code())))
        .isEqualTo(ErrorCode.TOO_MANY_REGISTRATIONS);
    assertThat(directory.find(new UserName("bob"))).isEmpty();

    assertThat(logInInvited(invited, "198.51.100.7", "bob", made.code()))
        .isInstanceOf(ServerMessage.Welcome.class);
    assertThat(code(logInInvited(invited, "198.51.100.7", "carol", made.code())))
        .isEqualTo(ErrorCode.INVITE_INVALID);
    assertThat(logIn(invited, "192.0.2.9", "alice", alice))
        .isInstanceOf(ServerMessage.Welcome.class);
  }

  @Test
  void anInviteCodeIsIgnoredWhereRegistrationIsOpen() {
    assertThat(logInInvited(node, "192.0.2.1", "bob", new InviteCode("ANY")))
        .isInstanceOf(ServerMessage.Welcome.class);
  }

  @Test
  void aNameRegisteredToAnotherKeyIsTakenAndCloses() {
    directory.claim(new UserName("alice"), Identity.generate().publicKey(), clock.instant());
    Identity impostor = Identity.generate();
    Client client = connect();

    client.send(login("Alice", impostor, impostor, 1));

    ServerMessage.Error error = client.lastError();
    assertThat(error.code()).isEqualTo(ErrorCode.NAME_TAKEN);
    assertThat(error.message()).contains("'Alice'", "another identity key");
    assertThat(error.ref()).isEqualTo("login-1");
    assertThat(client.connection().closeCode()).isEqualTo(1008);
    assertThat(presence.isOnline(new UserName("alice"))).isFalse();
  }

  @Test
  void aDirectoryThatFailsAtLoginIsAnInternalErrorAndCloses() {
    directory.goDown();
    Identity identity = Identity.generate();
    Client client = connect();

    client.send(login("alice", identity, identity, 1));

    ServerMessage.Error error = client.lastError();
    assertThat(error.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
    assertThat(error.message()).isEqualTo("the directory is unavailable");
    assertThat(client.connection().closeCode()).isEqualTo(1011);
  }

  @Test
  void aFullDiskRefusesANewNameWithStorageFullAndLetsAKnownNameIn() {
    Identity known = Identity.generate();
    directory.claim(new UserName("alice"), known.publicKey(), clock.instant());
    directory.fillUp();
    Identity newcomer = Identity.generate();
    Client bob = connect();

    bob.send(login("bob", newcomer, newcomer, 1));
    Client alice = loggedIn("alice", known);

    ServerMessage.Error error = bob.lastError();
    assertThat(error.code()).isEqualTo(ErrorCode.STORAGE_FULL);
    assertThat(error.message()).contains("disk is full", "cannot register new names");
    assertThat(bob.connection().closeCode()).isEqualTo(1013);
    assertThat(alice.connection().isOpen()).isTrue();
    assertThat(presence.isOnline(new UserName("alice"))).isTrue();
    assertThat(metrics.errors(ErrorCode.STORAGE_FULL)).isEqualTo(1);
  }

  @Test
  void newNamesRefusedForAFullDiskDoNotCountAgainstTheAddressesLimit() {
    directory.fillUp();
    for (String name : List.of("n1", "n2", "n3", "n4")) { // more than the 3 an hour allowed
      Client refused = connect();
      Identity identity = Identity.generate();
      refused.send(login(name, identity, identity, 1));
      assertThat(refused.lastError().code()).isEqualTo(ErrorCode.STORAGE_FULL);
    }

    directory.makeRoom();

    for (String name : List.of("n1", "n2", "n3")) {
      assertThat(logIn(node, "192.0.2.1", name, Identity.generate()))
          .isInstanceOf(ServerMessage.Welcome.class);
    }
  }

  @Test
  void aSecondLoginOnOneConnectionIsRefusedAndTheConnectionStays() {
    Identity identity = Identity.generate();
    Client client = loggedIn("alice", identity);

    client.send(login("alice", identity, identity, 1));

    assertThat(client.lastError().code()).isEqualTo(ErrorCode.ALREADY_LOGGED_IN);
    assertThat(client.lastError().ref()).isEqualTo("login-1");
    assertThat(client.connection().isOpen()).isTrue();
  }

  @Test
  void aSignalBeforeLoginIsRefusedAndTheConnectionStays() {
    Client client = connect();

    client.send("{\"type\":\"offer\",\"to\":\"bob\",\"data\":{},\"ref\":\"s1\"}");

    assertThat(client.lastError().code()).isEqualTo(ErrorCode.NOT_LOGGED_IN);
    assertThat(client.lastError().ref()).isEqualTo("s1");
    assertThat(client.connection().isOpen()).isTrue();
  }

  @Test
  void aWatchOrUnwatchBeforeLoginIsRefusedAndTheConnectionStays() {
    Client client = connect();

    client.send("{\"type\":\"watch\",\"names\":[\"bob\"],\"ref\":\"w1\"}");
    assertThat(client.lastError().code()).isEqualTo(ErrorCode.NOT_LOGGED_IN);
    assertThat(client.lastError().ref()).isEqualTo("w1");
    client.send("{\"type\":\"unwatch\",\"names\":[\"bob\"],\"ref\":\"u1\"}");
    assertThat(client.lastError().code()).isEqualTo(ErrorCode.NOT_LOGGED_IN);
    assertThat(client.lastError().ref()).isEqualTo("u1");
    assertThat(client.connection().isOpen()).isTrue();
  }

  @Test
  void theWelcomeStatesThePresenceMode() {
    assertThat(((ServerMessage.Welcome) loggedIn("alice", Identity.generate()).last()).presence())
        .isEqualTo(PresenceMode.EVERYONE);
    loggedIn("bob", Identity.generate());
    presence.runIn(PresenceMode.CONTACTS);

    var welcome = (ServerMessage.Welcome) loggedIn("carol", Identity.generate()).last();

    assertThat(welcome.presence()).isEqualTo(PresenceMode.CONTACTS);
    assertThat(welcome.online()).isEmpty();
  }

  @Test
  void aWatchHandsPresenceEachNameOnceWhateverItsCase() {
    Client alice = loggedIn("alice", Identity.generate());
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(1)); // a full burst of 3 messages

    alice.send("{\"type\":\"watch\",\"names\":[\"Bob\",\"carol\",\"bob\",\"BOB\"]}");
    alice.send("{\"type\":\"unwatch\",\"names\":[\"carol\",\"Carol\",\"dave\"]}");
    alice.send("{\"type\":\"watch\",\"names\":[]}");

    assertThat(presence.watchCalls)
        .containsExactly("watch [Bob, carol]", "unwatch [carol, dave]", "watch []");
    assertThat(alice.last()).isInstanceOf(ServerMessage.Welcome.class);
  }

  @Test
  void aWatchPresenceRefusesIsAnsweredWithItsCodeAndRef() {
    Client alice = loggedIn("alice", Identity.generate());
    presence.failWatches(new WatchLimitException(1000, 1));

    alice.send("{\"type\":\"watch\",\"names\":[\"bob\"],\"ref\":\"w3\"}");

    assertThat(alice.lastError().code()).isEqualTo(ErrorCode.WATCH_LIMIT);
    assertThat(alice.lastError().message()).contains("at most 1000", "nothing was changed");
    assertThat(alice.lastError().ref()).isEqualTo("w3");
    assertThat(alice.connection().isOpen()).isTrue();
  }

  @Test
  void aWatchPresenceFailsToAnswerIsAnInternalErrorAndTheConnectionStays() {
    Client alice = loggedIn("alice", Identity.generate());
    presence.failWatches(new IllegalStateException("redis is down"));

    alice.send("{\"type\":\"watch\",\"names\":[\"bob\"],\"ref\":\"w4\"}");

    assertThat(alice.lastError().code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
    assertThat(alice.lastError().message()).isEqualTo("presence is unavailable");
    assertThat(alice.connection().isOpen()).isTrue();
  }

  @Test
  void aWatchOfTooManyNamesIsRefusedWithItsRefInEitherMode() {
    Client alice = loggedIn("alice", Identity.generate());
    String names =
        java.util.stream.IntStream.range(0, 101)
            .mapToObj(i -> "\"u" + i + "\"")
            .collect(java.util.stream.Collectors.joining(","));

    alice.send("{\"type\":\"watch\",\"names\":[" + names + "],\"ref\":\"w2\"}");

    assertThat(alice.lastError().code()).isEqualTo(ErrorCode.WATCH_LIMIT);
    assertThat(alice.lastError().ref()).isEqualTo("w2");
    assertThat(alice.connection().isOpen()).isTrue();
  }

  @Test
  void aSignalToAnOnlineUserIsRelayedUnderTheSendersRegisteredName() {
    Client alice = loggedIn("alice", Identity.generate());
    Client bob = loggedIn("bob", Identity.generate());

    alice.send(
        "{\"type\":\"offer\",\"to\":\"BOB\",\"from\":\"mallory\",\"data\":{\"sdp\":\"v=0\"}}");

    assertThat(bob.connection().sent().get(bob.connection().sent().size() - 1))
        .isEqualTo("{\"type\":\"offer\",\"from\":\"alice\",\"data\":{\"sdp\":\"v=0\"}}");
    assertThat(alice.last()).isInstanceOf(ServerMessage.Welcome.class);
  }

  @Test
  void aSignalToOneselfIsAnInvalidTargetAnsweredWithItsRef() {
    Client alice = loggedIn("alice", Identity.generate());

    alice.send("{\"type\":\"offer\",\"to\":\"Alice\",\"data\":{},\"ref\":\"r1\"}");

    assertThat(alice.lastError().code()).isEqualTo(ErrorCode.INVALID_TARGET);
    assertThat(alice.lastError().ref()).isEqualTo("r1");
    assertThat(alice.connection().isOpen()).isTrue();
  }

  @Test
  void aSignalToANameNobodyRegisteredIsAnUnknownUserAnsweredWithItsRef() {
    Client alice = loggedIn("alice", Identity.generate());

    alice.send("{\"type\":\"answer\",\"to\":\"nobody\",\"data\":{},\"ref\":\"r2\"}");

    assertThat(alice.lastError().code()).isEqualTo(ErrorCode.UNKNOWN_USER);
    assertThat(alice.lastError().message()).isEqualTo("no user named nobody");
    assertThat(alice.lastError().ref()).isEqualTo("r2");
  }

  @Test
  void aSignalToARegisteredUserWhoIsOfflineIsUserOfflineAnsweredWithItsRef() {
    directory.claim(new UserName("carol"), Identity.generate().publicKey(), clock.instant());
    Client alice = loggedIn("alice", Identity.generate());

    alice.send("{\"type\":\"candidate\",\"to\":\"carol\",\"data\":{},\"ref\":\"r3\"}");

    assertThat(alice.lastError().code()).isEqualTo(ErrorCode.USER_OFFLINE);
    assertThat(alice.lastError().message()).isEqualTo("carol is not online");
    assertThat(alice.lastError().ref()).isEqualTo("r3");
  }

  @Test
  void aRelayThatFailsInTheDirectoryIsAnInternalErrorAndTheConnectionStays() {
    Client alice = loggedIn("alice", Identity.generate());
    directory.goDown();

    alice.send("{\"type\":\"hangup\",\"to\":\"carol\",\"data\":{},\"ref\":\"r4\"}");

    assertThat(alice.lastError().code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
    assertThat(alice.lastError().message()).isEqualTo("the signal could not be relayed");
    assertThat(alice.connection().isOpen()).isTrue();
  }

  @Test
  void aMessageThatCannotBeDecodedIsAnsweredWithItsRefAndTheConnectionStays() {
    Client client = connect();

    client.send("{\"type\":\"teleport\",\"ref\":\"t1\"}");

    assertThat(client.lastError().code()).isEqualTo(ErrorCode.UNKNOWN_TYPE);
    assertThat(client.lastError().ref()).isEqualTo("t1");
    assertThat(client.connection().isOpen()).isTrue();
  }

  @Test
  void messagesBeyondTheBurstAreDroppedWithOneRateLimitedErrorASecond() {
    Client client = connect();
    for (int i = 0; i < 6; i++) {
      client.send("{\"type\":\"ping\"}");
    }
    nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(50)); // half a token: still refused, not told
    client.send("{\"type\":\"ping\"}");

    assertThat(client.received().stream().filter(ServerMessage.Pong.class::isInstance)).hasSize(3);
    assertThat(client.received().stream().filter(ServerMessage.Error.class::isInstance))
        .singleElement()
        .satisfies(
            e -> assertThat(((ServerMessage.Error) e).code()).isEqualTo(ErrorCode.RATE_LIMITED));

    nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
    client.send("{\"type\":\"ping\"}");
    assertThat(client.last()).isEqualTo(new ServerMessage.Pong());
    assertThat(client.connection().isOpen()).isTrue();
  }

  @Test
  void noLoginBeforeTheTimeoutIsALoginTimeoutAndCloses() {
    Client client = connect();

    timers.fireAll();

    assertThat(client.lastError().code()).isEqualTo(ErrorCode.LOGIN_TIMEOUT);
    assertThat(client.lastError().message()).isEqualTo("no login within 10 seconds");
    assertThat(client.connection().closeCode()).isEqualTo(1008);
  }

  @Test
  void aLoginInTimeStopsTheTimeout() {
    Client client = loggedIn("alice", Identity.generate());

    timers.fireAll();

    assertThat(client.last()).isInstanceOf(ServerMessage.Welcome.class);
    assertThat(client.connection().isOpen()).isTrue();
  }

  @Test
  void aShutdownTellsTheClientAndClosesWith1001() {
    Client client = loggedIn("alice", Identity.generate());

    client.session().shutdown();

    assertThat(client.lastError().code()).isEqualTo(ErrorCode.SERVER_SHUTDOWN);
    assertThat(client.connection().closeCode()).isEqualTo(1001);
  }

  @Test
  void aLoginElsewhereReplacesTheSessionWhichClosesWith1000() {
    Identity identity = Identity.generate();
    Client first = loggedIn("alice", identity);

    Client second = loggedIn("alice", identity);

    assertThat(first.lastError().code()).isEqualTo(ErrorCode.SESSION_REPLACED);
    assertThat(first.connection().closeCode()).isEqualTo(1000);
    assertThat(second.connection().isOpen()).isTrue();
  }

  @Test
  void aClosedSessionLeavesPresenceAndRecordsWhenItWasLastSeen() {
    Client client = loggedIn("alice", Identity.generate());
    clock.move(Duration.ofMinutes(5));

    client.session().onClosed();
    client.session().onClosed();

    assertThat(closed).containsExactly(client.session());
    assertThat(presence.isOnline(new UserName("alice"))).isFalse();
    assertThat(directory.find(new UserName("alice")).orElseThrow().lastSeen())
        .isEqualTo(clock.instant());
  }

  @Test
  void framesThatReachASessionDuringItsLoginFollowTheWelcome() {
    var bobLeft = new ServerMessage.Presence(List.of(), List.of(new UserName("bob")));
    presence.sendDuringJoin(ServerCodec.encode(bobLeft));
    Identity identity = Identity.generate();
    Client client = connect();

    client.send(login("alice", identity, identity, 1));

    assertThat(client.received()).hasSize(3);
    assertThat(client.received().get(1)).isInstanceOf(ServerMessage.Welcome.class);
    assertThat(client.received().get(2)).isEqualTo(bobLeft);
  }

  @Test
  void aBinaryFrameIsRefusedAndTheConnectionStays() {
    Client client = connect();

    client.session().onBinary();

    assertThat(client.lastError().code()).isEqualTo(ErrorCode.BINARY_NOT_SUPPORTED);
    assertThat(client.connection().isOpen()).isTrue();
  }

  @Test
  void aFrameOverTheLimitIsRefusedAndClosesWith1009() {
    Client client = connect();

    client.session().onFrameTooLarge();

    assertThat(client.lastError().code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
    assertThat(client.lastError().message()).isEqualTo("a frame may have at most 2048 bytes");
    assertThat(client.connection().closeCode()).isEqualTo(1009);
  }

  /** A clock that stands still until a test moves it. */
  private static final class MovableClock extends Clock {
    private Instant now;

    MovableClock(Instant start) {
      now = start;
    }

    void move(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
