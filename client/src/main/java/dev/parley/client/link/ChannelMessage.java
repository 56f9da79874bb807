package dev.parley.client.link;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.client.group.EntryJson;
import dev.parley.client.group.GroupId;
import dev.parley.client.group.Hashes;
import dev.parley.client.group.LogEntry;
import dev.parley.client.group.Op;
import dev.parley.protocol.Json;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.UserName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * A control message on a link's data channel: one JSON object per text message, or several in one
 * JSON array (a batch) once the peer said it reads batches (docs/p2p.md, "Data channel messages").
 * File data travels in binary messages instead ({@link FileChunk}).
 */
public sealed interface ChannelMessage {
  /** The longest chat text, in UTF-16 code units (characters). */
  int MAX_TEXT = 65_536;

  /** The feature of a peer that reads batches: several messages in one JSON array. */
  String BATCH = "batch";

  /** The most messages one batch holds. */
  int MAX_BATCH = 1024;

  /** The most features a {@link Hello} names. */
  int MAX_FEATURES = 32;

  /** The longest name of a feature. */
  int MAX_FEATURE_LENGTH = 32;

  /** The longest file name, as in a group's file entry. */
  int MAX_FILE_NAME = Op.MAX_FILE_NAME;

  /** A chat message; {@code ts} is the sender's clock in Unix milliseconds. */
  record Chat(String id, long ts, String text) implements ChannelMessage {
    public Chat {
      requireId(id);
      if (text.length() > MAX_TEXT) {
        throw new IllegalArgumentException(
            "a message is at most " + MAX_TEXT + " characters; this one has " + text.length());
      }
    }
  }

  /** A file follows in binary chunks: its base name, size in bytes and SHA-256 (lower-case hex). */
  record FileOffer(String id, long ts, String name, long size, String sha256, String mime)
      implements ChannelMessage {

    public FileOffer {
      requireId(id);
      if (name.isEmpty()
          || name.length() > MAX_FILE_NAME
          || name.contains("/")
          || name.contains("\\")
          || name.equals(".")
          || name.equals("..")
          || name.chars().anyMatch(Character::isISOControl)) {
        throw new IllegalArgumentException("not a usable file name: '" + name + "'");
      }
      if (size < 0) {
        throw new IllegalArgumentException("a file size cannot be negative");
      }
      if (!Hashes.isHash(sha256)) {
        throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits");
      }
    }
  }

  /** The receiver has the chat message or the whole, verified file {@code id}. */
  record Ack(String id) implements ChannelMessage {}

  /**
   * The first message each side sends on a link: what it can read beyond one message per text
   * message ({@link #BATCH}). A peer that never sends one (an older client) is sent one message per
   * text message.
   */
  record Hello(Set<String> features) implements ChannelMessage {
    public Hello {
      features = Set.copyOf(features);
      if (features.size() > MAX_FEATURES
          || features.stream().anyMatch(f -> f.isEmpty() || f.length() > MAX_FEATURE_LENGTH)) {
        throw new IllegalArgumentException(
            "a hello names at most "
                + MAX_FEATURES
                + " features of 1 to "
                + MAX_FEATURE_LENGTH
                + " characters");
      }
    }
  }

  /** The receiver will not take the file {@code id}; {@code reason} is a stable code. */
  record Nack(String id, String reason, String message) implements ChannelMessage {
    public static final String HASH_MISMATCH = "hash_mismatch";
    public static final String TOO_LARGE = "too_large";
    public static final String REFUSED = "refused";
  }

  /** The sender is typing in this conversation, or stopped. */
  record Typing(boolean active) implements ChannelMessage {}

  /** An entry of a group's log (docs/p2p.md, "Groups"). */
  record GroupEntry(LogEntry entry) implements ChannelMessage {}

  /**
   * What the sender holds of a group: per author (a name in lower case), how many of its entries,
   * all of 1 to that number. It asks for the rest, and acknowledges what came.
   */
  record GroupSync(GroupId group, Map<String, Long> have) implements ChannelMessage {
    /** The most authors one names. */
    public static final int MAX_AUTHORS = 256;

    public GroupSync {
      have = Map.copyOf(have);
      if (have.size() > MAX_AUTHORS) {
        throw new IllegalArgumentException(
            "a group-sync names at most " + MAX_AUTHORS + " authors");
      }
      have.forEach(
          (author, count) -> {
            if (!new UserName(author).key().equals(author) || count < 0) {
              throw new IllegalArgumentException("a group-sync maps names in lower case to counts");
            }
          });
    }
  }

