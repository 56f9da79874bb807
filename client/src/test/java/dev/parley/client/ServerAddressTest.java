package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class ServerAddressTest {

  @Test
  void takesAddressesAsPeopleTypeThem() {
    assertThat(ServerAddress.parse("localhost:8080"))
        .isEqualTo(URI.create("ws://localhost:8080/ws"));
    assertThat(ServerAddress.parse("localhost")).isEqualTo(URI.create("ws://localhost:8080/ws"));
    assertThat(ServerAddress.parse(" 192.168.1.20:9000 "))
        .isEqualTo(URI.create("ws://192.168.1.20:9000/ws"));
    assertThat(ServerAddress.parse("http://chat.example:8080"))
        .isEqualTo(URI.create("ws://chat.example:8080/ws"));
    assertThat(ServerAddress.parse("https://chat.example"))
        .isEqualTo(URI.create("wss://chat.example:443/ws"));
    assertThat(ServerAddress.parse("HTTPS://chat.example/"))
        .isEqualTo(URI.create("wss://chat.example:443/ws"));
    assertThat(ServerAddress.parse("wss://chat.example/parley/ws"))
        .isEqualTo(URI.create("wss://chat.example:443/parley/ws"));
    assertThat(ServerAddress.parse("[::1]:8080")).isEqualTo(URI.create("ws://[::1]:8080/ws"));
  }

  @Test
  void refusesWhatIsNotAnAddressInOneSentence() {
    assertThatThrownBy(() -> ServerAddress.parse("")).hasMessage("the server address is empty");
    assertThatThrownBy(() -> ServerAddress.parse("ftp://host"))
        .hasMessageContaining("use http, https, ws or wss");
    assertThatThrownBy(() -> ServerAddress.parse("http://"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ServerAddress.parse("a b:80"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
