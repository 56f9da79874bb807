package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.server.transport.Transport;
import dev.parley.server.transport.TransportUnavailableException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code --transport}: the default's choice unless given, one of three names, and its failure. */
class TransportOptionTest {
  private static final ServerOption<?> TRANSPORT =
      ServerOptions.ALL.stream()
          .filter(option -> option.flag().equals("--transport"))
          .findFirst()
          .orElseThrow();

  @Test
  void noneIsAskedForByDefault() {
    assertThat(ServerConfig.defaults().transport()).isEmpty();
    assertThat(TRANSPORT.environmentVariable()).isEqualTo("PARLEY_TRANSPORT");
    assertThat(TRANSPORT.shownDefault()).contains("epoll");
  }

  @Test
  void aTransportIsChosenByItsName() {
    ServerConfigBuilder settings = ServerConfig.builder();
    TRANSPORT.apply(settings, "io_uring");

    ServerConfig config = settings.build();

    assertThat(config.transport()).contains(Transport.IO_URING);
    assertThat(config.toBuilder().build().transport()).contains(Transport.IO_URING);
  }

  @Test
  void anyOtherValueIsRefusedWithTheTransportsNamed() {
    for (String text : new String[] {"uring", "EPOLL", ""}) {
      assertThatThrownBy(() -> TRANSPORT.check(text))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("'" + text + "' is not a transport: nio, epoll or io_uring");
    }
  }

  @Test
  void aTransportThatCannotLoadIsExplainedInOneSentence() {
    ServerConfig config = ServerConfig.defaults().toBuilder().transport(Transport.EPOLL).build();
    var unavailable =
        new TransportUnavailableException(
            Transport.EPOLL,
            new UnsatisfiedLinkError("could not load a native library: netty_epoll"));

    assertThat(StartFailure.explain(unavailable, config))
        .isEqualTo(
            "the epoll transport cannot run here (could not load a native library:"
                + " netty_epoll); choose another with --transport, such as --transport nio.");
    assertThat(config.transport()).isEqualTo(Optional.of(Transport.EPOLL));
  }
}
