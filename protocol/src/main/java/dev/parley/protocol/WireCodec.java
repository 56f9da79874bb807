package dev.parley.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * JSON text frames to messages and back, in both directions. Decoding is strict: duplicate keys,
 * deep nesting and wrong types are errors with a code, never a guess. Unknown fields are ignored so
 * that newer peers can add them.
 */
public final class WireCodec {
  /** The protocol versions this code speaks. */
  public static final List<Integer> VERSIONS = List.of(1);

  public static final int MAX_REF_LENGTH = 64;
  private static final int MAX_NESTING = 32;

  private static final ObjectMapper MAPPER =
      new ObjectMapper(
          JsonFactory.builder()
              .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
              .streamReadConstraints(
                  StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build())
              .build());

  private WireCodec() {}

  /**
   * A decoded client message, the {@code ref} it carried, if any, and for a signal the UTF-8 text
   * of its {@code data} object exactly as the client wrote it. The server forwards that text
   * unread: it is checked as JSON under the same limits as the rest (duplicate keys, nesting,
   * UTF-8) but never built into a tree, so a decoded {@link ClientMessage.Signal} has no {@code
   * data} tree.
   */
  @SuppressWarnings("ArrayRecordComponent") // a byte range handed on, never compared
  public record Inbound(ClientMessage message, @Nullable String ref, byte @Nullable [] data) {}

