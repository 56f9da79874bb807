package dev.parley.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class WireCodecTest {
  private static final Identity ALICE_ID = Identity.generate();
  private static final UserName ALICE = new UserName("alice");
  private static final UserName BOB = new UserName("bob");

  @Test
  void aLoginSurvivesTheRoundTrip() {
    Signature signature = LoginProof.sign(ALICE_ID, "srv", "n", ALICE);
    var login = new ClientMessage.Login(1, ALICE, ALICE_ID.publicKey(), signature);
    WireCodec.Inbound inbound = WireCodec.decodeClient(WireCodec.encode(login, "r1"));
    assertThat(inbound.message()).isEqualTo(login);
    assertThat(inbound.ref()).isEqualTo("r1");
  }

  @Test
  void aSignalKeepsItsOpaqueDataIntact() {
    var data = WireCodec.json("{\"sdp\":\"v=0\\r\\n\",\"sig\":\"x\",\"nested\":{\"a\":[1,2]}}");
    var offer = new ClientMessage.Signal(SignalKind.OFFER, BOB, data);
    WireCodec.Inbound inbound = WireCodec.decodeClient(WireCodec.encode(offer));
    assertThat(inbound.message()).isEqualTo(new ClientMessage.Signal(SignalKind.OFFER, BOB, null));
    assertThat(WireCodec.json(utf8(inbound.data()))).isEqualTo(data);

    var relayed = new ServerMessage.Signal(SignalKind.OFFER, ALICE, data);
    byte[] forwarded = WireCodec.encodeSignal(SignalKind.OFFER, ALICE, inbound.data());
    assertThat(WireCodec.decodeServer(utf8(forwarded))).isEqualTo(relayed);
    assertThat(WireCodec.decodeServer(WireCodec.encodeToString(relayed))).isEqualTo(relayed);
  }

  @Test
  void aSignalsDataIsForwardedAsTheClientWroteIt() {
    String data =
        "{ \"sdp\" : \"v=0\\r\\n\", \"n\":{\"a\":[1, 2.50]}, \"u\":\"\u00e9\\u00e9\u20ac\"}";
    String text = "{\"type\":\"offer\",\"to\":\"bob\",\"data\":" + data + ",\"ref\":\"7\"}";
    WireCodec.Inbound inbound = WireCodec.decodeClient(text);
    assertThat(utf8(inbound.data())).isEqualTo(data);
    assertThat(inbound.ref()).isEqualTo("7");

    byte[] forwarded = WireCodec.encodeSignal(SignalKind.OFFER, ALICE, inbound.data());
    assertThat(utf8(forwarded))
        .isEqualTo("{\"type\":\"offer\",\"from\":\"alice\",\"data\":" + data + "}");
  }

  @Test
  void aSignalsDataIsCheckedThoughNotParsedIntoATree() {
    assertCode(
        () ->
            WireCodec.decodeClient(
                "{\"type\":\"offer\",\"to\":\"bob\",\"data\":{\"a\":1,\"a\":2}}"),
        ErrorCode.BAD_JSON);
    assertCode(
        () -> WireCodec.decodeClient("{\"type\":\"offer\",\"to\":\"bob\",\"data\":{\"a\":[1,}}"),
        ErrorCode.BAD_JSON);
    assertCode(
        () ->
            WireCodec.decodeClient(
                "{\"type\":\"offer\",\"to\":\"bob\",\"data\":"
                    + "{\"a\":".repeat(40)
                    + "1"
                    + "}".repeat(41)),
        ErrorCode.BAD_JSON);
    byte[] badUtf8 =
        "{\"type\":\"offer\",\"to\":\"bob\",\"data\":{\"s\":\"\u00e9\"}}".getBytes(UTF_8);
    badUtf8[badUtf8.length - 4] =
        (byte) 0x41; // the second byte of \u00e9: no longer a continuation
    assertCode(() -> WireCodec.decodeClient(badUtf8), ErrorCode.BAD_JSON);
    assertCode(
        () -> WireCodec.decodeClient("{\"type\":\"offer\",\"to\":\"bob\",\"data\":[1]}"),
        ErrorCode.INVALID_FIELD);
    assertCode(
        () -> WireCodec.decodeClient("{\"type\":\"offer\",\"to\":\"bob\"}"),
        ErrorCode.INVALID_FIELD);
  }

  @Test
  void onlyASignalsDataObjectIsKeptAsText() {
    assertThat(WireCodec.decodeClient("{\"type\":\"ping\",\"data\":[1]}").data()).isNull();
    assertThat(WireCodec.decodeClient("{\"type\":\"ping\"}").data()).isNull();
  }

  @Test
  void aSignalTheServerDecodedCannotBeEncodedAgain() {
    var decoded =
        (ClientMessage.Signal)
            WireCodec.decodeClient("{\"type\":\"offer\",\"to\":\"bob\",\"data\":{}}").message();
    assertThatThrownBy(() -> WireCodec.encode(decoded))
        .isInstanceOf(IllegalArgumentException.class);
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
            new ServerMessage.Presence(List.of(alice), List.of(BOB)),
            new ServerMessage.Pong(),
            new ServerMessage.Error(ErrorCode.USER_OFFLINE, "bob is not online", "7"),
            new ServerMessage.Error(ErrorCode.BAD_JSON, "nope", null));
    for (ServerMessage message : messages) {
      assertThat(WireCodec.decodeServer(WireCodec.encodeToString(message))).isEqualTo(message);
    }
  }

  @Test
  void aWelcomeIsItsPartsAroundAnOnlineArrayEncodedOnceForMany() {
    var bob = new OnlineUser(BOB, Identity.generate().publicKey());
    byte[] online = WireCodec.encodeOnline(List.of(bob));
    var ice = List.of(new IceServer(List.of("turn:127.0.0.1:3478"), "9:alice", "a\"quote\\"));
    WireCodec.WelcomeParts parts = WireCodec.welcomeParts(ALICE, ice, 15, 65536);

    var welcome = new ServerMessage.Welcome(ALICE, List.of(bob), ice, 15, 65536);
    assertThat(parts.around(online)).isEqualTo(WireCodec.encode(welcome));
    assertThat(WireCodec.decodeServer(new String(parts.around(online), UTF_8))).isEqualTo(welcome);
    assertThat(WireCodec.encodeOnline(List.of())).isEqualTo("[]".getBytes(UTF_8));
  }

  @Test
  void aWelcomeListsItsOnlineUsersAsTheGeneratorWould() {
    var alice = new OnlineUser(ALICE, ALICE_ID.publicKey());
    var bob = new OnlineUser(new UserName("Bob.b-2_x"), Identity.generate().publicKey());
    for (List<OnlineUser> online :
        List.of(List.<OnlineUser>of(), List.of(alice), List.of(alice, bob))) {
      var welcome = new ServerMessage.Welcome(ALICE, online, List.of(), 15, 65536);
      String text = WireCodec.encodeToString(welcome);
      assertThat(WireCodec.decodeServer(text)).isEqualTo(welcome);
      assertThat(WireCodec.json(text).get("online"))
          .isEqualTo(
              WireCodec.json(
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

  @Test
  void malformedJsonIsBadJson() {
    assertCode(() -> WireCodec.decodeClient("{\"type\":"), ErrorCode.BAD_JSON);
    assertCode(() -> WireCodec.decodeClient("[1,2]"), ErrorCode.BAD_JSON);
    assertCode(() -> WireCodec.decodeClient(""), ErrorCode.BAD_JSON);
    assertCode(() -> WireCodec.decodeClient("{\"type\":\"ping\"} {}"), ErrorCode.BAD_JSON);
    assertCode(
        () -> WireCodec.decodeClient("{\"type\":\"ping\",\"type\":\"login\"}"), ErrorCode.BAD_JSON);
  }

  @Test
  void deeplyNestedJsonIsRefusedBeforeItCostsAnything() {
    String deep = "{\"type\":\"offer\",\"to\":\"bob\",\"data\":" + "[".repeat(5000);
    assertCode(() -> WireCodec.decodeClient(deep), ErrorCode.BAD_JSON);
  }

  @Test
  void anUnknownTypeIsNamedInTheError() {
    assertThatThrownBy(() -> WireCodec.decodeClient("{\"type\":\"teleport\",\"ref\":\"9\"}"))
        .isInstanceOfSatisfying(
            ProtocolException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_TYPE);
              assertThat(e.getMessage()).contains("teleport");
              assertThat(e.ref()).contains("9");
            });
  }

  @Test
  void missingOrWronglyTypedFieldsAreInvalidFields() {
    assertCode(() -> WireCodec.decodeClient("{}"), ErrorCode.INVALID_FIELD);
    assertCode(() -> WireCodec.decodeClient("{\"type\":7}"), ErrorCode.INVALID_FIELD);
    assertCode(
        () -> WireCodec.decodeClient("{\"type\":\"offer\",\"data\":{}}"), ErrorCode.INVALID_FIELD);
    assertCode(
        () -> WireCodec.decodeClient("{\"type\":\"offer\",\"to\":\"bob\",\"data\":\"sdp\"}"),
        ErrorCode.INVALID_FIELD);
    assertCode(
        () ->
            WireCodec.decodeClient(
                "{\"type\":\"login\",\"version\":\"1\",\"name\":\"a\",\"publicKey\":\"x\",\"signature\":\"y\"}"),
        ErrorCode.INVALID_FIELD);
    assertCode(
        () ->
            WireCodec.decodeClient(
                "{\"type\":\"login\",\"version\":1,\"name\":\"a\",\"publicKey\":\"AAAA\",\"signature\":\"y\"}"),
        ErrorCode.INVALID_FIELD);
  }

  @Test
  void aMalformedNameIsAnInvalidName() {
    assertCode(
        () -> WireCodec.decodeClient("{\"type\":\"offer\",\"to\":\"b o b\",\"data\":{}}"),
        ErrorCode.INVALID_NAME);
  }

  @Test
  void anOverlongRefIsNotEchoed() {
    String ref = "r".repeat(WireCodec.MAX_REF_LENGTH + 1);
    assertThatThrownBy(() -> WireCodec.decodeClient("{\"type\":\"nope\",\"ref\":\"" + ref + "\"}"))
        .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.ref()).isEmpty());
  }

  private static void assertCode(ThrowingCallable call, ErrorCode code) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(code));
  }
}
