package dev.parley.client.group;

import dev.parley.protocol.UserName;
import java.util.List;
import java.util.Optional;

/** What a log entry does (docs/p2p.md, "The entry"): a change of the group, or a message. */
public sealed interface Op {
  /** The longest title, in characters. */
  int MAX_TITLE = 100;

  /** The most members a group has. */
  int MAX_MEMBERS = 32;

  /** The longest message text, in characters (as a one-to-one message). */
  int MAX_TEXT = 65_536;

  /** The op's name on the wire and in the signed payload. */
  String wire();

  /** Whether this op changes the group (as opposed to a message). */
  default boolean isChange() {
    return !(this instanceof Text);
  }

  /** Creates the group; its author is the first admin, and among {@code members}. */
  record Create(String title, List<MemberKey> members) implements Op {
    public Create {
      if (title.isBlank()
          || title.length() > MAX_TITLE
          || title.chars().anyMatch(Character::isISOControl)) {
        throw new IllegalArgumentException(
            "a group title is 1 to " + MAX_TITLE + " characters, no control characters");
      }
      if (members.isEmpty() || members.size() > MAX_MEMBERS) {
        throw new IllegalArgumentException("a group has 1 to " + MAX_MEMBERS + " members");
      }
      members =
          members.stream().sorted((a, b) -> a.name().key().compareTo(b.name().key())).toList();
      for (int i = 1; i < members.size(); i++) {
        if (members.get(i).name().equals(members.get(i - 1).name())) {
          throw new IllegalArgumentException(members.get(i).name() + " is named twice");
        }
      }
    }

    @Override
    public String wire() {
      return "create";
    }
  }

  /** An admin adds {@code member}, whose identity key is {@code key}. */
  record Add(MemberKey member) implements Op {
    @Override
    public String wire() {
      return "add";
    }
  }

  /** An admin removes {@code member}. */
  record Remove(UserName member) implements Op {
    @Override
    public String wire() {
      return "remove";
    }
  }

  /** An admin makes {@code member} an admin too. */
  record MakeAdmin(UserName member) implements Op {
    @Override
    public String wire() {
      return "admin";
    }
  }

  /** The author leaves the group. */
  record Leave() implements Op {
    @Override
    public String wire() {
      return "leave";
    }
  }

  /**
   * A message: {@code body} is the SHA-256 of its text (lower-case hex), which the signature
   * covers; the text is empty in a stub, sent to who needs the entry but may not read it.
   */
  record Text(String body, Optional<String> text) implements Op {
    public Text {
      if (!Hashes.isHash(body)) {
        throw new IllegalArgumentException("body must be 64 lower-case hex digits");
      }
      text.ifPresent(
          t -> {
            if (t.isEmpty() || t.length() > MAX_TEXT) {
              throw new IllegalArgumentException(
                  "a group message is 1 to " + MAX_TEXT + " characters");
            }
          });
    }

    /** The message {@code text}, whole. */
    public static Text of(String text) {
      return new Text(Hashes.sha256(text), Optional.of(text));
    }

    /** Whether this is a stub: the message without its text. */
    public boolean isStub() {
      return text.isEmpty();
    }

    /** Whether the text, if any, is the one the body names. */
    boolean matches() {
      return text.map(t -> Hashes.sha256(t).equals(body)).orElse(true);
    }

    @Override
    public String wire() {
      return "message";
    }
  }
}
