package dev.parley.client;

import static dev.parley.client.PeerLinkIntegrationTest.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.client.chat.Messenger;
import dev.parley.client.link.LinkRefusedException;
import dev.parley.protocol.Json;
import dev.parley.protocol.UserName;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A relay that swaps the DTLS fingerprint in an offer (as a man in the middle would, to put its own
 * certificate there) is caught by the fingerprint signature, and the link is refused.
 */
@Timeout(60)
class HostileRelayIntegrationTest {
  /** A SHA-256 fingerprint of a certificate that is not alice's. */
  private static final String FORGED = "a=fingerprint:sha-256 " + "AB:".repeat(31) + "AB";

  @TempDir Path data;
  private final AtomicInteger tampered = new AtomicInteger();
  private TestBed bed;
  private TamperingProxy proxy;

  @BeforeEach
  void start() {
    bed = new TestBed(data);
    proxy = new TamperingProxy(bed.ws(), this::forgeFingerprint);
  }

  @AfterEach
  void stop() {
    bed.close();
    proxy.close();
  }

  @Test
  void anOfferWithAnAlteredFingerprintIsRefused() {
    TestBed.Peer alice = bed.login("alice");
    TestBed.Peer bob = bed.login("bob", proxy.ws(), Messenger.Options.DEFAULTS);
    Recorder.next(alice.events().joined);

    assertThatThrownBy(() -> await(alice.client().link(new UserName("bob"))))
        .hasCauseInstanceOf(LinkRefusedException.class)
        .hasMessageContaining("bob hung up: bad_fingerprint");

    assertThat(tampered).hasValue(1);
    assertThat(Recorder.next(bob.events().problems))
        .contains("not signed by the identity key pinned for alice");
    assertThat(bob.events().linkOpened).isEmpty();
    assertThat(alice.events().linkOpened).isEmpty();
  }

  private String forgeFingerprint(String frame) {
    JsonNode message = Json.parse(frame);
    if (!message.path("type").asText().equals("offer")) {
      return frame;
    }
    ObjectNode data = (ObjectNode) message.get("data");
    data.put("sdp", data.get("sdp").asText().replaceAll("a=fingerprint:[^\\r\\n]*", FORGED));
    tampered.incrementAndGet();
    return message.toString();
  }
}
