package dev.parley.server.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Identity;
import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.UserName;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Directory} must do, run against each implementation on its real database. Each
 * test starts from an empty database that only it uses.
 */
abstract class DirectoryContract {
  private static final UserName ALICE = new UserName("Alice");
  private static final UserName BOB = new UserName("bob");
  private static final Instant MONDAY = Instant.parse("2025-03-03T09:00:00Z");
  private static final Instant TUESDAY = Instant.parse("2025-03-04T09:00:00.123Z");
  private static final int RACERS = 8;

  private final IdentityKey aliceKey = Identity.generate().publicKey();
  private final IdentityKey bobKey = Identity.generate().publicKey();
  private final List<Directory> opened = new ArrayList<>();
  private Directory directory;

  /** Opens the directory on this test's database; every call opens the same database again. */
  abstract Directory open();

  /** A plain JDBC connection to this test's database, to look under the directory. */
  abstract Connection connect() throws SQLException;

  @BeforeEach
  void openDirectory() {
    directory = track(open());
  }

  @AfterEach
  void closeDirectories() {
    opened.forEach(Directory::close);
  }

  @Test
  void admissionIsAskedOnlyForAFreeNameAndARefusalRegistersNothing() {
    java.util.concurrent.atomic.AtomicInteger asked =
        new java.util.concurrent.atomic.AtomicInteger();
    Directory.Admission refuse =
        name -> {
          asked.incrementAndGet();
          throw new IllegalStateException("no new names");
        };

    assertThatThrownBy(() -> directory.claim(ALICE, aliceKey, MONDAY, refuse))
        .hasMessage("no new names");
    assertThat(directory.find(ALICE)).isEmpty();
    assertThat(asked).hasValue(1);

    directory.claim(ALICE, aliceKey, MONDAY);
    assertThat(directory.claim(ALICE, aliceKey, TUESDAY, refuse).registered()).isFalse();
    assertThat(asked).hasValue(1);
  }

  @Test
  void aFirstClaimRegistersTheNameWithItsSpelling() {
    Directory.Claim claim = directory.claim(ALICE, aliceKey, MONDAY);

    assertThat(claim.registered()).isTrue();
    assertThat(claim.user()).isEqualTo(new User(ALICE, aliceKey, MONDAY, MONDAY));
    assertThat(claim.user().name().value()).isEqualTo("Alice");
  }

  @Test
  void aSecondClaimWithTheSameKeySucceedsAndUpdatesLastSeen() {
    directory.claim(ALICE, aliceKey, MONDAY);

    Directory.Claim again = directory.claim(ALICE, aliceKey, TUESDAY);

    assertThat(again.registered()).isFalse();
    assertThat(again.user()).isEqualTo(new User(ALICE, aliceKey, MONDAY, TUESDAY));
    assertThat(directory.find(ALICE)).contains(new User(ALICE, aliceKey, MONDAY, TUESDAY));
  }

  @Test
  void aClaimInAnotherCaseByTheSameKeySucceedsAndKeepsTheFirstSpelling() {
    directory.claim(ALICE, aliceKey, MONDAY);

    Directory.Claim shouted = directory.claim(new UserName("ALICE"), aliceKey, TUESDAY);

    assertThat(shouted.registered()).isFalse();
    assertThat(shouted.user().name().value()).isEqualTo("Alice");
    assertThat(directory.find(new UserName("alice")).orElseThrow().name().value())
        .isEqualTo("Alice");
  }

