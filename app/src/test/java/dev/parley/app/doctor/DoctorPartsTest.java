package dev.parley.app.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.IceServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The doctor's small decisions: where /health is, what it says, where STUN requests go. */
class DoctorPartsTest {
  private static final Duration SECOND = Duration.ofSeconds(1);

  @Test
  void healthIsNextToTheWebSocketEndpoint() {
    assertThat(ServerProbe.healthUrl(URI.create("ws://127.0.0.1:8080/ws")))
        .isEqualTo(URI.create("http://127.0.0.1:8080/health"));
    assertThat(ServerProbe.healthUrl(URI.create("wss://example.org:443/parley/ws")))
        .isEqualTo(URI.create("https://example.org:443/parley/health"));
    assertThat(ServerProbe.healthUrl(URI.create("ws://[::1]:8080/ws")))
        .isEqualTo(URI.create("http://[::1]:8080/health"));
  }

  @Test
  void healthNamesTheStunPortsAndTheRelayState() {
    Health health =
        Health.parse(
            "{\"status\":\"ok\",\"stun\":{\"state\":\"listening\",\"port\":3478,"
                + "\"alternatePort\":3479},\"turn\":{\"state\":\"ok\",\"urls\":[]}}");

    assertThat(health.status()).contains("ok");
    assertThat(health.stun())
        .contains(new Health.Stun("listening", OptionalInt.of(3478), OptionalInt.of(3479)));
    assertThat(health.turnState()).contains("ok");
  }

  @Test
  void whatIsNotParleysHealthSaysNothing() {
    assertThat(Health.parse("<html>Welcome to nginx</html>")).isEqualTo(Health.none());
    assertThat(Health.parse("[1,2]")).isEqualTo(Health.none());
  }

  @Test
  void stunGoesToTheTypedHostAtThePortHealthNames() {
    Health health =
        Health.parse("{\"stun\":{\"state\":\"listening\",\"port\":3478,\"alternatePort\":3479}}");

    assertThat(StunTarget.of(health, new Login.NoName(), "chat.example.org"))
        .isEqualTo(new StunTarget.At("chat.example.org", 3478, OptionalInt.of(3479)));
  }

  @Test
  void anotherStunServerOnThePortHasNoSecondPort() {
    Health health = Health.parse("{\"stun\":{\"state\":\"elsewhere\",\"port\":3478}}");

    assertThat(StunTarget.of(health, new Login.NoName(), "h"))
        .isEqualTo(new StunTarget.At("h", 3478, OptionalInt.empty()));
  }

  @Test
  void withoutStunInHealthTheWelcomesStunUrlIsUsed() {
    Login welcomed =
        new Login.Welcomed(
            List.of(
                IceServer.withoutCredentials(List.of("stun:chat.example.org:3478")),
                new IceServer(List.of("turn:chat.example.org:3478"), "u", "p")));

    assertThat(StunTarget.of(Health.none(), welcomed, "chat.example.org"))
        .isEqualTo(new StunTarget.At("chat.example.org", 3478, OptionalInt.empty()));
  }

  @Test
  void aServerWithoutStunIsSaidToHaveNone() {
    assertThat(
            StunTarget.of(Health.parse("{\"stun\":{\"state\":\"off\"}}"), new Login.NoName(), "h"))
        .isEqualTo(new StunTarget.Nowhere("the server's STUN responder is switched off"));
    assertThat(
            StunTarget.of(
                Health.parse("{\"stun\":{\"state\":\"unavailable\",\"port\":3478}}"),
                new Login.Welcomed(List.of()),
                "h"))
        .isEqualTo(
            new StunTarget.Nowhere(
                "the server's STUN port 3478 is taken by something that answers no STUN, and its"
                    + " welcome names no STUN server"));
  }

  @Test
  void withoutANameTheServersOwnTurnCheckSaysWhetherThereIsARelay() {
    Health off = Health.parse("{\"turn\":{\"state\":\"off\"}}");
    Health ok = Health.parse("{\"turn\":{\"state\":\"ok\"}}");

    assertThat(RelayProbe.check(new Login.NoName(), off, SECOND, SECOND))
        .isEqualTo(new RelayCheck.NotOffered());
    assertThat(RelayProbe.check(new Login.NoName(), ok, SECOND, SECOND))
        .isInstanceOfSatisfying(
            RelayCheck.NotChecked.class,
            notChecked ->
                assertThat(notChecked.why())
                    .startsWith("this server offers a relay (its own check: ok); add --name NAME"));
  }
}