  /** Asks for the bytes of the group's file entry {@code entry} (a hash). */
  record GroupFileGet(GroupId group, String entry) implements ChannelMessage {
    public GroupFileGet {
      requireHash(entry);
    }
  }

  /** The bytes of the group's file entry {@code entry} follow, in chunks led by {@code id}. */
  record GroupFile(GroupId group, String entry, String id) implements ChannelMessage {
    public GroupFile {
      requireHash(entry);
      requireId(id);
    }
  }

  /** The sender will not send the bytes of {@code entry} now (or stops sending them). */
  record GroupFileMissing(GroupId group, String entry) implements ChannelMessage {
    public GroupFileMissing {
      requireHash(entry);
    }
  }

  /** The sender is typing in the group, or stopped. */
  record GroupTyping(GroupId group, boolean active) implements ChannelMessage {}

  default String encode() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    switch (this) {
      case Chat c ->
          json.put("type", "message").put("id", c.id()).put("ts", c.ts()).put("text", c.text());
      case FileOffer f ->
          json.put("type", "file")
              .put("id", f.id())
              .put("ts", f.ts())
              .put("name", f.name())
              .put("size", f.size())
              .put("sha256", f.sha256())
              .put("mime", f.mime());
      case Ack a -> json.put("type", "ack").put("id", a.id());
      case Hello h -> {
        var features = json.put("type", "hello").putArray("features");
        new TreeSet<>(h.features()).forEach(features::add);
      }
      case Nack n ->
          json.put("type", "nack")
              .put("id", n.id())
              .put("reason", n.reason())
              .put("message", n.message());
      case Typing t -> json.put("type", "typing").put("active", t.active());
      case GroupEntry g ->
          json.put("type", "group-entry").set("entry", EntryJson.encode(g.entry()));
      case GroupSync g -> {
        ObjectNode have =
            json.put("type", "group-sync").put("group", g.group().value()).putObject("have");
        g.have().entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .forEach(e -> have.put(e.getKey(), e.getValue()));
      }
      case GroupFileGet g ->
          json.put("type", "group-file-get")
              .put("group", g.group().value())
              .put("entry", g.entry());
      case GroupFile g ->
          json.put("type", "group-file")
              .put("group", g.group().value())
              .put("entry", g.entry())
              .put("id", g.id());
      case GroupFileMissing g ->
          json.put("type", "group-file-missing")
              .put("group", g.group().value())
              .put("entry", g.entry());
      case GroupTyping g ->
          json.put("type", "group-typing")
              .put("group", g.group().value())
              .put("active", g.active());
    }
    return json.toString();
  }

  /**
   * Reads a data channel text message: one message (as {@link #decode}), or a batch of up to {@link
   * #MAX_BATCH}. A malformed message in a batch is skipped and handed to {@code malformed}; the
   * others are read.
   *
   * @throws IllegalArgumentException if the text is not a JSON object or array, a batch is too
   *     long, or a single message is malformed
   */
  static List<ChannelMessage> decodeAll(String text, Consumer<String> malformed) {
    JsonNode json = parse(text);
    if (json.isObject()) {
      return decode(json).map(List::of).orElse(List.of());
    }
    if (!json.isArray()) {
      throw new IllegalArgumentException("not a JSON object or array");
    }
    if (json.size() > MAX_BATCH) {
      throw new IllegalArgumentException(
          "a batch holds at most " + MAX_BATCH + " messages; this one " + json.size());
    }
    List<ChannelMessage> messages = new ArrayList<>(json.size());
    for (JsonNode element : json) {
      try {
        if (!element.isObject()) {
          throw new IllegalArgumentException("a batch holds JSON objects");
        }
        decode(element).ifPresent(messages::add);
      } catch (IllegalArgumentException e) {
        malformed.accept(e.getMessage());
      }
    }
    return messages;
  }

  /**
   * Reads a data channel message. A type we do not know is skipped (empty), so that newer peers can
   * add types; unknown fields are ignored. Strings are read as Unicode text: half of a UTF-16
   * surrogate pair without the other half, which only a JSON escape can carry, is read as U+FFFD,
   * as UTF-8 would carry it; so a message read is sent again as the same message.
   *
   * @throws IllegalArgumentException if it is not a JSON object with the fields of its type
   */
  static Optional<ChannelMessage> decode(String text) {
    JsonNode json = parse(text);
    if (!json.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    return decode(json);
  }

  private static JsonNode parse(String text) {
    try {
      return Json.parse(text);
    } catch (ProtocolException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static Optional<ChannelMessage> decode(JsonNode json) {
    return switch (json.path("type").asText()) {
      case "message" ->
          Optional.of(new Chat(text(json, "id"), integer(json, "ts"), text(json, "text")));
      case "file" ->
          Optional.of(
              new FileOffer(
                  text(json, "id"),
                  integer(json, "ts"),
                  text(json, "name"),
                  integer(json, "size"),
                  text(json, "sha256"),
                  json.path("mime").isTextual() ? wellFormed(json.get("mime").asText()) : ""));
      case "ack" -> Optional.of(new Ack(text(json, "id")));
      case "hello" -> Optional.of(hello(json));
      case "nack" ->
          Optional.of(
              new Nack(
                  text(json, "id"),
                  text(json, "reason"),
                  json.path("message").isTextual()
                      ? wellFormed(json.get("message").asText())
                      : ""));
      case "typing" -> Optional.of(new Typing(active(json)));
      case "group-typing" -> Optional.of(new GroupTyping(group(json), active(json)));
      case "group-file-get" -> Optional.of(new GroupFileGet(group(json), text(json, "entry")));
      case "group-file" ->
          Optional.of(new GroupFile(group(json), text(json, "entry"), text(json, "id")));
      case "group-file-missing" ->
          Optional.of(new GroupFileMissing(group(json), text(json, "entry")));
      case "group-entry" -> Optional.of(new GroupEntry(EntryJson.decode(json.get("entry"))));
      case "group-sync" -> Optional.of(groupSync(json));
      default -> Optional.empty();
    };
  }

  private static Hello hello(JsonNode json) {
    JsonNode features = json.get("features");
    if (features == null || !features.isArray() || features.size() > MAX_FEATURES) {
      throw new IllegalArgumentException(
          "a hello has an array 'features' of at most " + MAX_FEATURES + " strings");
    }
    Set<String> names = new TreeSet<>();
    for (JsonNode feature : features) {
      if (!feature.isTextual()) {
        throw new IllegalArgumentException("a hello's features are strings");
      }
      names.add(feature.asText());
    }
    return new Hello(names);
  }

  private static GroupSync groupSync(JsonNode json) {
    JsonNode have = json.get("have");
    if (have == null || !have.isObject() || have.size() > GroupSync.MAX_AUTHORS) {
      throw new IllegalArgumentException(
          "a group-sync has an object 'have' of at most " + GroupSync.MAX_AUTHORS + " authors");
    }
    Map<String, Long> counts = new HashMap<>();
    for (var field : have.properties()) {
      JsonNode count = field.getValue();
      if (!count.isIntegralNumber() || !count.canConvertToLong()) {
        throw new IllegalArgumentException("a group-sync counts entries in integers");
      }
      counts.put(field.getKey(), count.longValue());
    }
    return new GroupSync(group(json), counts);
  }

  private static boolean active(JsonNode json) {
    JsonNode active = json.get("active");
    if (active == null || !active.isBoolean()) {
      throw new IllegalArgumentException("typing needs a boolean 'active'");
    }
    return active.booleanValue();
  }

  private static GroupId group(JsonNode json) {
    try {
      return new GroupId(text(json, "group"));
    } catch (ProtocolException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static void requireHash(String hash) {
    if (!Hashes.isHash(hash)) {
      throw new IllegalArgumentException("an entry is named by its hash: 64 lower-case hex digits");
    }
  }

  private static void requireId(String id) {
    if (id.isEmpty() || id.length() > 64) {
      throw new IllegalArgumentException("an id is 1 to 64 characters");
    }
  }

  private static String text(JsonNode json, String field) {
    JsonNode value = json.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException("the message has no string field '" + field + "'");
    }
    return wellFormed(value.asText());
  }

  /** {@code text} with every surrogate that is not half of a pair replaced by U+FFFD. */
  private static String wellFormed(String text) {
    StringBuilder fixed = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean paired =
          Character.isHighSurrogate(c)
              && i + 1 < text.length()
              && Character.isLowSurrogate(text.charAt(i + 1));
      if (paired) {
        if (fixed != null) {
          fixed.append(c).append(text.charAt(i + 1));
        }
        i++;
      } else if (Character.isSurrogate(c)) {
        if (fixed == null) {
          fixed = new StringBuilder(text.length()).append(text, 0, i);
        }
        fixed.append('\uFFFD');
      } else if (fixed != null) {
        fixed.append(c);
      }
    }
    return fixed == null ? text : fixed.toString();
  }

  private static long integer(JsonNode json, String field) {
    JsonNode value = json.get(field);
    if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new IllegalArgumentException("the message has no integer field '" + field + "'");
    }
    return value.longValue();
  }
}
