package dev.parley.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The frames a client sends, and how strictly the server reads them. */
class ClientCodecTest {
  private static final Identity ALICE_ID = Identity.generate();
  private static final UserName ALICE = new UserName("alice");

  @Test
  void aLoginSurvivesTheRoundTrip() {
    Signature signature = LoginProof.sign(ALICE_ID, "srv", "n", ALICE);
    var login = new ClientMessage.Login(1, ALICE, ALICE_ID.publicKey(), signature);
    ClientCodec.Inbound inbound = ClientCodec.decode(ClientCodec.encode(login, "r1"));
    assertThat(inbound.message()).isEqualTo(login);
    assertThat(inbound.ref()).isEqualTo("r1");
  }

  @Test
  void aLoginWithAnInviteCodeSurvivesTheRoundTripAndOneWithoutHasNone() {
    Signature signature = LoginProof.sign(ALICE_ID, "srv", "n", ALICE);
    var invited =
        new ClientMessage.Login(
            1, ALICE, ALICE_ID.publicKey(), signature, new InviteCode("7K2M-QX9D-R4TB-WN8H"));
    assertThat(ClientCodec.decode(ClientCodec.encode(invited)).message()).isEqualTo(invited);

    String plain =
        ClientCodec.encode(new ClientMessage.Login(1, ALICE, ALICE_ID.publicKey(), signature));
    assertThat(plain).doesNotContain("invite");
    assertThat(((ClientMessage.Login) ClientCodec.decode(plain).message()).invite()).isNull();
  }

