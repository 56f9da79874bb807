package dev.parley.app.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the doctor says when the STUN port {@code /health} names stays silent, as it does where UDP
 * is blocked: a stand-in server on 127.0.0.1 whose health names a UDP socket that never answers.
 */
@Timeout(30)
class DoctorSilentStunTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final Duration TIMEOUT = Duration.ofMillis(800);

  private DatagramSocket silent;
  private HttpServer http;

  @BeforeEach
  void start() throws IOException {
    silent = new DatagramSocket(0, LOOPBACK);
    int port = silent.getLocalPort();
    byte[] health =
        ("{\"status\":\"ok\",\"stun\":{\"state\":\"listening\",\"port\":"
                + port
                + ",\"alternatePort\":"
                + (port + 1)
                + "},\"turn\":{\"state\":\"off\"}}")
            .getBytes(StandardCharsets.UTF_8);
    http = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
    http.createContext(
        "/health",
        exchange -> {
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, health.length);
          exchange.getResponseBody().write(health);
          exchange.close();
        });
    http.start();
  }

  @AfterEach
  void stop() {
    http.stop(0);
    silent.close();
  }

  @Test
  void aSilentStunPortReadsAsUdpBlockedAndTheMappingAsUnknown() {
    String address = "127.0.0.1:" + http.getAddress().getPort();
    Checkup checkup =
        Doctor.run(
            new Doctor.Target(
                address, URI.create("ws://" + address + "/ws"), Optional.empty(), TIMEOUT));

    assertThat(checkup.stun().describe())
        .isEqualTo(
            "no answer from 127.0.0.1:"
                + silent.getLocalPort()
                + " within 800 ms: UDP to the server seems blocked on this network (or the server"
                + " answers no STUN)");
    assertThat(checkup.nat().mapping()).isEqualTo(NatCheck.Mapping.UNKNOWN);
    assertThat(checkup.relay()).isEqualTo(new RelayCheck.NotOffered());
    assertThat(checkup.webSocket()).isInstanceOf(WebSocketCheck.Failed.class);
    assertThat(checkup.facts())
        .isEqualTo(
            new Verdict.Facts(
                false, Verdict.Udp.BLOCKED, NatCheck.Mapping.UNKNOWN, Verdict.Relay.NONE));
  }
}
