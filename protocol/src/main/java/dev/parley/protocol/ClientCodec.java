package dev.parley.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The frames a client sends the server: clients encode them, the server decodes them. Decoding is
 * strict: a malformed message is a {@link ProtocolException} with a code, never a guess; unknown
 * fields are ignored so that newer clients can add them.
 */
public final class ClientCodec {
  /** The longest {@code ref} a message may carry to have it echoed by an error. */
  public static final int MAX_REF_LENGTH = 64;

  private ClientCodec() {}

  /**
   * A decoded client message, the {@code ref} it carried, if any, and for a signal the UTF-8 text
   * of its {@code data} object exactly as the client wrote it. The server forwards that text
   * unread: it is checked as JSON under the same limits as the rest (duplicate keys, nesting,
   * UTF-8) but never built into a tree, so a decoded {@link ClientMessage.Signal} has no {@code
   * data} tree.
   */
  @SuppressWarnings("ArrayRecordComponent") // a byte range handed on, never compared
  public record Inbound(ClientMessage message, @Nullable String ref, byte @Nullable [] data) {}

  public static Inbound decode(String text) {
    return decode(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Decodes a client message from the UTF-8 bytes of its frame.
   *
   * @throws ProtocolException if it is not a valid message; with the message's {@code ref} once the
   *     frame was read far enough to have one
   */
  public static Inbound decode(byte[] utf8) {
    JsonFields fields = Json.fields(utf8, true);
    try {
      return new Inbound(message(fields), fields.ref(), fields.dataText());
    } catch (ProtocolException e) {
      // The one place a problem with a message is given the message's ref.
      throw fields.ref() == null
          ? e
          : new ProtocolException(e.code(), String.valueOf(e.getMessage()), fields.ref());
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(
          ErrorCode.INVALID_FIELD, String.valueOf(e.getMessage()), fields.ref());
    }
  }

  private static ClientMessage message(JsonFields fields) {
    String name = fields.string("type");
    MessageType type = MessageType.of(name);
    if (type == null) {
      throw MessageType.unknown(name);
    }
    return switch (type) {
      case LOGIN ->
          new ClientMessage.Login(
              fields.integer("version"),
              fields.parse("name", UserName::new),
              fields.parse("publicKey", IdentityKey::new),
              fields.parse("signature", Signature::new),
              fields.parseOptional("invite", InviteCode::new));
      case OFFER, ANSWER, CANDIDATE, HANGUP -> {
        fields.object("data"); // present and an object; its text is in Inbound.data()
        yield new ClientMessage.Signal(
            SignalKind.of(type), fields.parse("to", UserName::new), null);
      }
      case PING -> new ClientMessage.Ping();
      case WATCH -> new ClientMessage.Watch(names(fields));
      case UNWATCH -> new ClientMessage.Unwatch(names(fields));
      case CHALLENGE, WELCOME, PRESENCE, PONG, ERROR -> throw MessageType.unknown(name);
    };
  }

  private static List<UserName> names(JsonFields fields) {
    return fields.array(
        "names",
        node -> {
          if (!node.isTextual()) {
            throw JsonFields.invalid("every entry of 'names' must be a string");
          }
          return new UserName(node.textValue());
        });
  }

  /** Encodes a client message; {@code ref}, if given, is echoed by any error it causes. */
  public static String encode(ClientMessage message, @Nullable String ref) {
    byte[] bytes =
        Json.object(
            128,
            gen -> {
              switch (message) {
                case ClientMessage.Login l -> {
                  gen.writeStringField("type", MessageType.LOGIN.wireName());
                  gen.writeNumberField("version", l.version());
                  gen.writeStringField("name", l.name().value());
                  gen.writeStringField("publicKey", l.publicKey().encoded());
                  gen.writeStringField("signature", l.signature().encoded());
                  InviteCode invite = l.invite();
                  if (invite != null) {
                    gen.writeStringField("invite", invite.value());
                  }
                }
                case ClientMessage.Signal s -> {
                  JsonNode data = s.data();
                  if (data == null) {
                    throw new IllegalArgumentException(
                        "a signal the server decoded has no data tree; forward Inbound.data()");
                  }
                  gen.writeStringField("type", s.kind().wireName());
                  gen.writeStringField("to", s.to().value());
                  gen.writeFieldName("data");
                  gen.writeTree(data);
                }
                case ClientMessage.Ping p ->
                    gen.writeStringField("type", MessageType.PING.wireName());
                case ClientMessage.Watch w -> writeNames(gen, MessageType.WATCH, w.names());
                case ClientMessage.Unwatch u -> writeNames(gen, MessageType.UNWATCH, u.names());
              }
              if (ref != null) {
                gen.writeStringField("ref", ref);
              }
            });
    return new String(bytes, StandardCharsets.UTF_8);
  }

  public static String encode(ClientMessage message) {
    return encode(message, null);
  }

  private static void writeNames(JsonGenerator gen, MessageType type, List<UserName> names)
      throws IOException {
    gen.writeStringField("type", type.wireName());
    gen.writeArrayFieldStart("names");
    for (UserName name : names) {
      gen.writeString(name.value());
    }
    gen.writeEndArray();
  }
}
