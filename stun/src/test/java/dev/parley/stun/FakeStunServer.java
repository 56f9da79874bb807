package dev.parley.stun;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A UDP server on 127.0.0.1 for client tests: each datagram it receives goes to a behaviour, which
 * returns the datagrams to send back (none, one, strays first...).
 */
final class FakeStunServer implements AutoCloseable {
  /** What the server at {@code self} sends back for the {@code count}-th datagram (from 1). */
  interface Behaviour {
    List<byte[]> answer(byte[] request, InetSocketAddress from, InetSocketAddress self, int count);
  }

  private final DatagramSocket socket;
  private final AtomicInteger received = new AtomicInteger();
  private final Thread thread;

  FakeStunServer(Behaviour behaviour) throws SocketException {
    socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    thread = Thread.ofVirtual().start(() -> serve(behaviour));
  }

  /** A server that answers as Parley's does, with its port plus one as OTHER-ADDRESS. */
  static FakeStunServer parley() throws SocketException {
    return new FakeStunServer((request, from, self, count) -> parleyAnswer(request, from, self));
  }

  static List<byte[]> parleyAnswer(byte[] request, InetSocketAddress from, InetSocketAddress self) {
    InetSocketAddress other = new InetSocketAddress(self.getAddress(), self.getPort() + 1);
    return switch (new BindingResponder(self)
        .answer(request, request.length, from, Optional.of(other))) {
      case BindingAnswer.Respond respond -> List.of(respond.datagram());
      case BindingAnswer.Drop drop -> List.of();
    };
  }

  InetSocketAddress address() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  /** How many datagrams have arrived so far. */
  int received() {
    return received.get();
  }

  private void serve(Behaviour behaviour) {
    byte[] buffer = new byte[2048];
    while (!socket.isClosed()) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(packet);
        byte[] request = Arrays.copyOf(packet.getData(), packet.getLength());
        InetSocketAddress from = (InetSocketAddress) packet.getSocketAddress();
        for (byte[] answer :
            behaviour.answer(request, from, address(), received.incrementAndGet())) {
          socket.send(new DatagramPacket(answer, answer.length, from));
        }
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  @Override
  public void close() {
    socket.close();
    try {
      thread.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
