package dev.parley.stun;

import static dev.parley.stun.StunMessageTest.address;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.stun.BindingAnswer.Drop;
import dev.parley.stun.BindingAnswer.Respond;
import dev.parley.stun.StunAttribute.Fingerprint;
import dev.parley.stun.StunAttribute.XorMappedAddress;
import dev.parley.testkit.Allocations;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the STUN decoder and the server's Binding responder (docs/fuzzing.md),
 * the rules of {@link MutationFuzzTest} (which stays, as a quick deterministic first line) over
 * whatever bytes the fuzzer makes: the decoder returns a message or throws {@link
 * StunFormatException}, within a memory budget linear in the datagram, and what it returns encodes
 * back to itself; the responder answers exactly the valid Binding requests, each with a valid
 * response, and never with more bytes than the request or the smallest response, whichever is
 * larger (the rule against amplification).
 */
@Timeout(10)
class StunMessageFuzzTest {
  private static final List<InetSocketAddress> CLIENTS =
      List.of(address("198.51.100.9", 40000), address("2001:db8::9", 40000));
  private static final Optional<InetSocketAddress> OTHER = Optional.of(address("192.0.2.10", 3479));

  private final BindingResponder responder = new BindingResponder(address("192.0.2.10", 3478));

  @FuzzTest
  void anyDatagramIsDecodedOrRefusedAndAnsweredOnlyWithinTheRules(byte[] datagram) {
    StunMessage message;
    try {
      message = Allocations.bounded(datagram.length, () -> StunMessage.decode(datagram));
      StunMessage.verifyFingerprint(datagram);
      StunMessage.verifyIntegrity(datagram, new byte[16]);
    } catch (StunFormatException e) {
      assertThat(e.getMessage()).isNotBlank();
      message = null;
    }
    if (message != null) {
      assertThat(StunMessage.decode(message.encode())).isEqualTo(message);
    }
    boolean answerable =
        message != null
            && message.type().equals(MessageType.BINDING_REQUEST)
            && message.unknownComprehensionRequired().isEmpty()
            && (message.attribute(Fingerprint.class).isEmpty()
                || StunMessage.verifyFingerprint(datagram));
    for (InetSocketAddress client : CLIENTS) {
      switch (responder.answer(datagram, datagram.length, client, OTHER)) {
        case Respond respond -> {
          assertThat(answerable)
              .as("answered a datagram that is no valid Binding request")
              .isTrue();
          checkResponse(respond.datagram(), datagram, client);
        }
        case Drop drop ->
            assertThat(answerable).as("dropped a valid Binding request: %s", drop).isFalse();
      }
    }
  }

  private static void checkResponse(byte[] response, byte[] request, InetSocketAddress client) {
    assertThat(response.length)
        .as("response size")
        .isLessThanOrEqualTo(
            Math.max(request.length, BindingResponder.minimumResponseLength(client)));
    StunMessage decoded = StunMessage.decode(response);
    assertThat(decoded.type()).isEqualTo(MessageType.BINDING_SUCCESS);
    assertThat(decoded.transactionId()).isEqualTo(StunMessage.decode(request).transactionId());
    assertThat(decoded.attribute(XorMappedAddress.class)).contains(new XorMappedAddress(client));
    assertThat(StunMessage.verifyFingerprint(response)).isTrue();
  }
}
