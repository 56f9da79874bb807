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

  /** The largest file a group entry may name, in bytes (1 GiB). */
  long MAX_FILE_BYTES = 1L << 30;

  /** The longest file name and media type, in characters. */
  int MAX_FILE_NAME = 255;

  /** Whether this op changes the group (as opposed to a message or a file). */
  default boolean isChange() {
    return !(this instanceof Content);
  }

  /**
   * What members write to each other, a message or a file: its free text enters the signed payload
   * only as {@link #body}, a SHA-256, so that a stub (the content without it) still checks.
   */
  sealed interface Content extends Op permits Text, File {
    /** The SHA-256 of the free text, lower-case hex. */
    String body();

    /** Whether this is a stub: sent without its free text to who may not read it. */
    boolean isStub();

    /** This content as a stub. */
    Content stub();

    /** Whether the free text, if any, is the one the body names. */
    boolean matches();
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
  record Text(String body, Optional<String> text) implements Content {
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

    @Override
    public boolean isStub() {
      return text.isEmpty();
    }

    @Override
    public Text stub() {
      return new Text(body, Optional.empty());
    }

    @Override
    public boolean matches() {
      return text.map(t -> Hashes.sha256(t).equals(body)).orElse(true);
    }

    @Override
    public String wire() {
      return "message";
    }
  }

  /**
   * A file shared with the group (docs/p2p.md, "Files in a group"): its bytes' SHA-256 and size,
   * which the signature covers, and its name and media type, which enter the payload as {@code
   * body} (the SHA-256 of the name, a line feed and the type) and are absent in a stub. The bytes
   * travel apart, from any member who holds them.
   */
  record File(String body, String sha256, long size, Optional<Named> named) implements Content {
    /** A file's base name and media type (empty if unknown). */
    public record Named(String name, String mime) {
      public Named {
        if (name.isEmpty()
            || name.length() > MAX_FILE_NAME
            || name.chars().anyMatch(c -> Character.isISOControl(c) || c == '/' || c == '\\')) {
          throw new IllegalArgumentException(
              "a file name is 1 to "
                  + MAX_FILE_NAME
                  + " characters, without control characters, '/' or '\\'");
        }
        if (mime.length() > MAX_FILE_NAME) {
          throw new IllegalArgumentException(
              "a media type is at most " + MAX_FILE_NAME + " characters");
        }
      }

      /** The SHA-256 that stands for this name and type in the signed payload. */
      public String body() {
        return Hashes.sha256(name + "\n" + mime);
      }
    }

    /** The SHA-256 of no bytes: the only one a file of size 0 may name. */
    public static final String EMPTY = Hashes.sha256(new byte[0]);

    public File {
      if (!Hashes.isHash(body) || !Hashes.isHash(sha256)) {
        throw new IllegalArgumentException("body and sha256 are 64 lower-case hex digits each");
      }
      if (size < 0 || size > MAX_FILE_BYTES) {
        throw new IllegalArgumentException("a group file is 0 to " + MAX_FILE_BYTES + " bytes");
      }
    }

    /** The file {@code name} of type {@code mime}, {@code size} bytes whose SHA-256 is given. */
    public static File of(String name, String mime, long size, String sha256) {
      Named named = new Named(name, mime);
      return new File(named.body(), sha256, size, Optional.of(named));
    }

    @Override
    public boolean isStub() {
      return named.isEmpty();
    }

    @Override
    public File stub() {
      return new File(body, sha256, size, Optional.empty());
    }

    @Override
    public boolean matches() {
      return named.map(n -> n.body().equals(body)).orElse(true)
          && (size != 0 || sha256.equals(EMPTY));
    }

    @Override
    public String wire() {
      return "file";
    }
  }
}
