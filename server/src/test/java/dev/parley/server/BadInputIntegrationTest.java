package dev.parley.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ClientMessage;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerMessage;
import dev.parley.server.session.SessionLimits;
import dev.parley.testkit.RawWebSocket;
import dev.parley.testkit.TestClient;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every kind of bad input gets an error with its code, affects only its sender, and leaves everyone
 * else served: after each case, a bystander still gets answers.
 */
@Timeout(60)
class BadInputIntegrationTest {
  private static final int MAX_FRAME = 8 * 1024;

  @TempDir Path data;
  private TestServer server;
  private TestClient bystander;

  @BeforeEach
  void start() {
    server =
        TestServer.start(
            data,
            config ->
                config
                    .withLimits(
                        new SessionLimits(
                            MAX_FRAME,
                            20,
                            40,
                            Duration.ofSeconds(10),
                            Duration.ofSeconds(15),
                            Duration.ofSeconds(45)))
                    .withMaxConnectionsPerAddress(6));
    bystander = server.login("bystander");
  }

  @AfterEach
  void stop() {
    bystanderIsStillServed();
    bystander.close();
    server.close();
  }

  private void bystanderIsStillServed() {
    bystander.send(new ClientMessage.Ping());
    bystander.await(ServerMessage.Pong.class);
    assertThat(bystander.isClosed()).isFalse();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"type\":                                         | bad_json",
        "not json at all                                    | bad_json",
        "[1,2,3]                                            | bad_json",
        "{\"type\":\"ping\"}{\"type\":\"ping\"}             | bad_json",
        "{\"type\":\"teleport\",\"ref\":\"t\"}              | unknown_type",
        "{\"no\":\"type\"}                                  | invalid_field",
        "{\"type\":42}                                      | invalid_field",
        "{\"type\":\"offer\",\"data\":{}}                   | invalid_field",
        "{\"type\":\"offer\",\"to\":\"x\",\"data\":\"sdp\"} | invalid_field",
        "{\"type\":\"offer\",\"to\":7,\"data\":{}}          | invalid_field",
        "{\"type\":\"offer\",\"to\":\"a b\",\"data\":{}}    | invalid_name",
      })
  void aMalformedMessageGetsAnErrorAndTheConnectionStaysUsable(String frame, String code) {
    try (TestClient alice = server.login("alice")) {
      alice.send(frame.strip());

      ServerMessage.Error error = alice.await(ServerMessage.Error.class);
      assertThat(error.code().wireName()).isEqualTo(code);
      assertThat(error.message()).isNotBlank();

      alice.send(new ClientMessage.Ping());
      alice.await(ServerMessage.Pong.class);
    }
  }

  @Test
  void dataPastTheJsonLimitsIsRefusedInTheProtocolsWordsWithItsRef() {
    try (TestClient alice = server.login("alice");
        TestClient bob = server.login("bob")) {
      alice.send(
          "{\"type\":\"offer\",\"to\":\"bob\",\"ref\":\"big\",\"data\":{\"n\":"
              + "9".repeat(1001)
              + "}}");

      ServerMessage.Error error = alice.await(ServerMessage.Error.class);
      assertThat(error.code()).isEqualTo(ErrorCode.BAD_JSON);
      assertThat(error.message())
          .isEqualTo("a number is longer than 100 characters, the protocol's limit");
      assertThat(error.ref()).isEqualTo("big");
      assertThat(bob.drain()).noneMatch(ServerMessage.Signal.class::isInstance);
    }
    bystanderIsStillServed();
  }

  @Test
  void aFrameOverTheSizeLimitIsRefusedAndItsConnectionClosed() {
    try (TestClient alice = server.login("alice")) {
      alice.send(
          "{\"type\":\"offer\",\"to\":\"bystander\",\"data\":{\"sdp\":\""
              + "x".repeat(MAX_FRAME)
              + "\"}}");

      ServerMessage.Error error = alice.await(ServerMessage.Error.class);
      assertThat(error.code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
      assertThat(error.message()).contains(String.valueOf(MAX_FRAME));
      assertThat(alice.awaitClose()).isEqualTo(1009);
    }
    assertThat(bystander.drain()).noneMatch(ServerMessage.Signal.class::isInstance);
  }

  @Test
  void aFrameJustUnderTheLimitIsRelayed() {
    try (TestClient alice = server.login("alice")) {
      String prefix = "{\"type\":\"offer\",\"to\":\"bystander\",\"data\":{\"sdp\":\"";
      String suffix = "\"}}";
      alice.send(prefix + "x".repeat(MAX_FRAME - prefix.length() - suffix.length()) + suffix);

      assertThat(bystander.await(ServerMessage.Signal.class).from().value()).isEqualTo("alice");
    }
  }

  /**
   * The server checks a text message once it is whole: a character split between two fragments is
   * relayed as sent, and an encoded surrogate split between them is refused as in one frame.
   */
  @Test
  void textInFragmentsIsCheckedWholeAndACharacterSplitBetweenThemIsKept() throws Exception {
    byte[] message =
        "{\"type\":\"offer\",\"to\":\"bystander\",\"data\":{\"sdp\":\"caf\u00e9\"}}"
            .getBytes(UTF_8);
    int split = indexOf(message, (byte) 0xC3) + 1; // between the two bytes of the é
    try (RawWebSocket alice = server.loginRaw("alice")) {
      alice.sendFragmented(
          RawWebSocket.TEXT,
          java.util.Arrays.copyOfRange(message, 0, split),
          java.util.Arrays.copyOfRange(message, split, message.length));

      ServerMessage.Signal relayed = bystander.await(ServerMessage.Signal.class);
      assertThat(relayed.from().value()).isEqualTo("alice");
      assertThat(relayed.data().get("sdp").textValue()).isEqualTo("caf\u00e9");
    }

    byte[] bad = message.clone();
    bad[split - 1] = (byte) 0xED; // ED A0: the start of an encoded surrogate
    bad[split] = (byte) 0xA0;
    try (RawWebSocket mallory = server.loginRaw("mallory")) {
      mallory.sendFragmented(
          RawWebSocket.TEXT,
          java.util.Arrays.copyOfRange(bad, 0, split),
          java.util.Arrays.copyOfRange(bad, split, bad.length));

      RawWebSocket.Frame close = mallory.readUntil(RawWebSocket.CLOSE);
      assertThat(((close.payload()[0] & 0xff) << 8) | (close.payload()[1] & 0xff)).isEqualTo(1007);
    }
    bystanderIsStillServed();
    assertThat(bystander.drain()).noneMatch(ServerMessage.Signal.class::isInstance);
  }

  /**
   * Fragments are joined under the same limit as one frame, and a ping between them is answered.
   */
  @Test
  void fragmentsAreJoinedUnderTheMessageLimitWithControlFramesBetweenThem() throws Exception {
    byte[] head = "{\"type\":\"offer\",\"to\":\"bystander\",\"data\":{\"sdp\":\"".getBytes(UTF_8);
    byte[] tail = "\"}}".getBytes(UTF_8);
    try (RawWebSocket alice = server.loginRaw("alice")) {
      alice.sendUnfinishedFrame(RawWebSocket.TEXT, head);
      alice.sendFrame(RawWebSocket.PING, "between".getBytes(UTF_8));
      assertThat(alice.readUntil(RawWebSocket.PONG).text()).isEqualTo("between");
      alice.sendUnfinishedFrame(RawWebSocket.CONTINUATION, "sdp".getBytes(UTF_8));
      alice.sendFrame(RawWebSocket.CONTINUATION, tail);

      ServerMessage.Signal relayed = bystander.await(ServerMessage.Signal.class);
      assertThat(relayed.data().get("sdp").textValue()).isEqualTo("sdp");
    }
    byte[] half = new byte[MAX_FRAME / 2 + 1];
    java.util.Arrays.fill(half, (byte) 'x');
    try (RawWebSocket mallory = server.loginRaw("mallory")) {
      mallory.sendUnfinishedFrame(RawWebSocket.TEXT, head);
      mallory.sendUnfinishedFrame(RawWebSocket.CONTINUATION, half);
      mallory.sendFrame(RawWebSocket.CONTINUATION, half);

      RawWebSocket.Frame error;
      do {
        error = mallory.readUntil(RawWebSocket.TEXT); // presence may come first
      } while (!error.text().contains("\"type\":\"error\""));
      assertThat(error.text()).contains("frame_too_large").contains(String.valueOf(MAX_FRAME));
      RawWebSocket.Frame close = mallory.readUntil(RawWebSocket.CLOSE);
      assertThat(((close.payload()[0] & 0xff) << 8) | (close.payload()[1] & 0xff)).isEqualTo(1009);
    }
    assertThat(bystander.drain()).noneMatch(ServerMessage.Signal.class::isInstance);
  }

  /** RFC 6455 5.4: a continuation of nothing, or a new message inside one, is a protocol error. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"a continuation with no message begun", "a new message before the last fragment"})
  void fragmentsOutOfOrderCloseTheConnectionWith1002(String what) throws Exception {
    byte[] ping = "{\"type\":\"ping\"}".getBytes(UTF_8);
    try (RawWebSocket mallory = server.loginRaw("mallory")) {
      if (what.startsWith("a continuation")) {
        mallory.sendFrame(RawWebSocket.CONTINUATION, ping);
      } else {
        mallory.sendUnfinishedFrame(RawWebSocket.TEXT, "{\"type\":".getBytes(UTF_8));
        mallory.sendFrame(RawWebSocket.TEXT, ping);
      }
      RawWebSocket.Frame close = mallory.readUntil(RawWebSocket.CLOSE);
      assertThat(((close.payload()[0] & 0xff) << 8) | (close.payload()[1] & 0xff)).isEqualTo(1002);
    }
  }

  private static int indexOf(byte[] bytes, byte wanted) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == wanted) {
        return i;
      }
    }
    throw new AssertionError("no such byte");
  }

  @Test
  void textThatIsNotUtf8ClosesItsConnectionAndIsNotRelayed() throws Exception {
    // An encoded surrogate: a JSON parser reading through the data would let it by, and a browser
    // handed it in a text frame would drop its own connection to the server.
    byte[] head = "{\"type\":\"offer\",\"to\":\"bystander\",\"data\":{\"sdp\":\"".getBytes(UTF_8);
    byte[] tail = "\"}}".getBytes(UTF_8);
    byte[] frame = new byte[head.length + 3 + tail.length];
    System.arraycopy(head, 0, frame, 0, head.length);
    frame[head.length] = (byte) 0xED;
    frame[head.length + 1] = (byte) 0xA0;
    frame[head.length + 2] = (byte) 0x80;
    System.arraycopy(tail, 0, frame, head.length + 3, tail.length);
    try (RawWebSocket mallory = server.loginRaw("mallory")) {
      mallory.sendFrame(RawWebSocket.TEXT, frame);

      RawWebSocket.Frame close = mallory.readUntil(RawWebSocket.CLOSE);
      assertThat(((close.payload()[0] & 0xff) << 8) | (close.payload()[1] & 0xff)).isEqualTo(1007);
      assertThat(mallory.serverClosed()).isTrue();
    }
    bystanderIsStillServed();
    assertThat(bystander.drain()).noneMatch(ServerMessage.Signal.class::isInstance);
  }

  @Test
  void aBinaryFrameIsRefusedAndTheConnectionStaysUsable() {
    try (TestClient alice = server.login("alice")) {
      alice.sendBinary(new byte[] {1, 2, 3});

      assertThat(alice.await(ServerMessage.Error.class).code())
          .isEqualTo(ErrorCode.BINARY_NOT_SUPPORTED);
      alice.send(new ClientMessage.Ping());
      alice.await(ServerMessage.Pong.class);
    }
  }

  @Test
  void aFloodIsRateLimitedWithoutHarmingOthers() {
    try (TestClient flooder = server.login("flooder")) {
      for (int i = 0; i < 500; i++) {
        flooder.send("{\"type\":\"ping\"}");
      }

      ServerMessage.Error error = flooder.awaitError(ErrorCode.RATE_LIMITED);
      assertThat(error.message()).contains("20");
      long pongs = flooder.drain().stream().filter(ServerMessage.Pong.class::isInstance).count();
      assertThat(pongs).as("pongs answered of 500 pings").isLessThan(500);
      assertThat(server.server().metrics().errors(ErrorCode.RATE_LIMITED)).isPositive();
    }
  }

  @Test
  void tooManyConnectionsFromOneAddressAreRefused() {
    // The bystander holds one of the six allowed from 127.0.0.1.
    java.util.List<TestClient> held = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < 5; i++) {
        held.add(server.connect());
      }
      try (TestClient extra = TestClient.open(server.ws())) {
        assertThat(extra.await(ServerMessage.Error.class).code())
            .isEqualTo(ErrorCode.TOO_MANY_CONNECTIONS);
        assertThat(extra.awaitClose()).isEqualTo(1013);
      }
    } finally {
      held.forEach(TestClient::close);
    }
    // Once they are gone, the address may connect again.
    org.awaitility.Awaitility.await()
        .until(() -> server.server().metrics().prometheusText().contains("parley_connections 1\n"));
    try (TestClient again = server.connect()) {
      assertThat(again.challenge().nonce()).isNotBlank();
    }
  }
}
