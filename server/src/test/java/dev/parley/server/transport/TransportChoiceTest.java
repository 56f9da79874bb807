package dev.parley.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileNotFoundException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which transport runs: epoll by default, NIO where it cannot load, and what was asked for. */
class TransportChoiceTest {
  private static Optional<Throwable> allLoad(Transport transport) {
    return Optional.empty();
  }

  /** As Netty reports a native library missing from the class path. */
  private static Optional<Throwable> onlyNio(Transport transport) {
    return transport == Transport.NIO
        ? Optional.empty()
        : Optional.of(
            new UnsatisfiedLinkError("could not load a native library: netty_" + transport)
                .initCause(new FileNotFoundException("META-INF/native/libnetty_" + transport)));
  }

  @Test
  void byDefaultEpollRunsWhereItLoads() {
    TransportChoice choice = TransportChoice.of(Optional.empty(), TransportChoiceTest::allLoad);

    assertThat(choice.transport()).isEqualTo(Transport.EPOLL);
    assertThat(choice.asked()).isFalse();
    assertThat(choice.fallback()).isEmpty();
  }

  @Test
  void byDefaultNioRunsWhereEpollCannotLoadAndSaysWhy() {
    TransportChoice choice = TransportChoice.of(Optional.empty(), TransportChoiceTest::onlyNio);

    assertThat(choice.transport()).isEqualTo(Transport.NIO);
    assertThat(choice.fallback())
        .contains("could not load a native library: netty_epoll: META-INF/native/libnetty_epoll");
  }

  @Test
  void aTransportAskedForRunsWhenItLoads() {
    for (Transport transport : Transport.values()) {
      TransportChoice choice =
          TransportChoice.of(Optional.of(transport), TransportChoiceTest::allLoad);

      assertThat(choice.transport()).isEqualTo(transport);
      assertThat(choice.asked()).isTrue();
    }
  }

  @Test
  void aTransportAskedForThatCannotLoadStopsTheStartSayingWhatToDo() {
    assertThatThrownBy(
            () -> TransportChoice.of(Optional.of(Transport.IO_URING), TransportChoiceTest::onlyNio))
        .isInstanceOf(TransportUnavailableException.class)
        .hasMessage(
            "the io_uring transport cannot run here (could not load a native library:"
                + " netty_io_uring: META-INF/native/libnetty_io_uring); choose another with"
                + " --transport, such as --transport nio");
    assertThat(
            TransportChoice.of(Optional.of(Transport.NIO), TransportChoiceTest::onlyNio)
                .transport())
        .isEqualTo(Transport.NIO);
  }

  @Test
  void aReasonWithoutAnotherCauseIsItsOwnMessage() {
    assertThat(
            TransportChoice.reason(
                new UnsupportedOperationException("Native transport was explicit disabled")))
        .isEqualTo("Native transport was explicit disabled");
  }

  @Test
  void theOptionTakesEachTransportByItsNameOnly() {
    for (Transport transport : Transport.values()) {
      assertThat(Transport.named(transport.toString())).contains(transport);
    }
    assertThat(Transport.named("io-uring")).isEmpty();
    assertThat(Transport.named("EPOLL")).isEmpty();
  }
}
