package dev.parley.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The server's frames, the relay and the welcome's fast paths among them. */
class ServerCodecTest {
  private static final Identity ALICE_ID = Identity.generate();
  private static final UserName ALICE = new UserName("alice");
  private static final UserName BOB = new UserName("bob");

  @Test
  void aSignalKeepsItsOpaqueDataIntact() {
    var data = Json.parse("{\"sdp\":\"v=0\\r\\n\",\"sig\":\"x\",\"nested\":{\"a\":[1,2]}}");
    var offer = new ClientMessage.Signal(SignalKind.OFFER, BOB, data);
    ClientCodec.Inbound inbound = ClientCodec.decode(ClientCodec.encode(offer));
    assertThat(inbound.message()).isEqualTo(new ClientMessage.Signal(SignalKind.OFFER, BOB, null));
    assertThat(Json.parse(utf8(inbound.data()))).isEqualTo(data);

    var relayed = new ServerMessage.Signal(SignalKind.OFFER, ALICE, data);
    byte[] forwarded = ServerCodec.encodeSignal(SignalKind.OFFER, ALICE, inbound.data());
    assertThat(ServerCodec.decode(utf8(forwarded))).isEqualTo(relayed);
    assertThat(ServerCodec.decode(ServerCodec.encodeToString(relayed))).isEqualTo(relayed);
  }

  @Test
  void aSignalsDataIsForwardedAsTheClientWroteIt() {
    String data =
        "{ \"sdp\" : \"v=0\\r\\n\", \"n\":{\"a\":[1, 2.50]}, \"u\":\"\u00e9\\u00e9\u20ac\"}";
    String text = "{\"type\":\"offer\",\"to\":\"bob\",\"data\":" + data + ",\"ref\":\"7\"}";
    ClientCodec.Inbound inbound = ClientCodec.decode(text);
    assertThat(utf8(inbound.data())).isEqualTo(data);
    assertThat(inbound.ref()).isEqualTo("7");

    byte[] forwarded = ServerCodec.encodeSignal(SignalKind.OFFER, ALICE, inbound.data());
    assertThat(utf8(forwarded))
        .isEqualTo("{\"type\":\"offer\",\"from\":\"alice\",\"data\":" + data + "}");
  }

  private static String utf8(byte @Nullable [] bytes) {
    return new String(java.util.Objects.requireNonNull(bytes), UTF_8);
  }

  @Test
  void everyServerMessageSurvivesTheRoundTrip() {
    var alice = new OnlineUser(ALICE, ALICE_ID.publicKey());
    List<ServerMessage> messages =
        List.of(
            new ServerMessage.Challenge(List.of(1), "srv", "nonce"),
            new ServerMessage.Welcome(
                ALICE,
                List.of(alice),
                List.of(
                    IceServer.withoutCredentials(List.of("stun:127.0.0.1:3478")),
                    new IceServer(List.of("turn:127.0.0.1:3478"), "123:alice", "secret")),
                15,
                65536),
            new ServerMessage.Welcome(
                ALICE, List.of(), List.of(), 15, 65536, PresenceMode.CONTACTS),
            new ServerMessage.Presence(List.of(alice), List.of(BOB)),
            new ServerMessage.Pong(),
            new ServerMessage.Error(ErrorCode.USER_OFFLINE, "bob is not online", "7"),
            new ServerMessage.Error(ErrorCode.BAD_JSON, "nope", null));
    for (ServerMessage message : messages) {
      assertThat(ServerCodec.decode(ServerCodec.encodeToString(message))).isEqualTo(message);
    }
  }

