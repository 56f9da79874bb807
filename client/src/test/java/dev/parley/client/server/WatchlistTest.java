package dev.parley.client.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ClientMessage;
import dev.parley.protocol.UserName;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The names a session watches: the most recently asked for, at most as many as the server allows.
 */
class WatchlistTest {
  private static final UserName ALICE = new UserName("alice");
  private static final UserName BOB = new UserName("bob");
  private static final UserName CAROL = new UserName("carol");
  private static final UserName DAVE = new UserName("dave");

  @Test
  void namesAreKeptMostRecentFirstAndTheFirstOfOneCallIsTheMostRecent() {
    Watchlist list = new Watchlist(10);

    assertThat(list.add(List.of(ALICE, BOB)).added()).containsExactly(ALICE, BOB);
    assertThat(list.add(List.of(CAROL)).added()).containsExactly(CAROL);

    assertThat(list.mostRecentFirst()).containsExactly(CAROL, ALICE, BOB);
  }

  @Test
  void aNameAskedForAgainMovesToTheFrontAndIsNotAddedTwice() {
    Watchlist list = new Watchlist(10);
    list.add(List.of(ALICE, BOB, CAROL));

    Watchlist.Change change = list.add(List.of(new UserName("Carol"), BOB, BOB));

    assertThat(change.added()).isEmpty();
    assertThat(change.dropped()).isEmpty();
    assertThat(list.mostRecentFirst()).containsExactly(CAROL, BOB, ALICE);
    assertThat(list.size()).isEqualTo(3);
  }

  @Test
  void pastTheLimitTheNameAskedForLongestAgoIsDropped() {
    Watchlist list = new Watchlist(3);
    list.add(List.of(ALICE, BOB, CAROL));
    list.add(List.of(BOB)); // carol, last of the first call, is now the one asked for longest ago

    Watchlist.Change change = list.add(List.of(DAVE));

    assertThat(change.added()).containsExactly(DAVE);
    assertThat(change.dropped()).containsExactly(CAROL);
    assertThat(list.mostRecentFirst()).containsExactly(DAVE, BOB, ALICE);
    assertThat(list.contains(CAROL)).isFalse();
  }

  @Test
  void ofAListLongerThanTheLimitTheFirstNamesAreKeptAndTheRestNeitherAddedNorDropped() {
    Watchlist list = new Watchlist(2);

    Watchlist.Change change = list.add(List.of(ALICE, BOB, CAROL, DAVE));

    assertThat(change.added()).containsExactly(ALICE, BOB);
    assertThat(change.dropped()).isEmpty();
    assertThat(list.mostRecentFirst()).containsExactly(ALICE, BOB);
  }

  @Test
  void byDefaultItHoldsAsManyNamesAsTheServerLetsAConnectionWatch() {
    Watchlist list = new Watchlist();
    List<UserName> many =
        IntStream.range(0, ClientMessage.Watch.MAX_WATCHED + 5)
            .mapToObj(i -> new UserName("user" + i))
            .toList();

    list.add(many);

    assertThat(list.size()).isEqualTo(ClientMessage.Watch.MAX_WATCHED);
    assertThat(list.contains(new UserName("user0"))).isTrue();
    assertThat(list.contains(new UserName("user" + ClientMessage.Watch.MAX_WATCHED))).isFalse();
  }
}
