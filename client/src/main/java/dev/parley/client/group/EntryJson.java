package dev.parley.client.group;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.Signature;
import dev.parley.protocol.UserName;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A log entry as JSON: the {@code entry} object of a {@code group-entry} message, and what the
 * profile stores (docs/p2p.md, "The entry").
 */
public final class EntryJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private EntryJson() {}

  public static ObjectNode encode(LogEntry entry) {
    ObjectNode json = NODES.objectNode();
    json.put("v", 1)
        .put("group", entry.group().value())
        .put("author", entry.author().value())
        .put("seq", entry.seq())
        .put("ts", entry.ts());
    ArrayNode parents = json.putArray("parents");
    entry.parents().forEach(parents::add);
    json.put("op", entry.op().wire());
    switch (entry.op()) {
      case Op.Create c -> {
        json.put("title", c.title());
        ArrayNode members = json.putArray("members");
        c.members()
            .forEach(
                m ->
                    members
                        .addObject()
                        .put("name", m.name().value())
                        .put("key", m.key().encoded()));
      }
      case Op.Add a ->
          json.put("member", a.member().name().value()).put("key", a.member().key().encoded());
      case Op.Remove r -> json.put("member", r.member().value());
      case Op.MakeAdmin m -> json.put("member", m.member().value());
      case Op.Leave l -> {}
      case Op.Text t -> {
        json.put("body", t.body());
        t.text().ifPresent(text -> json.put("text", text));
      }
      case Op.File f -> {
        json.put("body", f.body()).put("sha256", f.sha256()).put("size", f.size());
        f.named().ifPresent(n -> json.put("name", n.name()).put("mime", n.mime()));
      }
    }
    json.put("sig", entry.signature().encoded());
    return json;
  }

  /**
   * Reads an entry; unknown fields are ignored.
   *
   * @throws IllegalArgumentException if it is not an entry of version 1 within the limits
   */
  public static LogEntry decode(JsonNode json) {
    if (json == null || !json.isObject()) {
      throw new IllegalArgumentException("a group entry is a JSON object");
    }
    if (integer(json, "v") != 1) {
      throw new IllegalArgumentException("a group entry of version " + json.get("v") + ", not 1");
    }
    try {
      JsonNode parentsJson = json.get("parents");
      if (parentsJson == null || !parentsJson.isArray()) {
        throw new IllegalArgumentException("a group entry has an array 'parents'");
      }
      if (parentsJson.size() > LogEntry.MAX_PARENTS) {
        throw new IllegalArgumentException("at most " + LogEntry.MAX_PARENTS + " parents");
      }
      List<String> parents = new ArrayList<>();
      for (JsonNode parent : parentsJson) {
        if (!parent.isTextual()) {
          throw new IllegalArgumentException("a parent is a string");
        }
        parents.add(parent.asText());
      }
      String opName = text(json, "op");
      Op op =
          switch (opName) {
            case "create" -> new Op.Create(text(json, "title"), members(json));
            case "add" ->
                new Op.Add(
                    new MemberKey(
                        new UserName(text(json, "member")), new IdentityKey(text(json, "key"))));
            case "remove" -> new Op.Remove(new UserName(text(json, "member")));
            case "admin" -> new Op.MakeAdmin(new UserName(text(json, "member")));
            case "leave" -> new Op.Leave();
            case "message" ->
                new Op.Text(
                    text(json, "body"),
                    json.has("text") ? Optional.of(text(json, "text")) : Optional.empty());
            case "file" ->
                new Op.File(
                    text(json, "body"),
                    text(json, "sha256"),
                    integer(json, "size"),
                    json.has("name") || json.has("mime")
                        ? Optional.of(new Op.File.Named(text(json, "name"), text(json, "mime")))
                        : Optional.empty());
            default -> throw new IllegalArgumentException("an unknown op: " + opName);
          };
      return new LogEntry(
          new GroupId(text(json, "group")),
          new UserName(text(json, "author")),
          integer(json, "seq"),
          integer(json, "ts"),
          parents,
          op,
          new Signature(text(json, "sig")));
    } catch (ProtocolException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static List<MemberKey> members(JsonNode json) {
    JsonNode members = json.get("members");
    if (members == null || !members.isArray() || members.size() > Op.MAX_MEMBERS) {
      throw new IllegalArgumentException("a create lists 1 to " + Op.MAX_MEMBERS + " members");
    }
    List<MemberKey> result = new ArrayList<>();
    for (JsonNode member : members) {
      result.add(
          new MemberKey(new UserName(text(member, "name")), new IdentityKey(text(member, "key"))));
    }
    return result;
  }

  private static String text(JsonNode json, String field) {
    JsonNode value = json.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException("a group entry has no string field '" + field + "'");
    }
    return value.asText();
  }

  private static long integer(JsonNode json, String field) {
    JsonNode value = json.get(field);
    if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new IllegalArgumentException("a group entry has no integer field '" + field + "'");
    }
    return value.longValue();
  }
}