  @Test
  void aWelcomeIsItsPartsAroundAnOnlineArrayEncodedOnceForMany() {
    var bob = new OnlineUser(BOB, Identity.generate().publicKey());
    byte[] online = ServerCodec.encodeOnline(List.of(bob));
    var ice = List.of(new IceServer(List.of("turn:127.0.0.1:3478"), "9:alice", "a\"quote\\"));
    ServerCodec.WelcomeParts parts =
        ServerCodec.welcomeParts(ALICE, ice, 15, 65536, PresenceMode.EVERYONE);

    var welcome = new ServerMessage.Welcome(ALICE, List.of(bob), ice, 15, 65536);
    assertThat(parts.around(online)).isEqualTo(ServerCodec.encode(welcome));
    assertThat(ServerCodec.decode(new String(parts.around(online), UTF_8))).isEqualTo(welcome);
    assertThat(ServerCodec.encodeOnline(List.of())).isEqualTo("[]".getBytes(UTF_8));
  }

  @Test
  void aWelcomeSaysWhichPresenceModeTheServerRuns() {
    for (PresenceMode mode : PresenceMode.values()) {
      var welcome = new ServerMessage.Welcome(ALICE, List.of(), List.of(), 15, 65536, mode);
      ServerCodec.WelcomeParts parts = ServerCodec.welcomeParts(ALICE, List.of(), 15, 65536, mode);
      byte[] encoded = parts.around(ServerCodec.encodeOnline(List.of()));

      assertThat(encoded).isEqualTo(ServerCodec.encode(welcome));
      assertThat(Json.parse(encoded).get("presence").textValue()).isEqualTo(mode.wireName());
      assertThat(ServerCodec.decode(new String(encoded, UTF_8))).isEqualTo(welcome);
    }
  }

  @Test
  void aWelcomeWithoutAModeIsFromAServerThatKnewOnlyEveryoneMode() {
    String older =
        "{\"type\":\"welcome\",\"name\":\"alice\",\"online\":[],\"iceServers\":[],"
            + "\"heartbeatSeconds\":15,\"maxFrameBytes\":65536}";
    assertThat(((ServerMessage.Welcome) ServerCodec.decode(older)).presence())
        .isEqualTo(PresenceMode.EVERYONE);
  }

  @Test
  void aWelcomeWithAnUnknownModeOrAListInContactsModeIsMalformed() {
    String head = "{\"type\":\"welcome\",\"name\":\"alice\",\"iceServers\":[],";
    String tail = "\"heartbeatSeconds\":15,\"maxFrameBytes\":65536,";
    String bob = "{\"name\":\"bob\",\"publicKey\":\"" + ALICE_ID.publicKey().encoded() + "\"}";
    for (String text :
        List.of(
            head + "\"online\":[]," + tail + "\"presence\":\"friends\"}",
            head + "\"online\":[]," + tail + "\"presence\":1}",
            head + "\"online\":[" + bob + "]," + tail + "\"presence\":\"contacts\"}")) {
      assertThatThrownBy(() -> ServerCodec.decode(text))
          .as(text)
          .isInstanceOfSatisfying(
              ProtocolException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FIELD));
    }
    assertThat(
            ServerCodec.decode(
                head + "\"online\":[" + bob + "]," + tail + "\"presence\":\"everyone\"}"))
        .isInstanceOf(ServerMessage.Welcome.class);
  }

  @Test
  void aWelcomeListsItsOnlineUsersAsTheGeneratorWould() {
    var alice = new OnlineUser(ALICE, ALICE_ID.publicKey());
    var bob = new OnlineUser(new UserName("Bob.b-2_x"), Identity.generate().publicKey());
    for (List<OnlineUser> online :
        List.of(List.<OnlineUser>of(), List.of(alice), List.of(alice, bob))) {
      var welcome = new ServerMessage.Welcome(ALICE, online, List.of(), 15, 65536);
      String text = ServerCodec.encodeToString(welcome);
      assertThat(ServerCodec.decode(text)).isEqualTo(welcome);
      assertThat(Json.parse(text).get("online"))
          .isEqualTo(
              Json.parse(
                  online.stream()
                      .map(
                          u ->
                              "{\"name\":\""
                                  + u.name().value()
                                  + "\",\"publicKey\":\""
                                  + u.publicKey().encoded()
                                  + "\"}")
                      .collect(java.util.stream.Collectors.joining(",", "[", "]"))));
    }
  }
}
