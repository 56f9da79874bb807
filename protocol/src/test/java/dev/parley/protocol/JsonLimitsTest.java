package dev.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

/**
 * The limits on any JSON the server reads are Parley's, as docs/protocol.md lists them, and a
 * message beyond one is refused in Parley's words, naming the limit, never in the JSON library's:
 * in a message's own fields and inside the {@code data} it forwards unread alike.
 */
class JsonLimitsTest {

  private static ProtocolException refused(String json) {
    ProtocolException e =
        catchThrowableOfType(ProtocolException.class, () -> ClientCodec.decode(json));
    assertThat(e).as("refused: %s", json.length() > 80 ? json.substring(0, 80) : json).isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.BAD_JSON);
    assertThat(e.getMessage()).doesNotContain("StreamReadConstraints", "jackson", "Jackson");
    return e;
  }

  private static String offer(String data) {
    return "{\"type\":\"offer\",\"to\":\"bob\",\"data\":" + data + "}";
  }

  @Test
  void aNumberOfMoreThan100CharactersIsRefusedByName() {
    String number = "1".repeat(Json.MAX_NUMBER_LENGTH + 1);
    assertThat(refused(offer("{\"n\":" + number + "}")).getMessage())
        .isEqualTo("a number is longer than 100 characters, the protocol's limit");
    assertThat(refused("{\"type\":\"ping\",\"n\":" + number + "}").getMessage())
        .isEqualTo("a number is longer than 100 characters, the protocol's limit");
    assertThat(ClientCodec.decode(offer("{\"n\":" + "1".repeat(100) + "}")).data()).isNotNull();
  }

  @Test
  void aKeyOfMoreThan256CharactersIsRefusedByName() {
    String key = "k".repeat(Json.MAX_KEY_LENGTH + 1);
    assertThat(refused(offer("{\"" + key + "\":1}")).getMessage())
        .isEqualTo("a key is longer than 256 characters, the protocol's limit");
    assertThat(refused(offer("{\"" + "k".repeat(55_000) + "\":1}")).getMessage())
        .isEqualTo("a key is longer than 256 characters, the protocol's limit");
    assertThat(ClientCodec.decode(offer("{\"" + "k".repeat(256) + "\":1}")).data()).isNotNull();
  }

  @Test
  void aNumberPastTheRangeOfA64BitFloatIsRefusedByName() {
    String range = "a number is beyond the range of a 64-bit float, the protocol's limit";
    assertThat(refused(offer("{\"n\":[1.5,-1e400]}")).getMessage()).isEqualTo(range);
    assertThat(refused("{\"type\":\"ping\",\"n\":1e309}").getMessage()).isEqualTo(range);
    assertThat(catchThrowableOfType(ProtocolException.class, () -> Json.parse("{\"n\":[2e308]}")))
        .hasMessage(range);
    assertThat(Json.parse("[1.7976931348623157e308,1e-400]").toString())
        .isEqualTo("[1.7976931348623157E308,0.0]");
  }

  @Test
  void nestingDeeperThan32IsRefusedByName() {
    String deep = "[".repeat(40) + "]".repeat(40);
    assertThat(refused(offer("{\"a\":" + deep + "}")).getMessage())
        .isEqualTo("JSON is nested deeper than 32, the protocol's limit");
  }
}
