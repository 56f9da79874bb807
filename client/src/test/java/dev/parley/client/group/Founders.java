package dev.parley.client.group;

import dev.parley.protocol.Identity;
import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.UserName;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * People who write entries by hand, for tests of the log: each with an identity key, and a clock
 * that ticks once per entry.
 */
final class Founders {
  static final UserName ALICE = new UserName("alice");
  static final UserName BOB = new UserName("bob");
  static final UserName CAROL = new UserName("carol");
  static final UserName DAVE = new UserName("dave");
  static final Function<UserName, Optional<IdentityKey>> NO_PINS = name -> Optional.empty();

  final Map<UserName, Identity> keys =
      Map.of(
          ALICE, Identity.generate(),
          BOB, Identity.generate(),
          CAROL, Identity.generate(),
          DAVE, Identity.generate());
  final GroupId group = GroupId.random();
  private long ts = 1_795_525_200_000L;

  MemberKey key(UserName name) {
    return new MemberKey(name, keys.get(name).publicKey());
  }

  /** {@code author}'s {@code create} of a group of these members. */
  LogEntry create(UserName author, UserName... members) {
    return LogEntry.sign(
        keys.get(author),
        group,
        author,
        1,
        ts++,
        List.of(),
        new Op.Create("Climbing", java.util.Arrays.stream(members).map(this::key).toList()));
  }

  /** {@code author}'s entry {@code seq} doing {@code op}, after {@code parents}. */
  LogEntry entry(UserName author, long seq, Op op, LogEntry... parents) {
    return LogEntry.sign(
        keys.get(author),
        group,
        author,
        seq,
        ts++,
        java.util.Arrays.stream(parents).map(LogEntry::hash).toList(),
        op);
  }

  LogEntry text(UserName author, long seq, String text, LogEntry... parents) {
    return entry(author, seq, Op.Text.of(text), parents);
  }
}
