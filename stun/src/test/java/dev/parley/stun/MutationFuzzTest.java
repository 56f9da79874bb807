package dev.parley.stun;

import static dev.parley.stun.StunMessageTest.address;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.parley.stun.BindingAnswer.Drop;
import dev.parley.stun.BindingAnswer.Reason;
import dev.parley.stun.BindingAnswer.Respond;
import dev.parley.stun.StunAttribute.ErrorCode;
import dev.parley.stun.StunAttribute.Fingerprint;
import dev.parley.stun.StunAttribute.RequestedTransport;
import dev.parley.stun.StunAttribute.Software;
import dev.parley.stun.StunAttribute.UnknownAttributes;
import dev.parley.stun.StunAttribute.Username;
import dev.parley.stun.StunAttribute.XorMappedAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Deterministic mutations of valid messages, fed to the decoder and the responder. The decoder may
 * only succeed or throw {@link StunFormatException}. The responder answers exactly the datagrams
 * that are valid Binding requests (judged here from the public API, independently of it), and never
 * with more than max(the datagram's length, the minimum response for the client's family): the
 * amplification rule of {@link BindingResponder}.
 */
class MutationFuzzTest {
  private static final int MUTATIONS = 30_000;
  private static final InetSocketAddress CLIENT_V4 = address("198.51.100.9", 40000);
  private static final InetSocketAddress CLIENT_V6 = address("2001:db8::9", 40000);
  private static final Optional<InetSocketAddress> OTHER = Optional.of(address("192.0.2.10", 3479));

  private final BindingResponder responder = new BindingResponder(address("192.0.2.10", 3478));
  private final Random random = new Random(5769);

  @Test
  void mutatedDatagramsAreDecodedOrRefusedAndAnsweredOnlyWithinTheRules() {
    List<byte[]> seeds = seeds();
    Set<Reason> reasons = EnumSet.noneOf(Reason.class);
    int answered = 0;
    for (int i = 0; i < MUTATIONS; i++) {
      byte[] datagram = mutate(seeds.get(random.nextInt(seeds.size())));
      InetSocketAddress client = random.nextBoolean() ? CLIENT_V4 : CLIENT_V6;
      String context = "mutation " + i + ": " + HexFormat.of().formatHex(datagram);
      boolean valid = decodesOrIsRefused(datagram, context) && isValidBindingRequest(datagram);
      switch (responder.answer(datagram, datagram.length, client, OTHER)) {
        case Respond respond -> {
          answered++;
          assertThat(valid).as("answered an invalid request, %s", context).isTrue();
          checkResponse(respond.datagram(), datagram, client, context);
        }
        case Drop drop -> {
          reasons.add(drop.reason());
          assertThat(valid)
              .as("dropped a valid request (%s), %s", drop.reason(), context)
              .isFalse();
        }
      }
    }
    assertThat(answered).as("mutations that stayed valid requests").isGreaterThan(1000);
    assertThat(reasons).as("every reason to drop came up").isEqualTo(EnumSet.allOf(Reason.class));
  }

  private static boolean decodesOrIsRefused(byte[] datagram, String context) {
    try {
      StunMessage.decode(datagram);
      StunMessage.verifyFingerprint(datagram);
      StunMessage.verifyIntegrity(datagram, new byte[16]);
      return true;
    } catch (StunFormatException e) {
      return false;
    } catch (RuntimeException e) {
      return fail("the decoder threw %s on %s", e, context);
    }
  }

  /** RFC 8489 §6.3's conditions for answering, restated from the public API. */
  private static boolean isValidBindingRequest(byte[] datagram) {
    StunMessage message = StunMessage.decode(datagram);
    return message.type().equals(MessageType.BINDING_REQUEST)
        && message.unknownComprehensionRequired().isEmpty()
        && (message.attribute(Fingerprint.class).isEmpty()
            || StunMessage.verifyFingerprint(datagram));
  }

  private static void checkResponse(
      byte[] response, byte[] request, InetSocketAddress client, String context) {
    int allowed = Math.max(request.length, BindingResponder.minimumResponseLength(client));
    assertThat(response.length).as("response size, %s", context).isLessThanOrEqualTo(allowed);
    StunMessage decoded = StunMessage.decode(response);
    assertThat(decoded.type()).isEqualTo(MessageType.BINDING_SUCCESS);
    assertThat(decoded.transactionId()).isEqualTo(StunMessage.decode(request).transactionId());
    assertThat(decoded.attribute(XorMappedAddress.class)).contains(new XorMappedAddress(client));
    assertThat(StunMessage.verifyFingerprint(response)).isTrue();
  }

