package dev.parley.client.group;

import dev.parley.protocol.Identity;
import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.Signature;
import dev.parley.protocol.UserName;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * One signed entry of a group's log (docs/p2p.md, "The entry"). Its constructor checks the shape
 * (limits, sorted parents, a {@code create} as the only root); whether it belongs in a log is for
 * {@link GroupLog} to judge.
 *
 * @param parents hashes of the heads its author had seen, sorted
 * @param ts the author's clock, Unix milliseconds; shown, never used to order
 */
public record LogEntry(
    GroupId group,
    UserName author,
    long seq,
    long ts,
    List<String> parents,
    Op op,
    Signature signature) {
  /** The version of these rules, the payload's first line. */
  public static final String VERSION = "parley-group-v1";

  /** The most parents an entry names. */
  public static final int MAX_PARENTS = 16;

  public LogEntry {
    parents = List.copyOf(parents);
    if (seq < 1) {
      throw new IllegalArgumentException("seq starts at 1");
    }
    if (parents.size() > MAX_PARENTS) {
      throw new IllegalArgumentException("an entry names at most " + MAX_PARENTS + " parents");
    }
    for (int i = 0; i < parents.size(); i++) {
      if (!Hashes.isHash(parents.get(i))) {
        throw new IllegalArgumentException("a parent is a hash: 64 lower-case hex digits");
      }
      if (i > 0 && parents.get(i - 1).compareTo(parents.get(i)) >= 0) {
        throw new IllegalArgumentException("parents are sorted, each once");
      }
    }
    boolean create = op instanceof Op.Create;
    if (create != parents.isEmpty() || (create && seq != 1)) {
      throw new IllegalArgumentException("a create, and only a create, has no parents (and seq 1)");
    }
  }

  /** Signs a new entry with {@code identity}, which must be {@code author}'s. */
  public static LogEntry sign(
      Identity identity,
      GroupId group,
      UserName author,
      long seq,
      long ts,
      List<String> parents,
      Op op) {
    List<String> sorted = parents.stream().distinct().sorted().toList();
    byte[] payload = payload(group, author, seq, ts, sorted, op);
    return new LogEntry(group, author, seq, ts, sorted, op, identity.sign(payload));
  }

  /** The bytes the signature and the hash cover (docs/p2p.md, "The signed payload"). */
  public byte[] payload() {
    return payload(group, author, seq, ts, parents, op);
  }

  /** The entry's hash, by which parents name it: SHA-256 of its payload, lower-case hex. */
  public String hash() {
    return Hashes.sha256(payload());
  }

  /** Whether {@code key} signed this entry, and its text (if any) is the one its body names. */
  public boolean verifies(IdentityKey key) {
    return key.verifies(payload(), signature)
        && (!(op instanceof Op.Content content) || content.matches());
  }

  /** Whether this is a message or a file sent without its free text. */
  public boolean isStub() {
    return op instanceof Op.Content content && content.isStub();
  }

  /** This entry as a stub: a message without its text, a file without its name; a change as is. */
  public LogEntry stub() {
    return op instanceof Op.Content content && !content.isStub()
        ? new LogEntry(group, author, seq, ts, parents, content.stub(), signature)
        : this;
  }

  /** The text of a message, if this is one and not a stub. */
  public Optional<String> text() {
    return op instanceof Op.Text text ? text.text() : Optional.empty();
  }

  private static byte[] payload(
      GroupId group, UserName author, long seq, long ts, List<String> parents, Op op) {
    StringBuilder lines = new StringBuilder(256 + 65 * parents.size());
    line(lines, VERSION);
    line(lines, group.value());
    line(lines, author.key());
    line(lines, Long.toString(seq));
    line(lines, Long.toString(ts));
    line(lines, op.wire());
    line(lines, String.join(",", parents));
    switch (op) {
      case Op.Create c -> {
        line(lines, Hashes.sha256(c.title()));
        c.members().forEach(m -> line(lines, m.name().key() + " " + m.key().encoded()));
      }
      case Op.Add a -> line(lines, a.member().name().key() + " " + a.member().key().encoded());
      case Op.Remove r -> line(lines, r.member().key());
      case Op.MakeAdmin m -> line(lines, m.member().key());
      case Op.Leave l -> {}
      case Op.Text t -> line(lines, t.body());
      case Op.File f -> {
        line(lines, f.body());
        line(lines, f.sha256() + " " + f.size());
      }
    }
    return lines.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void line(StringBuilder lines, String line) {
    lines.append(line).append('\n');
  }
}
