package dev.parley.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.stun.TurnUrl.Scheme;
import dev.parley.stun.TurnUrl.Transport;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TurnUrlTest {
  @Test
  void aTurnUrlWithoutPortOrTransportGetsTheDefaultPortAndNoTransport() {
    TurnUrl url = TurnUrl.parse("turn:turn.example.org");

    assertThat(url).isEqualTo(new TurnUrl(Scheme.TURN, "turn.example.org", 3478, Optional.empty()));
    assertThat(url.effectiveTransport()).isEqualTo(Transport.UDP);
  }

  @Test
  void aTurnsUrlDefaultsTo5349OverTcp() {
    TurnUrl url = TurnUrl.parse("turns:192.0.2.1");

    assertThat(url.port()).isEqualTo(5349);
    assertThat(url.effectiveTransport()).isEqualTo(Transport.TCP);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "turn:127.0.0.1:3478?transport=udp | turn:127.0.0.1:3478?transport=udp",
        "TURN:Example.ORG:80?transport=TCP | turn:example.org:80?transport=tcp",
        "turn:[::1]:3478                   | turn:[::1]:3478",
        "turns:[2001:DB8::1]               | turns:[2001:db8::1]:5349",
        "turns:host_1.example:443?transport=tcp | turns:host_1.example:443?transport=tcp",
        "turn:localhost                    | turn:localhost:3478",
      })
  void theCanonicalFormIsLowerCaseWithThePortWritten(String given, String canonical) {
    TurnUrl url = TurnUrl.parse(given);

    assertThat(url).hasToString(canonical);
    assertThat(TurnUrl.parse(url.toString())).isEqualTo(url);
  }

  @Test
  void aUrlBuiltFromPartsChecksItsHostToo() {
    assertThatThrownBy(() -> new TurnUrl(Scheme.TURN, "not a host", 3478, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a host name");
    assertThat(new TurnUrl(Scheme.TURNS, "::1", 443, Optional.empty()))
        .hasToString("turns:[::1]:443");
  }

  @Test
  void aTurnUrlWithoutTransportExpandsToUdpAndTcp() {
    assertThat(TurnUrl.parse("turn:127.0.0.1").expand())
        .extracting(TurnUrl::toString)
        .containsExactly("turn:127.0.0.1:3478?transport=udp", "turn:127.0.0.1:3478?transport=tcp");
  }

  @Test
  void urlsWithATransportAndTurnsUrlsExpandToThemselves() {
    TurnUrl tcp = TurnUrl.parse("turn:127.0.0.1?transport=tcp");
    TurnUrl tls = TurnUrl.parse("turns:127.0.0.1");

    assertThat(tcp.expand()).containsExactly(tcp);
    assertThat(tls.expand()).containsExactly(tls);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "stun:127.0.0.1                   | the scheme must be turn: or turns:",
        "turn://127.0.0.1:3478            | has no '//'",
        "turn:                            | no host",
        "turn:127.0.0.1:0                 | from 1 to 65535",
        "turn:127.0.0.1:65536             | from 1 to 65535",
        "turn:127.0.0.1:                  | from 1 to 65535",
        "turn:127.0.0.1:34x               | from 1 to 65535",
        "turn:127.0.0.1?transport=sctp    | transport=udp or transport=tcp",
        "turn:127.0.0.1?foo=bar           | transport=udp or transport=tcp",
        "turns:127.0.0.1?transport=udp    | transport=udp (DTLS) is not supported",
        "turn:::1                         | an IPv6 address needs brackets",
        "turn:2001:db8::1                 | an IPv6 address needs brackets",
        "turn:[::1                        | expected turn:host",
        "turn:[zz::1]                     | is not an IPv6 address",
        "turn:[1.2.3.4]                   | is not an IPv6 address",
        "turn:256.1.1.1                   | is not an IPv4 address",
        "turn:1.2.3                       | is not an IPv4 address",
        "turn:user@example.org            | is not a host name",
        "turn:-bad.example                | is not a host name",
        "turn:a..b                        | is not a host name",
      })
  void malformedUrlsAreRefusedSayingWhy(String url, String why) {
    assertThatThrownBy(() -> TurnUrl.parse(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid TURN URL '" + url + "'")
        .hasMessageContaining(why);
  }
}
