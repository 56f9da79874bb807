package dev.parley.server.stun;

import dev.parley.server.limits.SourceRates;
import dev.parley.server.metrics.Metrics;
import dev.parley.stun.BindingAnswer;
import dev.parley.stun.BindingResponder;
import dev.parley.stun.StunClient;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's STUN responder: Binding requests on UDP, answered by {@link BindingResponder}'s
 * rules, at most {@link #PER_SECOND} a second per source address. Its port and the next one (for
 * {@code parley doctor}'s check of how a NAT maps ports) on every address of the host.
 */
public final class StunService implements AutoCloseable {
  /** Answers a second per source address, sustained; enough for many ICE agents behind one NAT. */
  static final double PER_SECOND = 20;

  static final int BURST = 60;
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
  private static final Logger log = LoggerFactory.getLogger(StunService.class);

  /**
   * What the server does about STUN; clients are told a port in the first two cases. The server's
   * start-up message says which it is.
   */
  public sealed interface State {
    /** Our responder answers on {@code port}, and on {@code alternatePort} for NAT checks. */
    record Listening(int port, OptionalInt alternatePort) implements State {}

    /** The port was taken, by a server that answers STUN (coturn, most likely). */
    record Elsewhere(int port) implements State {}

    /** The port was taken by something that does not answer STUN: clients get no STUN from us. */
    record Unavailable(int port, String why) implements State {}

    /** The operator switched it off. */
    record Off() implements State {}
  }

  private final State state;
  private final List<DatagramChannel> channels;
  private final Metrics metrics;
  private final SourceRates<InetAddress> limits = new SourceRates<>(PER_SECOND, BURST);
  private final List<Thread> threads = new ArrayList<>();

  private StunService(State state, List<DatagramChannel> channels, Metrics metrics) {
    this.state = state;
    this.channels = channels;
    this.metrics = metrics;
  }

  /**
   * Starts answering on {@code host} as {@code settings} say, or explains why not.
   *
   * @throws StunPortTakenException if the operator asked for a port that cannot be had
   */
  public static StunService start(String host, Optional<StunSettings> settings, Metrics metrics) {
    if (settings.isEmpty()) {
      return new StunService(new State.Off(), List.of(), metrics);
    }
    StunSettings wanted = settings.get();
    List<InetAddress> addresses;
    List<DatagramChannel> main;
    try {
      addresses = StunSockets.addresses(host);
      main = StunSockets.bind(addresses, wanted.port());
    } catch (IOException e) {
      if (wanted.required()) {
        throw new StunPortTakenException(
            "cannot answer STUN on UDP "
                + host
                + ":"
                + wanted.port()
                + " ("
                + e.getMessage()
                + "); is another server using it? Choose another --stun-port, or 'off'",
            e);
      }
      return new StunService(taken(host, wanted.port(), e), List.of(), metrics);
    }
    int port = ((InetSocketAddress) localAddress(main.get(0))).getPort();
    List<DatagramChannel> all = new ArrayList<>(main);
    OptionalInt alternate = OptionalInt.empty();
    if (port < 65535) {
      try {
        all.addAll(StunSockets.bind(addresses, port + 1));
        alternate = OptionalInt.of(port + 1);
      } catch (IOException e) {
        log.debug("STUN: port {} is taken, so no NAT mapping checks", port + 1);
      }
    }
    StunService service = new StunService(new State.Listening(port, alternate), all, metrics);
    service.serve();
    return service;
  }

  /** The port was taken: tell apart a STUN server there (which clients may use) from the rest. */
  private static State taken(String host, int port, IOException why) {
    try (DatagramSocket socket = new DatagramSocket()) {
      InetAddress target = InetAddress.getByName(host);
      if (target.isAnyLocalAddress()) {
        target = InetAddress.getLoopbackAddress();
      }
      StunClient.binding(socket, new InetSocketAddress(target, port), PROBE_TIMEOUT);
      return new State.Elsewhere(port);
    } catch (IOException | RuntimeException e) {
      return new State.Unavailable(port, String.valueOf(why.getMessage()));
    }
  }

  public State state() {
    return state;
  }

  /** The port clients are told to send Binding requests to, if any. */
  public OptionalInt clientPort() {
    return switch (state) {
      case State.Listening listening -> OptionalInt.of(listening.port());
      case State.Elsewhere elsewhere -> OptionalInt.of(elsewhere.port());
      case State.Unavailable unavailable -> OptionalInt.empty();
      case State.Off off -> OptionalInt.empty();
    };
  }

  private void serve() {
    for (DatagramChannel channel : channels) {
      threads.add(
          Thread.ofVirtual().name("stun-" + localAddress(channel)).start(() -> loop(channel)));
    }
  }

  private void loop(DatagramChannel channel) {
    InetSocketAddress local = (InetSocketAddress) localAddress(channel);
    BindingResponder responder = new BindingResponder(local);
    ByteBuffer in = ByteBuffer.allocate(1500);
    byte[] datagram = new byte[1500];
    while (channel.isOpen()) {
      try {
        in.clear();
        if (!(channel.receive(in) instanceof InetSocketAddress from)) {
          continue;
        }
        in.flip();
        int length = in.remaining();
        in.get(datagram, 0, length);
        if (!limits.tryAcquire(from.getAddress(), System.nanoTime())) {
          metrics.stunRateLimited();
          continue;
        }
        switch (responder.answer(datagram, length, from, otherAddress(local))) {
          case BindingAnswer.Respond respond -> {
            channel.send(ByteBuffer.wrap(respond.datagram()), from);
            metrics.stunAnswered();
          }
          case BindingAnswer.Drop drop -> metrics.stunDropped(drop.reason());
        }
      } catch (AsynchronousCloseException e) {
        return;
      } catch (IOException e) {
        // An ICMP error for an earlier answer, say: one client's problem, not the responder's.
        log.debug("STUN on {}: {}", local, e.getMessage());
      }
    }
  }

  /** The same address's other port, for RFC 5780's mapping test. */
  private Optional<InetSocketAddress> otherAddress(InetSocketAddress local) {
    if (!(state instanceof State.Listening listening) || listening.alternatePort().isEmpty()) {
      return Optional.empty();
    }
    int other =
        local.getPort() == listening.port()
            ? listening.alternatePort().getAsInt()
            : listening.port();
    return Optional.of(new InetSocketAddress(local.getAddress(), other));
  }

  private static java.net.SocketAddress localAddress(DatagramChannel channel) {
    try {
      return channel.getLocalAddress();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    StunSockets.closeAll(channels);
    for (Thread thread : threads) {
      try {
        thread.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
