package dev.parley.app.doctor;

import dev.parley.stun.BindingResult;
import dev.parley.stun.StunClient;
import dev.parley.stun.StunErrorResponseException;
import dev.parley.stun.StunFormatException;
import dev.parley.stun.StunTimeoutException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The two STUN checks, on one UDP socket: the public address the server sees, then (RFC 5780's
 * mapping test, with the server's second port standing in for a second server) whether another
 * destination sees the same one.
 */
final class StunProbe {
  private final DatagramSocket socket;
  private final Duration timeout;

  /** {@code socket} is the caller's: both checks must go out from the same one. */
  StunProbe(DatagramSocket socket, Duration timeout) {
    this.socket = socket;
    this.timeout = timeout;
  }

  /** Asks {@code server} where this socket's datagrams come from. */
  StunCheck binding(InetSocketAddress server) {
    long start = System.nanoTime();
    try {
      BindingResult result = StunClient.binding(socket, server, timeout);
      return new StunCheck.Mapped(
          server,
          localAddressToward(server),
          result.mappedAddress(),
          Duration.ofNanos(System.nanoTime() - start),
          result.otherAddress());
    } catch (StunTimeoutException e) {
      return new StunCheck.NoAnswer(server, timeout);
    } catch (StunErrorResponseException | StunFormatException | UncheckedIOException e) {
      return new StunCheck.Failed(Addresses.text(server), e.getMessage());
    }
  }

  /**
   * Sends the second request to the server's other port, named by {@code /health} or else by the
   * first answer's OTHER-ADDRESS. Always to the host the user typed: OTHER-ADDRESS carries the
   * server's own address, which behind a port forward is a private one.
   */
  NatCheck mapping(StunCheck first, OptionalInt alternatePort) {
    if (!(first instanceof StunCheck.Mapped mapped)) {
      return new NatCheck.Unknown("no STUN answer to compare with");
    }
    OptionalInt port =
        alternatePort.isPresent()
            ? alternatePort
            : mapped.otherAddress().stream().mapToInt(InetSocketAddress::getPort).findFirst();
    if (port.isEmpty()) {
      return new NatCheck.Unknown(
          "the server has no second STUN port, so the mapping could not be checked");
    }
    InetSocketAddress other = new InetSocketAddress(mapped.server().getAddress(), port.getAsInt());
    return switch (binding(other)) {
      case StunCheck.Mapped second ->
          new NatCheck.Compared(
              other, mapped.publicAddress(), second.publicAddress(), mapped.behindNat());
      case StunCheck.NoAnswer noAnswer ->
          new NatCheck.Unknown(
              "the server's second STUN port ("
                  + Addresses.text(other)
                  + ") did not answer within "
                  + Addresses.text(timeout));
      case StunCheck.Failed failed ->
          new NatCheck.Unknown("the server's second STUN port failed: " + failed.why());
      case StunCheck.NotOffered notOffered -> new NatCheck.Unknown(notOffered.why());
    };
  }

  /**
   * This computer's address on the route to {@code server}: connecting a UDP socket sends nothing,
   * but makes the system choose the source address it would use.
   */
  private Optional<InetSocketAddress> localAddressToward(InetSocketAddress server) {
    try (DatagramSocket route = new DatagramSocket()) {
      route.connect(server);
      return Optional.of(new InetSocketAddress(route.getLocalAddress(), socket.getLocalPort()));
    } catch (SocketException | UncheckedIOException e) {
      return Optional.empty();
    }
  }
}
