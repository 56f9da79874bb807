package dev.parley.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

class RequestHostTest {
  private final EmbeddedChannel channel = new EmbeddedChannel();

  @Test
  void theHostHeaderLosesItsPort() {
    assertThat(RequestHost.of(request("chat.example.org:8443"), channel))
        .isEqualTo("chat.example.org");
    assertThat(RequestHost.of(request("203.0.113.10"), channel)).isEqualTo("203.0.113.10");
    assertThat(RequestHost.of(request("[2001:db8::7]:8080"), channel)).isEqualTo("[2001:db8::7]");
  }

  @Test
  void aHostThatIsNotANameOrAnAddressIsNeverUsed() {
    String fallback = RequestHost.of(request(null), channel);

    assertThat(RequestHost.of(request("evil.example/?x=1"), channel)).isEqualTo(fallback);
    assertThat(RequestHost.of(request("a b"), channel)).isEqualTo(fallback);
    assertThat(RequestHost.of(request("stun:x"), channel)).isEqualTo(fallback);
    assertThat(RequestHost.of(request(""), channel)).isEqualTo(fallback);
  }

  @Test
  void connectionsNamingTheSameHostShareOneStringAndAnotherHostIsItsOwn() {
    RequestHost.Recent hosts = new RequestHost.Recent();

    String first = hosts.of(request("chat.example.org:8443"), channel);
    String second = hosts.of(request("chat.example.org"), channel);
    String other = hosts.of(request("203.0.113.10"), channel);

    assertThat(second).isEqualTo("chat.example.org").isSameAs(first);
    assertThat(other).isEqualTo("203.0.113.10");
    assertThat(hosts.of(request("203.0.113.10:80"), channel)).isSameAs(other);
  }

  private static HttpRequest request(String host) {
    HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/ws");
    if (host != null) {
      request.headers().set(HttpHeaderNames.HOST, host);
    }
    return request;
  }
}