  public static Inbound decodeClient(String text) {
    return decodeClient(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Decodes a client message from the UTF-8 bytes of its frame. */
  public static Inbound decodeClient(byte[] utf8) {
    JsonFields fields = parse(utf8, true);
    try {
      return new Inbound(decodeClient(fields), fields.ref(), fields.dataText());
    } catch (IllegalArgumentException e) {
      throw fields.invalid(String.valueOf(e.getMessage()));
    }
  }

  private static ClientMessage decodeClient(JsonFields fields) {
    String type = fields.string("type");
    return switch (type) {
      case "login" ->
          new ClientMessage.Login(
              fields.integer("version"),
              fields.parse("name", UserName::new),
              fields.parse("publicKey", IdentityKey::new),
              fields.parse("signature", Signature::new));
      case "offer", "answer", "candidate", "hangup" -> {
        fields.object("data"); // present and an object; its text is in Inbound.data()
        yield new ClientMessage.Signal(signalKind(type), fields.parse("to", UserName::new), null);
      }
      case "ping" -> new ClientMessage.Ping();
      default ->
          throw new ProtocolException(
              ErrorCode.UNKNOWN_TYPE, "unknown message type '" + type + "'", fields.ref());
    };
  }

  /**
   * Decodes a server message. Record invariants (say, a TURN entry with a credential but no
   * username) are reported as {@code invalid_field} like any other malformed field.
   */
  public static ServerMessage decodeServer(String text) {
    JsonFields fields = parse(text.getBytes(StandardCharsets.UTF_8), false);
    try {
      return decodeServer(fields);
    } catch (IllegalArgumentException e) {
      throw fields.invalid(String.valueOf(e.getMessage()));
    }
  }

  private static ServerMessage decodeServer(JsonFields fields) {
    String type = fields.string("type");
    return switch (type) {
      case "challenge" ->
          new ServerMessage.Challenge(
              fields.array("versions", JsonNode::asInt),
              fields.string("serverId"),
              fields.string("nonce"));
      case "welcome" ->
          new ServerMessage.Welcome(
              fields.parse("name", UserName::new),
              fields.array("online", WireCodec::onlineUser),
              fields.array("iceServers", WireCodec::iceServer),
              fields.integer("heartbeatSeconds"),
              fields.integer("maxFrameBytes"));
      case "presence" ->
          new ServerMessage.Presence(
              fields.array("joined", WireCodec::onlineUser),
              fields.array("left", node -> new UserName(node.asText())));
      case "offer", "answer", "candidate", "hangup" ->
          new ServerMessage.Signal(
              signalKind(type), fields.parse("from", UserName::new), fields.object("data"));
      case "pong" -> new ServerMessage.Pong();
      case "error" -> {
        String code = fields.string("code");
        yield new ServerMessage.Error(
            ErrorCode.fromWireName(code).orElse(ErrorCode.INTERNAL_ERROR),
            fields.string("message"),
            fields.ref());
      }
      default ->
          throw new ProtocolException(
              ErrorCode.UNKNOWN_TYPE, "unknown message type '" + type + "'");
    };
  }

  public static byte[] encode(ServerMessage message) {
    if (message instanceof ServerMessage.Welcome w) {
      WelcomeParts parts =
          welcomeParts(w.name(), w.iceServers(), w.heartbeatSeconds(), w.maxFrameBytes());
      return parts.around(encodeOnline(w.online()));
    }
    return write(
        128,
        gen -> {
          switch (message) {
            case ServerMessage.Challenge c -> {
              gen.writeStringField("type", "challenge");
              gen.writeArrayFieldStart("versions");
              for (int v : c.versions()) {
                gen.writeNumber(v);
              }
              gen.writeEndArray();
              gen.writeStringField("serverId", c.serverId());
              gen.writeStringField("nonce", c.nonce());
            }
            case ServerMessage.Welcome w -> throw new AssertionError("encoded in parts above");
            case ServerMessage.Presence p -> {
              gen.writeStringField("type", "presence");
              gen.writeArrayFieldStart("joined");
              for (OnlineUser user : p.joined()) {
                writeOnlineUser(gen, user);
              }
              gen.writeEndArray();
              gen.writeArrayFieldStart("left");
              for (UserName name : p.left()) {
                gen.writeString(name.value());
              }
              gen.writeEndArray();
            }
            case ServerMessage.Signal s -> {
              gen.writeStringField("type", s.kind().wireName());
              gen.writeStringField("from", s.from().value());
              gen.writeFieldName("data");
              gen.writeTree(s.data());
            }
            case ServerMessage.Pong p -> gen.writeStringField("type", "pong");
            case ServerMessage.Error e -> {
              gen.writeStringField("type", "error");
              gen.writeStringField("code", e.code().wireName());
              gen.writeStringField("message", e.message());
              if (e.ref() != null) {
                gen.writeStringField("ref", e.ref());
              }
            }
          }
        });
  }

  /**
   * Encodes a relayed signal whose {@code data} is already JSON text, as {@link Inbound#data()}
   * gives it: the same message as {@link #encode(ServerMessage)} of a {@link ServerMessage.Signal},
   * without building and writing the tree. The type and the name are validated ASCII that needs no
   * escaping.
   */
  public static byte[] encodeSignal(SignalKind kind, UserName from, byte[] data) {
    byte[] type = SIGNAL_TYPES[kind.ordinal()];
    String name = from.value();
    byte[] frame = new byte[type.length + name.length() + SIGNAL_DATA.length + data.length + 1];
    int at = put(frame, 0, type);
    at = putAscii(frame, at, name); // ASCII, as UserName guarantees
    at = put(frame, at, SIGNAL_DATA);
    at = put(frame, at, data);
    frame[at] = '}';
    return frame;
  }

  private static final byte[][] SIGNAL_TYPES =
      Arrays.stream(SignalKind.values())
          .map(k -> ascii("{\"type\":\"" + k.wireName() + "\",\"from\":\""))
          .toArray(byte[][]::new);
  private static final byte[] SIGNAL_DATA = ascii("\",\"data\":");

  public static String encodeToString(ServerMessage message) {
    return new String(encode(message), StandardCharsets.UTF_8);
  }

  /** Encodes a client message; {@code ref}, if given, is echoed by any error it causes. */
  public static String encode(ClientMessage message, @Nullable String ref) {
    byte[] bytes =
        write(
            128,
            gen -> {
              switch (message) {
                case ClientMessage.Login l -> {
                  gen.writeStringField("type", "login");
                  gen.writeNumberField("version", l.version());
                  gen.writeStringField("name", l.name().value());
                  gen.writeStringField("publicKey", l.publicKey().encoded());
                  gen.writeStringField("signature", l.signature().encoded());
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
                case ClientMessage.Ping p -> gen.writeStringField("type", "ping");
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

  /** Parses any JSON text; for building the opaque {@code data} of a signal. */
  public static JsonNode json(String text) {
    return json(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Parses any JSON text given as UTF-8 bytes. */
  public static JsonNode json(byte[] utf8) {
    try {
      return MAPPER.readTree(utf8);
    } catch (IOException e) {
      throw new ProtocolException(ErrorCode.BAD_JSON, "not valid JSON: " + firstLine(e));
    }
  }

  /**
   * Parses a message object field by field. With {@code dataAsText}, a {@code data} object is not
   * built into a tree: the parser reads through it (so its limits, duplicate keys, nesting and
   * UTF-8, apply to it as to the rest) and its byte span is kept; the tree holds an empty object in
   * its place.
   */
  private static JsonFields parse(byte[] utf8, boolean dataAsText) {
    ObjectNode node = MAPPER.createObjectNode();
    byte[] dataText = null;
    try (JsonParser parser = MAPPER.createParser(utf8)) {
      JsonToken first = parser.nextToken();
      if (first != JsonToken.START_OBJECT) {
        if (first != null) {
          MAPPER.readTree(parser); // report malformed JSON as such, not as "not an object"
        }
        throw new ProtocolException(ErrorCode.BAD_JSON, "a message must be a JSON object");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (dataAsText && value == JsonToken.START_OBJECT && name.equals("data")) {
          int start = (int) parser.currentTokenLocation().getByteOffset();
          parser.skipChildren();
          int end = (int) parser.currentTokenLocation().getByteOffset() + 1;
          dataText = Arrays.copyOfRange(utf8, start, end);
          node.set(name, MAPPER.createObjectNode());
          continue;
        }
        node.set(name, value(parser, value));
      }
      if (parser.nextToken() != null) {
        throw new ProtocolException(ErrorCode.BAD_JSON, "trailing data after the JSON object");
      }
    } catch (IOException e) {
      throw new ProtocolException(ErrorCode.BAD_JSON, "not valid JSON: " + firstLine(e));
    }
    JsonNode ref = node.get("ref");
    String refText = null;
    if (ref != null && ref.isTextual() && ref.textValue().length() <= MAX_REF_LENGTH) {
      refText = ref.textValue();
    }
    return new JsonFields(node, refText, dataText);
  }

  /**
   * The value at the parser's current token. Strings and small integers, which is what a message's
   * own fields are, are made directly; anything else goes through the mapper (one deserialization
   * context per call, which is what made this worth doing at relay rates).
   */
  private static JsonNode value(JsonParser parser, JsonToken token) throws IOException {
    return switch (token) {
      case VALUE_STRING -> TextNode.valueOf(parser.getText());
      case VALUE_NUMBER_INT ->
          parser.getNumberType() == JsonParser.NumberType.INT
              ? IntNode.valueOf(parser.getIntValue())
              : MAPPER.readTree(parser);
      case VALUE_NULL -> NullNode.getInstance();
      default -> {
        JsonNode child = MAPPER.readTree(parser);
        yield child == null ? NullNode.getInstance() : child;
      }
    };
  }

  private static String firstLine(IOException e) {
    String message =
        e instanceof com.fasterxml.jackson.core.JacksonException j
            ? j.getOriginalMessage()
            : e.getMessage();
    return message == null ? "unreadable" : message.lines().findFirst().orElse("unreadable");
  }

  private static SignalKind signalKind(String type) {
    return SignalKind.valueOf(type.toUpperCase(java.util.Locale.ROOT));
  }

  private static OnlineUser onlineUser(JsonNode node) {
    JsonFields fields = new JsonFields(node, null, null);
    return new OnlineUser(
        fields.parse("name", UserName::new), fields.parse("publicKey", IdentityKey::new));
  }

  private static IceServer iceServer(JsonNode node) {
    JsonFields fields = new JsonFields(node, null, null);
    JsonNode username = node.get("username");
    JsonNode credential = node.get("credential");
    return new IceServer(
        fields.array("urls", JsonNode::asText),
        username == null ? null : username.asText(),
        credential == null ? null : credential.asText());
  }

  private static void writeOnlineUser(JsonGenerator gen, OnlineUser user) throws IOException {
    gen.writeStartObject();
    gen.writeStringField("name", user.name().value());
    gen.writeStringField("publicKey", user.publicKey().encoded());
    gen.writeEndObject();
  }

  private static void writeIceServer(JsonGenerator gen, IceServer server) throws IOException {
    gen.writeStartObject();
    gen.writeArrayFieldStart("urls");
    for (String url : server.urls()) {
      gen.writeString(url);
    }
    gen.writeEndArray();
    if (server.username() != null && server.credential() != null) {
      gen.writeStringField("username", server.username());
      gen.writeStringField("credential", server.credential());
    }
    gen.writeEndObject();
  }

  /**
   * A welcome without its {@code online} array: {@code head} ends with {@code "online":} and {@code
   * tail} starts with the comma after the array, so that head, an array from {@link #encodeOnline},
   * and tail are the welcome's JSON. The array lists everyone online and is the bulk of a welcome
   * (800 KB at 10,000 online); a server encodes it once and sends the same bytes in every welcome
   * of a burst of logins.
   */
  @SuppressWarnings("ArrayRecordComponent") // bytes handed to a socket, never compared
  public record WelcomeParts(byte[] head, byte[] tail) {
    /** The whole welcome, with {@code online} (from {@link #encodeOnline}) in its place. */
    public byte[] around(byte[] online) {
      byte[] frame = Arrays.copyOf(head, head.length + online.length + tail.length);
      System.arraycopy(online, 0, frame, head.length, online.length);
      System.arraycopy(tail, 0, frame, head.length + online.length, tail.length);
      return frame;
    }
  }

  public static WelcomeParts welcomeParts(
      UserName name, List<IceServer> iceServers, int heartbeatSeconds, int maxFrameBytes) {
    byte[] head = ascii("{\"type\":\"welcome\",\"name\":\"" + name.value() + "\",\"online\":");
    byte[] tail =
        write(
            256,
            gen -> {
              gen.writeArrayFieldStart("iceServers");
              for (IceServer server : iceServers) {
                writeIceServer(gen, server);
              }
              gen.writeEndArray();
              gen.writeNumberField("heartbeatSeconds", heartbeatSeconds);
              gen.writeNumberField("maxFrameBytes", maxFrameBytes);
            });
    tail[0] = ','; // the object's opening brace becomes the comma after the online array
    return new WelcomeParts(head, tail);
  }

  /**
   * A welcome's {@code online} array: {@code [{"name":...,"publicKey":...},...]}. Written without
   * the generator, whose per-string escaping cost about 3 ms per 10,000 users: names and keys are
   * validated ASCII that never needs escaping (letters, digits, {@code .}, {@code _}, {@code -}),
   * so their characters are exactly the JSON the generator would write.
   */
  public static byte[] encodeOnline(Collection<OnlineUser> users) {
    int length = 2;
    for (OnlineUser user : users) {
      length +=
          ONLINE_USER_OVERHEAD + user.name().value().length() + user.publicKey().encoded().length();
    }
    byte[] json = new byte[length];
    json[0] = '[';
    int at = 1;
    for (OnlineUser user : users) {
      at = put(json, at, at == 1 ? ONLINE_USER_FIRST : ONLINE_USER_NEXT);
      at = putAscii(json, at, user.name().value());
      at = put(json, at, ONLINE_USER_KEY);
      at = putAscii(json, at, user.publicKey().encoded());
      at = put(json, at, ONLINE_USER_END);
    }
    json[at++] = ']';
    return at == length ? json : Arrays.copyOf(json, at);
  }

  private static int put(byte[] into, int at, byte[] bytes) {
    System.arraycopy(bytes, 0, into, at, bytes.length);
    return at + bytes.length;
  }

  private static int putAscii(byte[] into, int at, String ascii) {
    for (int i = 0; i < ascii.length(); i++) {
      into[at++] = (byte) ascii.charAt(i);
    }
    return at;
  }

  private static final byte[] ONLINE_USER_FIRST = ascii("{\"name\":\"");
  private static final byte[] ONLINE_USER_NEXT = ascii(",{\"name\":\"");
  private static final byte[] ONLINE_USER_KEY = ascii("\",\"publicKey\":\"");
  private static final byte[] ONLINE_USER_END = ascii("\"}");
  private static final int ONLINE_USER_OVERHEAD =
      ONLINE_USER_NEXT.length + ONLINE_USER_KEY.length + ONLINE_USER_END.length;

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private interface Body {
    void write(JsonGenerator gen) throws IOException;
  }

  private static byte[] write(int sizeHint, Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(sizeHint);
    try (JsonGenerator gen = MAPPER.getFactory().createGenerator(out)) {
      gen.setRootValueSeparator(new SerializedString(""));
      gen.writeStartObject();
      body.write(gen);
      gen.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write JSON to memory", e);
    }
    return out.toByteArray();
  }
}
