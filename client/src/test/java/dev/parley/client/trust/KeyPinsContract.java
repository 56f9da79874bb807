package dev.parley.client.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.Identity;
import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.UserName;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The contract of {@link KeyPins}, as its Javadoc states it, run against each implementation. */
@Timeout(60)
public abstract class KeyPinsContract {
  private static final UserName BOB = new UserName("bob");
  private static final IdentityKey FIRST = Identity.generate().publicKey();
  private static final IdentityKey SECOND = Identity.generate().publicKey();

  /** Empty pins, of the implementation under test. */
  protected abstract KeyPins pins();

  @Test
  void nothingIsPinnedForANameNeverSeen() {
    assertThat(pins().pinned(BOB)).isEmpty();
  }

  @Test
  void theFirstKeySeenIsPinnedAndTrustedFromThenOn() {
    KeyPins pins = pins();

    assertThat(pins.trust(BOB, FIRST)).isEqualTo(FIRST);

    assertThat(pins.pinned(BOB)).contains(FIRST);
    assertThat(pins.trust(BOB, FIRST)).isEqualTo(FIRST);
    assertThat(pins.pinIfAbsent(BOB, SECOND)).isEqualTo(FIRST);
  }

  @Test
  void aDifferentKeyLaterIsRefusedAndTheRefusalSaysWhichKeys() {
    KeyPins pins = pins();
    pins.trust(BOB, FIRST);

    assertThatThrownBy(() -> pins.trust(BOB, SECOND))
        .isInstanceOfSatisfying(
            KeyChangedException.class,
            e -> {
              assertThat(e.name()).isEqualTo(BOB);
              assertThat(e.pinned()).isEqualTo(FIRST);
              assertThat(e.presented()).isEqualTo(SECOND);
            });
    assertThat(pins.pinned(BOB)).contains(FIRST);
  }

  @Test
  void anAcceptedKeyReplacesThePin() {
    KeyPins pins = pins();
    pins.trust(BOB, FIRST);

    pins.accept(BOB, SECOND);

    assertThat(pins.pinned(BOB)).contains(SECOND);
    assertThat(pins.trust(BOB, SECOND)).isEqualTo(SECOND);
    assertThatThrownBy(() -> pins.trust(BOB, FIRST)).isInstanceOf(KeyChangedException.class);
  }

  @Test
  void aPinIsNotVerifiedUntilTheUserMarksIt() {
    KeyPins pins = pins();
    assertThat(pins.isVerified(BOB)).isFalse();
    pins.trust(BOB, FIRST);

    assertThat(pins.isVerified(BOB)).isFalse();
    assertThat(pins.markVerified(BOB, FIRST)).isTrue();

    assertThat(pins.isVerified(BOB)).isTrue();
    assertThat(pins.markVerified(BOB, FIRST)).as("marked already").isTrue();
    assertThat(pins.pinned(BOB)).contains(FIRST);
  }

  @Test
  void onlyThePinnedKeyCanBeMarkedVerified() {
    KeyPins pins = pins();

    assertThat(pins.markVerified(BOB, FIRST)).as("nothing pinned").isFalse();
    assertThat(pins.pinned(BOB)).as("marking pins nothing").isEmpty();
    pins.trust(BOB, FIRST);
    assertThat(pins.markVerified(BOB, SECOND)).isFalse();

    assertThat(pins.isVerified(BOB)).isFalse();
    assertThat(pins.pinned(BOB)).contains(FIRST);
  }

  @Test
  void theMarkCanBeTakenBackAndThePinStays() {
    KeyPins pins = pins();
    pins.trust(BOB, FIRST);
    assertThat(pins.unmarkVerified(BOB)).as("nothing to take back").isFalse();
    pins.markVerified(BOB, FIRST);

    assertThat(pins.unmarkVerified(BOB)).isTrue();

    assertThat(pins.isVerified(BOB)).isFalse();
    assertThat(pins.unmarkVerified(BOB)).isFalse();
    assertThat(pins.trust(BOB, FIRST)).isEqualTo(FIRST);
    assertThat(pins.unmarkVerified(new UserName("nobody"))).isFalse();
  }

  @Test
  void anAcceptedNewKeyIsNotVerifiedWhateverTheOldOneWas() {
    KeyPins pins = pins();
    pins.trust(BOB, FIRST);
    pins.markVerified(BOB, FIRST);

    pins.accept(BOB, SECOND);

    assertThat(pins.isVerified(BOB)).isFalse();
    pins.accept(BOB, FIRST);
    assertThat(pins.isVerified(BOB)).as("the mark went with the key it was given to").isFalse();
  }

  @Test
  void acceptingThePinnedKeyAgainKeepsItsMark() {
    KeyPins pins = pins();
    pins.trust(BOB, FIRST);
    pins.markVerified(BOB, FIRST);

    pins.accept(BOB, FIRST);

    assertThat(pins.isVerified(BOB)).isTrue();
  }

  @Test
  void namesCompareRegardlessOfCase() {
    KeyPins pins = pins();
    pins.trust(new UserName("Bob"), FIRST);

    assertThat(pins.pinned(new UserName("BOB"))).contains(FIRST);
    assertThatThrownBy(() -> pins.trust(new UserName("bob"), SECOND))
        .isInstanceOf(KeyChangedException.class);
    assertThat(pins.markVerified(new UserName("bOB"), FIRST)).isTrue();
    assertThat(pins.isVerified(new UserName("BOB"))).isTrue();
    assertThat(pins.unmarkVerified(new UserName("bob"))).isTrue();
  }

  @Test
  void ofTwoRacingFirstUsesOneWinsAndBothAreToldTheWinner() throws Exception {
    KeyPins pins = pins();
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 50; round++) {
        UserName name = new UserName("racer" + round);
        CyclicBarrier start = new CyclicBarrier(2);
        CompletableFuture<IdentityKey> first =
            CompletableFuture.supplyAsync(() -> race(start, pins, name, FIRST), threads);
        CompletableFuture<IdentityKey> second =
            CompletableFuture.supplyAsync(() -> race(start, pins, name, SECOND), threads);

        IdentityKey winner = first.get(10, TimeUnit.SECONDS);
        assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(winner);
        assertThat(pins.pinned(name)).contains(winner);
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void aMarkRacingWithANewKeyNeverLandsOnTheNewKey() throws Exception {
    KeyPins pins = pins();
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 50; round++) {
        UserName name = new UserName("racer" + round);
        pins.trust(name, FIRST);
        CyclicBarrier start = new CyclicBarrier(2);
        CompletableFuture<Boolean> marked =
            CompletableFuture.supplyAsync(
                () -> {
                  await(start);
                  return pins.markVerified(name, FIRST);
                },
                threads);
        CompletableFuture<Void> accepted =
            CompletableFuture.runAsync(
                () -> {
                  await(start);
                  pins.accept(name, SECOND);
                },
                threads);

        marked.get(10, TimeUnit.SECONDS);
        accepted.get(10, TimeUnit.SECONDS);
        assertThat(pins.pinned(name)).contains(SECOND);
        assertThat(pins.isVerified(name)).as("round %d", round).isFalse();
      }
    } finally {
      threads.shutdownNow();
    }
  }

  private static void await(CyclicBarrier start) {
    try {
      start.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static IdentityKey race(
      CyclicBarrier start, KeyPins pins, UserName name, IdentityKey key) {
    await(start);
    return pins.pinIfAbsent(name, key);
  }
}
