package dev.parley.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The frames the server sends a client: the server encodes them, clients decode them. Three of them
 * are written without a JSON generator, from bytes laid out once, because the server sends them at
 * rates where the generator showed (docs/benchmarks.md): a relayed signal ({@link #encodeSignal})
 * and a welcome's list of everyone online ({@link #encodeOnline}) with the parts around it ({@link
 * #welcomeParts}).
 */
public final class ServerCodec {
  private ServerCodec() {}

  public static byte[] encode(ServerMessage message) {
    if (message instanceof ServerMessage.Welcome w) {
      WelcomeParts parts =
          welcomeParts(
              w.name(), w.iceServers(), w.heartbeatSeconds(), w.maxFrameBytes(), w.presence());
      return parts.around(encodeOnline(w.online()));
    }
    return Json.object(
        128,
        gen -> {
          switch (message) {
            case ServerMessage.Challenge c -> {
              gen.writeStringField("type", MessageType.CHALLENGE.wireName());
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
              gen.writeStringField("type", MessageType.PRESENCE.wireName());
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
            case ServerMessage.Pong p -> gen.writeStringField("type", MessageType.PONG.wireName());
            case ServerMessage.Error e -> {
              gen.writeStringField("type", MessageType.ERROR.wireName());
              gen.writeStringField("code", e.code().wireName());
              gen.writeStringField("message", e.message());
              if (e.ref() != null) {
                gen.writeStringField("ref", e.ref());
              }
            }
          }
        });
  }

  public static String encodeToString(ServerMessage message) {
    return new String(encode(message), StandardCharsets.UTF_8);
  }

  /**
   * Decodes a server message. Record invariants (say, a TURN entry with a credential but no
   * username) are reported as {@code invalid_field} like any other malformed field.
   */
  public static ServerMessage decode(String text) {
    JsonFields fields = Json.fields(text.getBytes(StandardCharsets.UTF_8), false);
    try {
      return message(fields);
    } catch (IllegalArgumentException e) {
      throw JsonFields.invalid(String.valueOf(e.getMessage()));
    }
  }

  private static ServerMessage message(JsonFields fields) {
    String name = fields.string("type");
    MessageType type = MessageType.of(name);
    if (type == null) {
      throw MessageType.unknown(name);
    }
    return switch (type) {
      case CHALLENGE ->
          new ServerMessage.Challenge(
              fields.array("versions", JsonNode::asInt),
              fields.string("serverId"),
              fields.string("nonce"));
      case WELCOME ->
          new ServerMessage.Welcome(
              fields.parse("name", UserName::new),
              fields.array("online", ServerCodec::onlineUser),
              fields.array("iceServers", ServerCodec::iceServer),
              fields.integer("heartbeatSeconds"),
              fields.integer("maxFrameBytes"),
              presenceMode(fields));
      case PRESENCE ->
          new ServerMessage.Presence(
              fields.array("joined", ServerCodec::onlineUser),
              fields.array("left", node -> new UserName(node.asText())));
      case OFFER, ANSWER, CANDIDATE, HANGUP ->
          new ServerMessage.Signal(
              SignalKind.of(type), fields.parse("from", UserName::new), fields.object("data"));
      case PONG -> new ServerMessage.Pong();
      case ERROR ->
          new ServerMessage.Error(
              ErrorCode.fromWireName(fields.string("code")).orElse(ErrorCode.INTERNAL_ERROR),
              fields.string("message"),
              fields.ref());
      case LOGIN, PING, WATCH, UNWATCH -> throw MessageType.unknown(name);
    };
  }

  /** A welcome's mode; a server from before the field ran everyone mode, the only one then. */
  private static PresenceMode presenceMode(JsonFields fields) {
    JsonNode mode = fields.node().get("presence");
    if (mode == null) {
      return PresenceMode.EVERYONE;
    }
    String name = fields.string("presence");
    return PresenceMode.fromWireName(name)
        .orElseThrow(() -> JsonFields.invalid("unknown presence mode '" + name + "'"));
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
   * Encodes a relayed signal whose {@code data} is already JSON text, as {@link
   * ClientCodec.Inbound#data()} gives it: the same message as {@link #encode(ServerMessage)} of a
   * {@link ServerMessage.Signal}, without building and writing the tree. The type and the name are
   * validated ASCII that needs no escaping.
   */
  public static byte[] encodeSignal(SignalKind kind, UserName from, byte[] data) {
    byte[] type = SIGNAL_FROM.get(kind);
    String name = from.value();
    byte[] frame = new byte[type.length + name.length() + SIGNAL_DATA.length + data.length + 1];
    int at = put(frame, 0, type);
    at = putAscii(frame, at, name); // ASCII, as UserName guarantees
    at = put(frame, at, SIGNAL_DATA);
    at = put(frame, at, data);
    frame[at] = '}';
    return frame;
  }

  private static final Map<SignalKind, byte[]> SIGNAL_FROM = new EnumMap<>(SignalKind.class);

  static {
    for (SignalKind kind : SignalKind.values()) {
      SIGNAL_FROM.put(kind, ascii("{\"type\":\"" + kind.wireName() + "\",\"from\":\""));
    }
  }

  private static final byte[] SIGNAL_DATA = ascii("\",\"data\":");

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
      UserName name,
      List<IceServer> iceServers,
      int heartbeatSeconds,
      int maxFrameBytes,
      PresenceMode presence) {
    byte[] head = ascii(WELCOME_NAME + name.value() + "\",\"online\":");
    byte[] tail =
        Json.object(
            256,
            gen -> {
              gen.writeArrayFieldStart("iceServers");
              for (IceServer server : iceServers) {
                writeIceServer(gen, server);
              }
              gen.writeEndArray();
              gen.writeNumberField("heartbeatSeconds", heartbeatSeconds);
              gen.writeNumberField("maxFrameBytes", maxFrameBytes);
              gen.writeStringField("presence", presence.wireName());
            });
    tail[0] = ','; // the object's opening brace becomes the comma after the online array
    return new WelcomeParts(head, tail);
  }

  private static final String WELCOME_NAME =
      "{\"type\":\"" + MessageType.WELCOME.wireName() + "\",\"name\":\"";

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

  private static final byte[] ONLINE_USER_FIRST = ascii("{\"name\":\"");
  private static final byte[] ONLINE_USER_NEXT = ascii(",{\"name\":\"");
  private static final byte[] ONLINE_USER_KEY = ascii("\",\"publicKey\":\"");
  private static final byte[] ONLINE_USER_END = ascii("\"}");
  private static final int ONLINE_USER_OVERHEAD =
      ONLINE_USER_NEXT.length + ONLINE_USER_KEY.length + ONLINE_USER_END.length;

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

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
