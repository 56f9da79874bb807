package dev.parley.stun;

import dev.parley.stun.BindingAnswer.Drop;
import dev.parley.stun.BindingAnswer.Reason;
import dev.parley.stun.BindingAnswer.Respond;
import dev.parley.stun.StunAttribute.AddressAttribute;
import dev.parley.stun.StunAttribute.Fingerprint;
import dev.parley.stun.StunAttribute.OtherAddress;
import dev.parley.stun.StunAttribute.ResponseOrigin;
import dev.parley.stun.StunAttribute.XorMappedAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The server's rules for answering STUN Binding requests (RFC 8489 §6.3), as pure logic: a datagram
 * and its source in, a response or a counted drop out.
 *
 * <p>A STUN server answers anyone, so it must never send more than it receives, or a spoofed source
 * turns it into an amplifier. The rule: a valid Binding request gets XOR-MAPPED-ADDRESS and
 * FINGERPRINT, nothing else (no SOFTWARE); then RESPONSE-ORIGIN and OTHER-ADDRESS (RFC 5780), in
 * that order, each only if the whole response stays no larger than the request. So:
 *
 * <ul>
 *   <li>the smallest request, 20 bytes, gets 40 bytes from IPv4 and 52 from IPv6: a factor of 2 to
 *       2.6, the least any answer can be (coturn 4.6.1 sends 80 bytes to the same request);
 *   <li>each optional attribute costs 12 bytes for an IPv4 address and 24 for an IPv6 one, so a
 *       client that wants both pads its request with PADDING to 64 bytes (IPv4) or 100 (IPv6), and
 *       then gets back no more than it sent.
 * </ul>
 *
 * <p>Everything that is not a valid Binding request is dropped, never answered with an error: an
 * error response would be amplification too, and a real client learns as much from silence.
 */
public final class BindingResponder {
  private static final int ATTRIBUTE_HEADER = 4;
  private static final int FINGERPRINT_SIZE = 8;

  private final Optional<InetSocketAddress> responseOrigin;

  /** A responder that does not know which address its socket answers from (a wildcard bind). */
  public BindingResponder() {
    this.responseOrigin = Optional.empty();
  }

  /** A responder whose responses leave from {@code responseOrigin}, reported as RESPONSE-ORIGIN. */
  public BindingResponder(InetSocketAddress responseOrigin) {
    this.responseOrigin = Optional.of(responseOrigin);
  }

  /** The smallest response, and so the one to any 20-byte request: 40 bytes (IPv4) or 52 (IPv6). */
  public static int minimumResponseLength(InetSocketAddress client) {
    return StunMessage.HEADER_LENGTH + addressAttributeLength(client) + FINGERPRINT_SIZE;
  }

  /**
   * Decides about {@code length} bytes of {@code datagram} from {@code from}, with no other
   * address.
   */
  public BindingAnswer answer(byte[] datagram, int length, InetSocketAddress from) {
    return answer(datagram, length, from, Optional.empty());
  }

  /**
   * Decides about {@code length} bytes of {@code datagram} received from {@code from}.
   *
   * @param otherAddress the server's address for RFC 5780's tests, sent as OTHER-ADDRESS if room
   */
  public BindingAnswer answer(
      byte[] datagram,
      int length,
      InetSocketAddress from,
      Optional<InetSocketAddress> otherAddress) {
    if (length > StunMessage.MAX_LENGTH) {
      return new Drop(Reason.OVERSIZED);
    }
    ByteBuffer bytes = ByteBuffer.wrap(datagram, 0, length).slice();
    if (isClassicStun(bytes)) {
      return new Drop(Reason.CLASSIC_STUN);
    }
    StunMessage request;
    try {
      request = StunMessage.decode(bytes);
    } catch (StunFormatException e) {
      return new Drop(Reason.MALFORMED);
    }
    if (request.type().messageClass() != MessageType.MessageClass.REQUEST) {
      return new Drop(Reason.NOT_A_REQUEST);
    }
    if (request.type().method() != MessageType.BINDING) {
      return new Drop(Reason.NOT_BINDING);
    }
    if (!request.unknownComprehensionRequired().isEmpty()) {
      return new Drop(Reason.UNKNOWN_REQUIRED_ATTRIBUTE);
    }
    if (request.attribute(Fingerprint.class).isPresent() && !Checksums.fingerprintMatches(bytes)) {
      return new Drop(Reason.BAD_FINGERPRINT);
    }
    return new Respond(response(request, length, from, otherAddress));
  }

  private byte[] response(
      StunMessage request,
      int requestLength,
      InetSocketAddress from,
      Optional<InetSocketAddress> otherAddress) {
    List<StunAttribute> attributes = new ArrayList<>(List.of(new XorMappedAddress(from)));
    int length = minimumResponseLength(from);
    List<AddressAttribute> optional = new ArrayList<>();
    responseOrigin.map(ResponseOrigin::new).ifPresent(optional::add);
    otherAddress.map(OtherAddress::new).ifPresent(optional::add);
    for (AddressAttribute attribute : optional) {
      if (length + addressAttributeLength(attribute.address()) <= requestLength) {
        attributes.add(attribute);
        length += addressAttributeLength(attribute.address());
      }
    }
    return new StunMessage(MessageType.BINDING_SUCCESS, request.transactionId(), attributes)
        .withFingerprint()
        .encode();
  }

  /** The bytes an address attribute takes: 12 for IPv4, 24 for IPv6. */
  static int addressAttributeLength(InetSocketAddress address) {
    return ATTRIBUTE_HEADER + Addresses.valueLength(address);
  }

  /**
   * An RFC 3489 header: the STUN type bits and a length that fits, but no magic cookie (those four
   * bytes are part of its 16-byte transaction id).
   */
  private static boolean isClassicStun(ByteBuffer bytes) {
    int length = bytes.remaining();
    return length >= StunMessage.HEADER_LENGTH
        && (bytes.getShort(0) & 0xC000) == 0
        && bytes.getInt(4) != StunMessage.MAGIC_COOKIE
        && (bytes.getShort(2) & 0xFFFF) == length - StunMessage.HEADER_LENGTH;
  }
}