  @Test
  void anInviteCodeIsAStringOfAtMost64PrintableCharacters() {
    Signature signature = LoginProof.sign(ALICE_ID, "srv", "n", ALICE);
    String login =
        "{\"type\":\"login\",\"version\":1,\"name\":\"alice\",\"publicKey\":\""
            + ALICE_ID.publicKey().encoded()
            + "\",\"signature\":\""
            + signature.encoded()
            + "\",\"ref\":\"l\",\"invite\":";
    assertThat(((ClientMessage.Login) ClientCodec.decode(login + "null}").message()).invite())
        .isNull();
    assertThat(ClientCodec.decode(login + "\"" + "A".repeat(64) + "\"}").message())
        .isInstanceOf(ClientMessage.Login.class);
    for (String bad :
        List.of("7", "\"\"", "\"" + "A".repeat(65) + "\"", "\"a\\u0000b\"", "\"\u00e9\"")) {
      assertThatThrownBy(() -> ClientCodec.decode(login + bad + "}"))
          .as(bad)
          .isInstanceOfSatisfying(
              ProtocolException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FIELD);
                assertThat(e.ref()).contains("l");
              });
    }
  }

  @Test
  void anInviteCodeStaysOutOfLogs() {
    assertThat(new InviteCode("7K2M-QX9D-R4TB-WN8H").toString()).doesNotContain("7K2M");
  }

  @Test
  void aSignalsDataIsCheckedThoughNotParsedIntoATree() {
    assertCode(
        () -> ClientCodec.decode("{\"type\":\"offer\",\"to\":\"bob\",\"data\":{\"a\":1,\"a\":2}}"),
        ErrorCode.BAD_JSON);
    assertCode(
        () -> ClientCodec.decode("{\"type\":\"offer\",\"to\":\"bob\",\"data\":{\"a\":[1,}}"),
        ErrorCode.BAD_JSON);
    assertCode(
        () ->
            ClientCodec.decode(
                "{\"type\":\"offer\",\"to\":\"bob\",\"data\":"
                    + "{\"a\":".repeat(40)
                    + "1"
                    + "}".repeat(41)),
        ErrorCode.BAD_JSON);
    byte[] badUtf8 =
        "{\"type\":\"offer\",\"to\":\"bob\",\"data\":{\"s\":\"\u00e9\"}}".getBytes(UTF_8);
    badUtf8[badUtf8.length - 4] =
        (byte) 0x41; // the second byte of \u00e9: no longer a continuation
    assertCode(() -> ClientCodec.decode(badUtf8), ErrorCode.BAD_JSON);
    assertCode(
        () -> ClientCodec.decode("{\"type\":\"offer\",\"to\":\"bob\",\"data\":[1]}"),
        ErrorCode.INVALID_FIELD);
    assertCode(
        () -> ClientCodec.decode("{\"type\":\"offer\",\"to\":\"bob\"}"), ErrorCode.INVALID_FIELD);
  }

  @Test
  void onlyASignalsDataObjectIsKeptAsText() {
    assertThat(ClientCodec.decode("{\"type\":\"ping\",\"data\":[1]}").data()).isNull();
    assertThat(ClientCodec.decode("{\"type\":\"ping\"}").data()).isNull();
  }

  @Test
  void aSignalTheServerDecodedCannotBeEncodedAgain() {
    var decoded =
        (ClientMessage.Signal)
            ClientCodec.decode("{\"type\":\"offer\",\"to\":\"bob\",\"data\":{}}").message();
    assertThatThrownBy(() -> ClientCodec.encode(decoded))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void malformedJsonIsBadJson() {
    assertCode(() -> ClientCodec.decode("{\"type\":"), ErrorCode.BAD_JSON);
    assertCode(() -> ClientCodec.decode("[1,2]"), ErrorCode.BAD_JSON);
    assertCode(() -> ClientCodec.decode(""), ErrorCode.BAD_JSON);
    assertCode(() -> ClientCodec.decode("{\"type\":\"ping\"} {}"), ErrorCode.BAD_JSON);
    assertCode(
        () -> ClientCodec.decode("{\"type\":\"ping\",\"type\":\"login\"}"), ErrorCode.BAD_JSON);
  }

  @Test
  void deeplyNestedJsonIsRefusedBeforeItCostsAnything() {
    String deep = "{\"type\":\"offer\",\"to\":\"bob\",\"data\":" + "[".repeat(5000);
    assertCode(() -> ClientCodec.decode(deep), ErrorCode.BAD_JSON);
  }

  @Test
  void anUnknownTypeIsNamedInTheError() {
    assertThatThrownBy(() -> ClientCodec.decode("{\"type\":\"teleport\",\"ref\":\"9\"}"))
        .isInstanceOfSatisfying(
            ProtocolException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_TYPE);
              assertThat(e.getMessage()).contains("teleport");
              assertThat(e.ref()).contains("9");
            });
  }

  @Test
  void aTypeOnlyTheServerSendsIsUnknownFromAClient() {
    assertCode(() -> ClientCodec.decode("{\"type\":\"welcome\"}"), ErrorCode.UNKNOWN_TYPE);
    assertCode(() -> ServerCodec.decode("{\"type\":\"login\"}"), ErrorCode.UNKNOWN_TYPE);
    assertCode(
        () -> ServerCodec.decode("{\"type\":\"watch\",\"names\":[]}"), ErrorCode.UNKNOWN_TYPE);
  }

  @Test
  void missingOrWronglyTypedFieldsAreInvalidFields() {
    assertCode(() -> ClientCodec.decode("{}"), ErrorCode.INVALID_FIELD);
    assertCode(() -> ClientCodec.decode("{\"type\":7}"), ErrorCode.INVALID_FIELD);
    assertCode(
        () -> ClientCodec.decode("{\"type\":\"offer\",\"data\":{}}"), ErrorCode.INVALID_FIELD);
    assertCode(
        () -> ClientCodec.decode("{\"type\":\"offer\",\"to\":\"bob\",\"data\":\"sdp\"}"),
        ErrorCode.INVALID_FIELD);
    assertCode(
        () ->
            ClientCodec.decode(
                "{\"type\":\"login\",\"version\":\"1\",\"name\":\"a\",\"publicKey\":\"x\",\"signature\":\"y\"}"),
        ErrorCode.INVALID_FIELD);
    assertCode(
        () ->
            ClientCodec.decode(
                "{\"type\":\"login\",\"version\":1,\"name\":\"a\",\"publicKey\":\"AAAA\",\"signature\":\"y\"}"),
        ErrorCode.INVALID_FIELD);
  }

  @Test
  void aMalformedNameIsAnInvalidName() {
    assertCode(
        () -> ClientCodec.decode("{\"type\":\"offer\",\"to\":\"b o b\",\"data\":{}}"),
        ErrorCode.INVALID_NAME);
  }

  @Test
  void watchAndUnwatchSurviveTheRoundTripWithTheirSpellingAndRepeats() {
    var names = List.of(new UserName("Bob"), new UserName("carol"), new UserName("bob"));
    for (ClientMessage message :
        List.of(new ClientMessage.Watch(names), new ClientMessage.Unwatch(names))) {
      ClientCodec.Inbound inbound = ClientCodec.decode(ClientCodec.encode(message, "w1"));
      assertThat(inbound.message()).isEqualTo(message);
      assertThat(inbound.ref()).isEqualTo("w1");
    }
    assertThat(ClientCodec.encode(new ClientMessage.Watch(List.of(ALICE))))
        .isEqualTo("{\"type\":\"watch\",\"names\":[\"alice\"]}");
    assertThat(ClientCodec.decode("{\"type\":\"unwatch\",\"names\":[]}").message())
        .isEqualTo(new ClientMessage.Unwatch(List.of()));
  }

  @Test
  void aWatchNeedsAListOfWellFormedNames() {
    assertCode(() -> ClientCodec.decode("{\"type\":\"watch\"}"), ErrorCode.INVALID_FIELD);
    assertCode(
        () -> ClientCodec.decode("{\"type\":\"watch\",\"names\":\"bob\"}"),
        ErrorCode.INVALID_FIELD);
    assertCode(
        () -> ClientCodec.decode("{\"type\":\"watch\",\"names\":null}"), ErrorCode.INVALID_FIELD);
    assertCode(
        () -> ClientCodec.decode("{\"type\":\"unwatch\",\"names\":[\"bob\",7]}"),
        ErrorCode.INVALID_FIELD);
    assertCode(
        () -> ClientCodec.decode("{\"type\":\"watch\",\"names\":[[\"bob\"]]}"),
        ErrorCode.INVALID_FIELD);
    assertCode(
        () -> ClientCodec.decode("{\"type\":\"watch\",\"names\":[\"bob\",\"b o b\"]}"),
        ErrorCode.INVALID_NAME);
    assertCode(
        () -> ClientCodec.decode("{\"type\":\"watch\",\"names\":[\"\"]}"), ErrorCode.INVALID_NAME);
  }

  @Test
  void aWatchOrUnwatchOfMoreThanAHundredNamesIsRefusedWithItsRef() {
    String hundred = names(ClientMessage.Watch.MAX_NAMES);
    assertThat(ClientCodec.decode("{\"type\":\"watch\",\"names\":" + hundred + "}").message())
        .isInstanceOfSatisfying(ClientMessage.Watch.class, w -> assertThat(w.names()).hasSize(100));

    String tooMany = names(ClientMessage.Watch.MAX_NAMES + 1);
    for (String type : List.of("watch", "unwatch")) {
      String text = "{\"type\":\"" + type + "\",\"names\":" + tooMany + ",\"ref\":\"big\"}";
      assertThatThrownBy(() -> ClientCodec.decode(text))
          .isInstanceOfSatisfying(
              ProtocolException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.WATCH_LIMIT);
                assertThat(e.getMessage()).contains("at most 100", "not 101");
                assertThat(e.ref()).contains("big");
              });
    }
    // Repeats count: the limit bounds the work of one frame, whatever the list says.
    String repeated =
        IntStream.range(0, 101).mapToObj(i -> "\"bob\"").collect(Collectors.joining(",", "[", "]"));
    assertCode(
        () -> ClientCodec.decode("{\"type\":\"watch\",\"names\":" + repeated + "}"),
        ErrorCode.WATCH_LIMIT);
  }

  @Test
  void aWatchOfTooManyNamesCannotBeMadeEither() {
    List<UserName> names = IntStream.range(0, 101).mapToObj(i -> new UserName("u" + i)).toList();
    assertCode(() -> new ClientMessage.Watch(names), ErrorCode.WATCH_LIMIT);
    assertCode(() -> new ClientMessage.Unwatch(names), ErrorCode.WATCH_LIMIT);
  }

  private static String names(int count) {
    return IntStream.range(0, count)
        .mapToObj(i -> "\"user-" + i + "-" + "x".repeat(20) + "\"")
        .collect(Collectors.joining(",", "[", "]"));
  }

  @Test
  void anOverlongRefIsNotEchoed() {
    String ref = "r".repeat(ClientCodec.MAX_REF_LENGTH + 1);
    assertThatThrownBy(() -> ClientCodec.decode("{\"type\":\"nope\",\"ref\":\"" + ref + "\"}"))
        .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.ref()).isEmpty());
  }

  private static void assertCode(ThrowingCallable call, ErrorCode code) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(code));
  }
}
