package dev.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Mutates valid frames at random and feeds them to the decoders: whatever arrives, the only failure
 * allowed is a {@link ProtocolException} with a code, never another exception. The seed is fixed,
 * so a failure is reproducible.
 */
class CodecFuzzTest {
  private static final int ROUNDS = 20_000;
  private static final String ALPHABET = "{}[]\":,\\ 0123456789-.eEtruefalsnl\u0000\u00e9\ud83d";

  @Test
  void theClientDecoderRejectsAnyMutationWithACode() {
    Identity identity = Identity.generate();
    UserName alice = new UserName("alice");
    List<String> seeds =
        List.of(
            ClientCodec.encode(
                new ClientMessage.Login(
                    1, alice, identity.publicKey(), LoginProof.sign(identity, "s", "n", alice)),
                "r1"),
            ClientCodec.encode(
                new ClientMessage.Signal(
                    SignalKind.OFFER,
                    new UserName("bob"),
                    Json.parse("{\"sdp\":\"v=0\\r\\n\",\"n\":[1,2.5,{\"x\":null}]}"))),
            ClientCodec.encode(new ClientMessage.Ping()),
            ClientCodec.encode(
                new ClientMessage.Watch(List.of(alice, new UserName("Bob.b-2_x"))), "w1"),
            ClientCodec.encode(new ClientMessage.Unwatch(List.of(alice))));
    fuzz(seeds, text -> ClientCodec.decode(text));
  }

  @Test
  void theServerDecoderRejectsAnyMutationWithACode() {
    OnlineUser bob = new OnlineUser(new UserName("bob"), Identity.generate().publicKey());
    List<String> seeds =
        List.of(
            ServerCodec.encodeToString(new ServerMessage.Challenge(List.of(1), "srv", "nonce")),
            ServerCodec.encodeToString(
                new ServerMessage.Welcome(
                    new UserName("alice"),
                    List.of(bob),
                    List.of(new IceServer(List.of("turn:x"), "u", "c")),
                    15,
                    65536)),
            ServerCodec.encodeToString(
                new ServerMessage.Welcome(
                    new UserName("alice"), List.of(), List.of(), 15, 65536, PresenceMode.CONTACTS)),
            ServerCodec.encodeToString(new ServerMessage.Presence(List.of(bob), List.of())),
            ServerCodec.encodeToString(new ServerMessage.Error(ErrorCode.BAD_JSON, "m", "r")));
    fuzz(seeds, text -> ServerCodec.decode(text));
  }

  private interface Decoder {
    void decode(String text);
  }

  private static void fuzz(List<String> seeds, Decoder decoder) {
    Random random = new Random(20261124);
    int rejected = 0;
    for (int round = 0; round < ROUNDS; round++) {
      String input = mutate(seeds.get(random.nextInt(seeds.size())), random);
      try {
        decoder.decode(input);
      } catch (ProtocolException e) {
        assertThat(e.code()).isNotNull();
        assertThat(e.getMessage()).isNotBlank();
        rejected++;
      } catch (RuntimeException e) {
        throw new AssertionError("decoding " + input + " threw " + e, e);
      }
    }
    assertThat(rejected).as("mutations rejected of " + ROUNDS).isPositive();
  }

  private static String mutate(String seed, Random random) {
    StringBuilder text = new StringBuilder(seed);
    int edits = 1 + random.nextInt(4);
    for (int i = 0; i < edits && !text.isEmpty(); i++) {
      int at = random.nextInt(text.length());
      switch (random.nextInt(5)) {
        case 0 -> text.deleteCharAt(at);
        case 1 -> text.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        case 2 -> text.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        case 3 -> text.setLength(at);
        default -> {
          byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
          bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
          text = new StringBuilder(new String(bytes, StandardCharsets.UTF_8));
        }
      }
    }
    return text.toString();
  }
}
