package dev.parley.stun;

import dev.parley.stun.StunAttribute.ErrorCode;
import dev.parley.stun.StunAttribute.MappedAddress;
import dev.parley.stun.StunAttribute.OtherAddress;
import dev.parley.stun.StunAttribute.Padding;
import dev.parley.stun.StunAttribute.ResponseOrigin;
import dev.parley.stun.StunAttribute.UnknownAttributes;
import dev.parley.stun.StunAttribute.XorMappedAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A blocking STUN client on the JDK's sockets, for the server's self-checks and the doctor. */
public final class StunClient {
  private StunClient() {}

  /**
   * Asks {@code server} which address it sees {@code socket}'s datagrams come from.
   *
   * <p>The socket is the caller's and stays open: a NAT check sends two queries from one socket to
   * two server ports and compares the mapped ports. The request is padded (RFC 5780 PADDING) to the
   * size of a response that carries RESPONSE-ORIGIN and OTHER-ADDRESS, since a careful server (such
   * as Parley's, see {@link BindingResponder}) answers no larger than it was asked; a server that
   * does not know PADDING and says so (420) is asked again without it. Retransmits as RFC 8489
   * says, until {@code timeout} has passed.
   *
   * @throws StunTimeoutException if no response arrives within {@code timeout}
   * @throws StunErrorResponseException if the server answers with an error
   * @throws StunFormatException if the success response has no mapped address
   * @throws UncheckedIOException if the socket fails
   */
  public static BindingResult binding(
      DatagramSocket socket, InetSocketAddress server, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    UdpStunChannel channel = new UdpStunChannel(socket, server, false);
    try {
      StunMessage response = ask(channel, padded(paddingFor(server)), deadline);
      if (refusedPadding(response)) {
        response = ask(channel, StunMessage.request(MessageType.BINDING), deadline);
      }
      if (response.type().messageClass() == MessageType.MessageClass.ERROR_RESPONSE) {
        ErrorCode error =
            response
                .attribute(ErrorCode.class)
                .orElse(new ErrorCode(ErrorCode.BAD_REQUEST, "an error response with no code"));
        throw new StunErrorResponseException(error.code(), error.reason());
      }
      return result(response);
    } catch (IOException e) {
      throw new UncheckedIOException("STUN Binding to " + server + " failed: " + e.getMessage(), e);
    }
  }

  private static StunMessage ask(UdpStunChannel channel, StunMessage request, Instant deadline)
      throws IOException {
    return channel
        .exchange(
            request,
            received ->
                received.message().attribute(StunAttribute.Fingerprint.class).isEmpty()
                    || StunMessage.verifyFingerprint(received.bytes()),
            deadline)
        .message();
  }

  /** Enough PADDING that the request, with its FINGERPRINT, is as large as the wanted response. */
  private static int paddingFor(InetSocketAddress server) {
    int wanted =
        BindingResponder.minimumResponseLength(server)
            + 2 * BindingResponder.addressAttributeLength(server);
    return wanted - StunMessage.HEADER_LENGTH - 4 - 8;
  }

  private static StunMessage padded(int padding) {
    return StunMessage.request(MessageType.BINDING).with(new Padding(padding)).withFingerprint();
  }

  private static boolean refusedPadding(StunMessage response) {
    return response.attribute(ErrorCode.class).map(ErrorCode::code).orElse(0)
            == ErrorCode.UNKNOWN_ATTRIBUTE
        && response
            .attribute(UnknownAttributes.class)
            .map(UnknownAttributes::types)
            .orElse(List.of())
            .contains(StunAttribute.PADDING);
  }

  private static BindingResult result(StunMessage response) {
    InetSocketAddress mapped =
        response
            .attribute(XorMappedAddress.class)
            .map(XorMappedAddress::address)
            .or(() -> response.attribute(MappedAddress.class).map(MappedAddress::address))
            .orElseThrow(
                () -> new StunFormatException("a Binding success response with no mapped address"));
    return new BindingResult(
        mapped,
        response.attribute(ResponseOrigin.class).map(ResponseOrigin::address),
        response.attribute(OtherAddress.class).map(OtherAddress::address));
  }
}