  private byte[] mutate(byte[] seed) {
    byte[] bytes = seed.clone();
    int rounds = 1 + random.nextInt(3);
    for (int round = 0; round < rounds; round++) {
      bytes =
          switch (random.nextInt(8)) {
            case 0 -> flipBits(bytes);
            case 1 -> java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
            case 2 -> extend(bytes, 1 + random.nextInt(random.nextInt(10) == 0 ? 1400 : 40));
            case 3 ->
                setShort(
                    bytes,
                    2,
                    random.nextBoolean()
                        ? random.nextInt(0x10000)
                        : length(bytes) + 4 * (random.nextInt(5) - 2));
            case 4 -> editAttributeLength(bytes);
            case 5 ->
                setShort(
                    bytes,
                    0,
                    random.nextInt(8) == 0 ? random.nextInt(0x10000) : random.nextInt(0x140));
            case 6 -> fixLength(bytes);
            default -> refreshFingerprint(bytes);
          };
    }
    return bytes;
  }

  private byte[] flipBits(byte[] bytes) {
    if (bytes.length > 0) {
      int bit = random.nextInt(bytes.length * 8);
      bytes[bit / 8] ^= (byte) (1 << (bit % 8));
    }
    return bytes;
  }

  private byte[] extend(byte[] bytes, int count) {
    byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + count);
    for (int i = bytes.length; i < longer.length; i++) {
      longer[i] = random.nextInt(4) == 0 ? (byte) random.nextInt(256) : 0;
    }
    return random.nextBoolean() ? fixLength(longer) : longer;
  }

  /** Changes the length of one attribute, found by walking the TLVs as far as they go. */
  private byte[] editAttributeLength(byte[] bytes) {
    List<Integer> offsets = new ArrayList<>();
    for (int offset = 20; offset + 4 <= bytes.length; ) {
      offsets.add(offset);
      offset += 4 + ((ByteBuffer.wrap(bytes).getShort(offset + 2) & 0xFFFF) + 3 & ~3);
    }
    if (offsets.isEmpty()) {
      return bytes;
    }
    int offset = offsets.get(random.nextInt(offsets.size()));
    int old = ByteBuffer.wrap(bytes).getShort(offset + 2) & 0xFFFF;
    int edited =
        random.nextBoolean() ? random.nextInt(0x10000) : Math.max(0, old + random.nextInt(17) - 8);
    return setShort(bytes, offset + 2, edited);
  }

  private static byte[] fixLength(byte[] bytes) {
    return bytes.length >= 20 ? setShort(bytes, 2, bytes.length - 20) : bytes;
  }

  /** Recomputes a final FINGERPRINT, so that mutations before it reach the later rules. */
  private static byte[] refreshFingerprint(byte[] bytes) {
    try {
      StunMessage message = StunMessage.decode(bytes);
      if (message.attribute(Fingerprint.class).isPresent() && bytes.length >= 28) {
        int crc = Checksums.fingerprint(ByteBuffer.wrap(bytes), bytes.length - 8);
        ByteBuffer.wrap(bytes).putInt(bytes.length - 4, crc);
      }
    } catch (StunFormatException e) {
      // Nothing to refresh in bytes that are not a message.
    }
    return bytes;
  }

  private static int length(byte[] bytes) {
    return bytes.length < 4 ? 0 : ByteBuffer.wrap(bytes).getShort(2) & 0xFFFF;
  }

  private static byte[] setShort(byte[] bytes, int index, int value) {
    if (index + 2 <= bytes.length) {
      ByteBuffer.wrap(bytes).putShort(index, (short) value);
    }
    return bytes;
  }

  private List<byte[]> seeds() {
    List<byte[]> seeds = new ArrayList<>(List.of(Rfc5769Vectors.all()));
    for (int length : new int[] {20, 52, 64, 100, 128}) {
      seeds.add(BindingResponderTest.padded(length));
    }
    seeds.add(StunMessage.request(MessageType.BINDING).withFingerprint().encode());
    seeds.add(
        StunMessage.request(MessageType.BINDING)
            .with(new Software("fuzz"), new Username("a:b"))
            .withIntegrity(new byte[16])
            .withFingerprint()
            .encode());
    seeds.add(
        StunMessage.request(MessageType.ALLOCATE)
            .with(new RequestedTransport(17))
            .withIntegrity(new byte[16])
            .withFingerprint()
            .encode());
    seeds.add(
        new StunMessage(
                MessageType.of(MessageType.BINDING, MessageType.MessageClass.ERROR_RESPONSE),
                TransactionId.random(),
                List.of(new ErrorCode(420, "Unknown"), new UnknownAttributes(List.of(0x7777))))
            .encode());
    for (InetSocketAddress client : List.of(CLIENT_V4, CLIENT_V6)) {
      byte[] request = BindingResponderTest.padded(100);
      seeds.add(((Respond) responder.answer(request, request.length, client, OTHER)).datagram());
    }
    return seeds;
  }
}