  @Test
  void aClaimWithAnotherKeyIsRefusedAndLeavesTheOwnerAlone() {
    User owner = directory.claim(ALICE, aliceKey, MONDAY).user();

    assertThatThrownBy(() -> directory.claim(new UserName("alice"), bobKey, TUESDAY))
        .isInstanceOfSatisfying(
            NameTakenException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NAME_TAKEN))
        .hasMessageContaining("alice");
    assertThat(directory.find(ALICE)).contains(owner);
    assertThat(directory.find(ALICE).orElseThrow().publicKey()).isEqualTo(aliceKey);
  }

  @Test
  void findIgnoresCase() {
    directory.claim(ALICE, aliceKey, MONDAY);

    assertThat(directory.find(new UserName("aLiCe")))
        .contains(new User(ALICE, aliceKey, MONDAY, MONDAY));
  }

  @Test
  void findOfAnUnknownNameIsEmpty() {
    directory.claim(ALICE, aliceKey, MONDAY);

    assertThat(directory.find(BOB)).isEmpty();
  }

  @Test
  void touchUpdatesLastSeenOnly() {
    directory.claim(ALICE, aliceKey, MONDAY);

    directory.touch(new UserName("alice"), TUESDAY);

    assertThat(directory.find(ALICE)).contains(new User(ALICE, aliceKey, MONDAY, TUESDAY));
  }

  @Test
  void touchOfAnUnknownNameDoesNothing() {
    directory.touch(BOB, TUESDAY);

    assertThat(directory.find(BOB)).isEmpty();
    assertThat(directory.count()).isZero();
  }

  @Test
  void countCountsEachRegisteredUserOnce() {
    assertThat(directory.count()).isZero();

    directory.claim(ALICE, aliceKey, MONDAY);
    directory.claim(new UserName("ALICE"), aliceKey, TUESDAY);
    directory.claim(BOB, bobKey, TUESDAY);

    assertThat(directory.count()).isEqualTo(2);
  }

  @Test
  void aRestartKeepsTheServerIdAndEveryRegisteredUser() {
    String serverId = directory.serverId();
    directory.claim(ALICE, aliceKey, MONDAY);
    directory.claim(BOB, bobKey, TUESDAY);
    directory.close();

    Directory restarted = track(open());

    assertThat(serverId).isNotBlank();
    assertThat(restarted.serverId()).isEqualTo(serverId);
    assertThat(restarted.count()).isEqualTo(2);
    assertThat(restarted.find(ALICE)).contains(new User(ALICE, aliceKey, MONDAY, MONDAY));
    assertThat(restarted.find(BOB)).contains(new User(BOB, bobKey, TUESDAY, TUESDAY));
  }

  @Test
  void everyNodeOnOneDatabaseSharesTheServerIdAndTheUsers() {
    Directory otherNode = track(open());

    directory.claim(ALICE, aliceKey, MONDAY);

    assertThat(otherNode.serverId()).isEqualTo(directory.serverId());
    assertThat(otherNode.find(ALICE)).isPresent();
    assertThatThrownBy(() -> otherNode.claim(ALICE, bobKey, TUESDAY))
        .isInstanceOf(NameTakenException.class);
  }

  @Test
  void ofConcurrentFirstClaimsOfANameExactlyOneWins() throws Exception {
    for (int round = 0; round < 5; round++) {
      UserName name = new UserName("carol-" + round);
      List<IdentityKey> keys = new ArrayList<>();
      for (int i = 0; i < RACERS; i++) {
        keys.add(Identity.generate().publicKey());
      }

      List<Outcome> outcomes = race(keys, key -> directory.claim(name, key, MONDAY));

      List<Outcome> winners = outcomes.stream().filter(o -> o.claim() != null).toList();
      assertThat(winners).hasSize(1);
      assertThat(winners.get(0).claim().registered()).isTrue();
      assertThat(outcomes.stream().filter(o -> o.failure() != null))
          .hasSize(RACERS - 1)
          .allSatisfy(o -> assertThat(o.failure()).isInstanceOf(NameTakenException.class));
      assertThat(directory.find(name).orElseThrow().publicKey()).isEqualTo(winners.get(0).key());
    }
    assertThat(directory.count()).isEqualTo(5);
  }

  @Test
  void anInviteRegistersOneNewNameAndThenNoMore() {
    Invite invite = invite(TUESDAY);
    directory.addInvites(List.of(invite));

    assertThat(directory.claim(ALICE, aliceKey, MONDAY, with(invite)).registered()).isTrue();

    assertThatThrownBy(() -> directory.claim(BOB, bobKey, MONDAY, with(invite)))
        .isInstanceOfSatisfying(
            InviteInvalidException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVITE_INVALID));
    assertThat(directory.find(BOB)).isEmpty();
    assertThat(directory.openInvites(MONDAY)).isEmpty();
  }

  @Test
  void anExpiredOrUnknownInviteRegistersNothing() {
    Invite expiring = invite(MONDAY.plusSeconds(3600));
    directory.addInvites(List.of(expiring));

    assertThatThrownBy(() -> directory.claim(ALICE, aliceKey, expiring.expires(), with(expiring)))
        .isInstanceOf(InviteInvalidException.class);
    assertThatThrownBy(() -> directory.claim(ALICE, aliceKey, MONDAY, with(invite(TUESDAY))))
        .isInstanceOf(InviteInvalidException.class);
    assertThat(directory.find(ALICE)).isEmpty();
    assertThat(directory.count()).isZero();
    assertThat(directory.claim(ALICE, aliceKey, MONDAY, with(expiring)).registered()).isTrue();
  }

  @Test
  void aRegisteredNameLogsInWithoutTouchingTheInviteItBrings() {
    Invite invite = invite(TUESDAY);
    directory.addInvites(List.of(invite));
    directory.claim(ALICE, aliceKey, MONDAY);

    assertThat(directory.claim(ALICE, aliceKey, MONDAY, with(invite)).registered()).isFalse();
    assertThatThrownBy(() -> directory.claim(ALICE, bobKey, MONDAY, with(invite)))
        .isInstanceOf(NameTakenException.class);
    assertThat(directory.openInvites(MONDAY)).containsExactly(invite);
  }

  @Test
  void openInvitesAreTheUnusedUnexpiredOnesSoonestFirstOnEveryNode() {
    Invite later = invite(TUESDAY.plusSeconds(60));
    Invite sooner = invite(TUESDAY);
    Invite used = invite(TUESDAY);
    Invite expired = invite(MONDAY.plusSeconds(1));
    directory.addInvites(List.of(later, sooner, used, expired));
    directory.claim(ALICE, aliceKey, MONDAY, with(used));

    Directory otherNode = track(open());

    assertThat(otherNode.openInvites(MONDAY.plusSeconds(1))).containsExactly(sooner, later);
    assertThat(otherNode.openInvites(MONDAY)).containsExactly(expired, sooner, later);
  }

  @Test
  void ofConcurrentClaimsWithOneInviteExactlyOneRegisters() throws Exception {
    Invite invite = invite(TUESDAY);
    directory.addInvites(List.of(invite));
    Map<IdentityKey, UserName> names = new HashMap<>();
    for (int i = 0; i < RACERS; i++) {
      names.put(Identity.generate().publicKey(), new UserName("dave-" + i));
    }

    List<Outcome> outcomes =
        race(
            List.copyOf(names.keySet()),
            key -> directory.claim(names.get(key), key, MONDAY, with(invite)));

    assertThat(outcomes.stream().filter(o -> o.claim() != null)).hasSize(1);
    assertThat(outcomes.stream().filter(o -> o.failure() != null))
        .hasSize(RACERS - 1)
        .allSatisfy(o -> assertThat(o.failure()).isInstanceOf(InviteInvalidException.class));
    assertThat(directory.count()).isEqualTo(1);
    assertThat(directory.openInvites(MONDAY)).isEmpty();
  }

  @Test
  void claimsThatLoseTheRaceForANameKeepTheirInvites() throws Exception {
    UserName name = new UserName("erin");
    Map<IdentityKey, Invite> invites = new HashMap<>();
    for (int i = 0; i < RACERS; i++) {
      invites.put(Identity.generate().publicKey(), invite(TUESDAY));
    }
    directory.addInvites(List.copyOf(invites.values()));

    List<Outcome> outcomes =
        race(
            List.copyOf(invites.keySet()),
            key -> directory.claim(name, key, MONDAY, with(invites.get(key))));

    List<Outcome> winners = outcomes.stream().filter(o -> o.claim() != null).toList();
    assertThat(winners).hasSize(1);
    assertThat(outcomes.stream().filter(o -> o.failure() != null))
        .allSatisfy(o -> assertThat(o.failure()).isInstanceOf(NameTakenException.class));
    assertThat(directory.openInvites(MONDAY))
        .hasSize(RACERS - 1)
        .doesNotContain(invites.get(winners.get(0).key()));
  }

  private static Invite invite(Instant expires) {
    byte[] random = new byte[8];
    new java.security.SecureRandom().nextBytes(random);
    return new Invite(
        java.util.HexFormat.of().formatHex(random) + "0".repeat(48),
        MONDAY.minusSeconds(60),
        expires);
  }

  /** An admission that lets a name in with {@code invite}. */
  private static Directory.Admission with(Invite invite) {
    return name -> java.util.Optional.of(invite.codeHash());
  }

  @Test
  void migratingAnUpToDateDatabaseAgainChangesNothing() throws SQLException {
    open().close();
    open().close();

    List<String> applied = new ArrayList<>();
    try (Connection connection = connect();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery("SELECT version, script FROM parley_schema ORDER BY version")) {
      while (rows.next()) {
        applied.add(rows.getInt(1) + ":" + rows.getString(2));
      }
    }
    List<String> expected = new ArrayList<>();
    for (int version = 1; version <= Migrations.SCRIPTS.size(); version++) {
      expected.add(version + ":" + Migrations.SCRIPTS.get(version - 1));
    }
    assertThat(applied).isEqualTo(expected);
  }

  /** What one racer got: its key, and either its claim or the exception it met. */
  private record Outcome(
      IdentityKey key, Directory.@Nullable Claim claim, @Nullable Throwable failure) {}

  /** Lets one thread per key make its claim at the same moment. */
  private List<Outcome> race(List<IdentityKey> keys, Function<IdentityKey, Directory.Claim> claim)
      throws InterruptedException, ExecutionException, TimeoutException {
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(keys.size());
    try {
      List<Future<Outcome>> futures = new ArrayList<>();
      for (IdentityKey key : keys) {
        futures.add(
            threads.submit(
                () -> {
                  start.await();
                  try {
                    return new Outcome(key, claim.apply(key), null);
                  } catch (RuntimeException e) {
                    return new Outcome(key, null, e);
                  }
                }));
      }
      start.countDown();
      List<Outcome> outcomes = new ArrayList<>();
      for (Future<Outcome> future : futures) {
        outcomes.add(future.get(30, TimeUnit.SECONDS));
      }
      return outcomes;
    } finally {
      threads.shutdownNow();
      threads.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  private Directory track(Directory opening) {
    opened.add(opening);
    return opening;
  }
}
