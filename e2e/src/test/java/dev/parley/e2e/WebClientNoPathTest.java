package dev.parley.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.WebSocketRoute;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerConfig;
import dev.parley.server.ice.IceServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A link that cannot be made fails as soon as ICE says so, both sides say why in a sentence that
 * depends on what their ICE agent saw, and the message waits for the next try. The sentences are
 * checked one case at a time through the page's own module; the failure itself happens for real
 * between two Chromiums, whose candidates the test makes unreachable on their way through the
 * server (see {@link Unreachable}).
 */
@ExtendWith(ChromiumExtension.class)
@Timeout(180)
class WebClientNoPathTest {
  static {
    PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
  }

  private static final String NO_DIRECT =
      "No direct connection to bob was possible from these two networks";

  @TempDir Path data;

  @Test
  void theSentenceSaysWhyNoPathWasFoundFromWhatOurIceAgentSaw(Browsers browsers) {
    try (ParleyServer server = start(IceServers.none())) {
      Page page = browsers.open(url(server));
      String turn = "turn:relay.test:3478?transport=udp";

      assertThat(explain(page, false, List.of("host"), List.of()))
          .isEqualTo(NO_DIRECT + ", and this server offers no relay (TURN) to carry one.");
      assertThat(
              explain(
                  page, true, List.of("host", "relay"), List.of(error(turn, 401, "Unauthorized"))))
          .isEqualTo(NO_DIRECT + ", and not even the relay got through.");
      assertThat(explain(page, true, List.of("host"), List.of(error(turn, 401, "Unauthorized"))))
          .isEqualTo(
              NO_DIRECT
                  + ", and the relay refused our credentials ("
                  + turn
                  + " answered 401 Unauthorized).");
      assertThat(
              explain(
                  page,
                  true,
                  List.of("host", "srflx"),
                  List.of(error("turns:relay.test:5349", 403, "Forbidden"))))
          .isEqualTo(
              NO_DIRECT
                  + ", and the relay refused us (turns:relay.test:5349 answered 403 Forbidden).");
      assertThat(explain(page, true, List.of("host"), List.of(error(turn, 486, ""))))
          .isEqualTo(NO_DIRECT + ", and the relay refused us (" + turn + " answered 486).");
      assertThat(
              explain(
                  page,
                  true,
                  List.of("host"),
                  List.of(
                      error(turn, 701, "TURN allocate request timed out."),
                      error("stun:relay.test:3478", 400, "Bad Request"))))
          .isEqualTo(NO_DIRECT + ", and the relay did not answer.");
      assertThat(explain(page, true, List.of(), List.of()))
          .isEqualTo(NO_DIRECT + ", and the relay did not answer.");
    }
  }

  @Test
  void thePathIsReadFromTheSelectedCandidatePairAndNamedByItsKind(Browsers browsers) {
    try (ParleyServer server = start(IceServers.none())) {
      Page page = browsers.open(url(server));
      assertThat(
              path(
                  page,
                  candidate("srflx", "203.0.113.7", 5000, null),
                  candidate("prflx", null, 6000, null)))
          .isEqualTo("direct through NAT: srflx 203.0.113.7:5000 udp \u21c4 prflx ?:6000 udp");
      assertThat(
              path(
                  page,
                  candidate("host", "192.0.2.4", 5000, null),
                  candidate("host", "2001:db8::1", 6000, null)))
          .isEqualTo("direct: host 192.0.2.4:5000 udp \u21c4 host [2001:db8::1]:6000 udp");
      assertThat(
              path(
                  page,
                  candidate("relay", "198.51.100.9", 50000, "tls"),
                  candidate("host", "192.0.2.4", 6000, null)))
          .isEqualTo(
              "relayed: relay 198.51.100.9:50000 udp (relay over tls) \u21c4 host 192.0.2.4:6000 udp");
      assertThat(
              page.evaluate(
                  "async () => { const { refinePath, selectedPath } = await import('/js/ice.js');"
                      + " const report = new Map(["
                      + "  ['T', {type: 'transport', selectedCandidatePairId: 'P'}],"
                      + "  ['P', {type: 'candidate-pair', localCandidateId: 'L',"
                      + "   remoteCandidateId: 'R'}],"
                      + "  ['L', {type: 'local-candidate', candidateType: 'host',"
                      + "   address: '192.168.1.10', port: 5000, protocol: 'udp'}],"
                      + "  ['R', {type: 'remote-candidate', candidateType: 'prflx', port: 6000,"
                      + "   protocol: 'udp'}]]);"
                      + " return refinePath(selectedPath(report), [],"
                      + "  [{type: 'host', address: '192.168.1.20', port: 6000}]).text; }"))
          .as("a peer-reflexive end learned before the candidate's signal, on one LAN")
          .isEqualTo("direct: host 192.168.1.10:5000 udp \u21c4 host 192.168.1.20:6000 udp");
    }
  }

  @Test
  void theWaitBeforeTryingAgainDoublesFromOneSecondOrFromFifteenAfterNoPath(Browsers browsers) {
    try (ParleyServer server = start(IceServers.none())) {
      Page page = browsers.open(url(server));
      assertThat(waits(page, false)).containsExactly(1, 2, 4, 8, 16, 32, 60, 60);
      assertThat(waits(page, true)).containsExactly(15, 30, 60, 120, 240, 300, 300, 300);
    }
  }

  @Test
  void whenNoCandidatePairWorksBothSidesSayWhyAndTheMessageGoesOutOnTheNextTry(Browsers browsers)
      throws IOException {
    try (ParleyServer server = start(IceServers.none());
        Unreachable unreachable = new Unreachable()) {
      BrowserContext alicesBrowser = browsers.newContext();
      unreachable.route(alicesBrowser);
      WebChat alice = new WebChat(browsers.open(alicesBrowser, url(server))).signIn("alice");
      WebChat bob = new WebChat(browsers.open(url(server))).signIn("bob");

      alice.open("bob");
      alice.send("through a wall");
      String sentence = NO_DIRECT + ", and this server offers no relay (TURN) to carry one.";
      assertThat(alice.deliveryNote())
          .hasText(
              "Could not connect: " + sentence + " It stays queued; Parley tries again in a while.",
              textWithin(Duration.ofSeconds(40)));
      assertThat(alice.stateOf("through a wall")).hasAttribute("data-state", "queued");
      assertThat(alice.path()).isHidden();
      assertThat(browsers.console(alice.page())).anyMatch(line -> line.contains(sentence));
      // Bob's side failed too, by its own ICE agent or by alice's no_path hangup: either way its
      // own report explains it.
      bob.page()
          .waitForCondition(
              () ->
                  browsers.console(bob.page()).stream()
                      .anyMatch(
                          line ->
                              line.contains(
                                  "No direct connection to alice was possible from these two"
                                      + " networks, and this server offers no relay")));
      // ICE itself said 'failed' (not the 30 s safety net), and that side told the other.
      assertThat(
              Stream.concat(
                  browsers.console(alice.page()).stream(), browsers.console(bob.page()).stream()))
          .anyMatch(line -> line.contains("(no_path)"));
      browsers.screenshot(alice.page(), "web-no-path");
      alice.page().setViewportSize(390, 844);
      browsers.screenshot(alice.page(), "web-no-path-phone");

      unreachable.lift();
      assertThat(alice.stateOf("through a wall"))
          .hasAttribute("data-state", "delivered", attributeWithin(Duration.ofSeconds(60)));
      assertThat(alice.deliveryNote()).hasCount(0);
      assertThat(alice.path()).hasAttribute("data-kind", "direct");
      bob.open("alice");
      assertThat(bob.received("through a wall")).isVisible();
    }
  }

  @Test
  void aRelayThatDoesNotAnswerIsWhatTheSentenceBlames(Browsers browsers) throws IOException {
    int nothingListens;
    try (DatagramSocket probe =
        new DatagramSocket(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0))) {
      nothingListens = probe.getLocalPort();
    }
    IceServers deadRelay =
        new IceServers(
            List.of(),
            List.of("turn:127.0.0.1:" + nothingListens + "?transport=udp"),
            Optional.of("a secret no relay checks"),
            Duration.ofHours(1));
    try (ParleyServer server = start(deadRelay);
        Unreachable unreachable = new Unreachable()) {
      BrowserContext alicesBrowser = browsers.newContext();
      unreachable.route(alicesBrowser);
      WebChat alice = new WebChat(browsers.open(alicesBrowser, url(server))).signIn("alice");
      new WebChat(browsers.open(url(server))).signIn("bob");

      alice.open("bob");
      alice.send("nobody relays this");
      assertThat(alice.deliveryNote())
          .containsText(
              NO_DIRECT + ", and the relay did not answer.",
              new LocatorAssertions.ContainsTextOptions().setTimeout(40_000));
      assertThat(alice.stateOf("nobody relays this")).hasAttribute("data-state", "queued");
    }
  }

  /**
   * Passes one browser's WebSocket through the test and makes every candidate on it, both ways,
   * point at a UDP socket that never answers: each side's connectivity checks go nowhere, as
   * between two networks that drop what they did not ask for, so ICE really fails. The page's code
   * is untouched; {@link #lift()} lets the candidates through again.
   */
  private static final class Unreachable implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final DatagramSocket blackHole = new DatagramSocket(0);
    private final AtomicBoolean active = new AtomicBoolean(true);

    Unreachable() throws IOException {}

    void route(BrowserContext context) {
      context.routeWebSocket(
          Pattern.compile("/ws$"),
          page -> {
            WebSocketRoute server = page.connectToServer();
            page.onMessage(frame -> server.send(rewrite(frame.text())));
            server.onMessage(frame -> page.send(rewrite(frame.text())));
            page.onClose((code, reason) -> server.close());
            server.onClose((code, reason) -> page.close());
          });
    }

    void lift() {
      active.set(false);
    }

    private String rewrite(String text) {
      if (!active.get()) {
        return text;
      }
      try {
        ObjectNode frame = (ObjectNode) JSON.readTree(text);
        String type = frame.path("type").asText();
        if (!(frame.get("data") instanceof ObjectNode signal)) {
          return text;
        }
        if (type.equals("candidate")) {
          signal.put("candidate", unreachable(signal.path("candidate").asText()));
        } else if (type.equals("offer") || type.equals("answer")) {
          // Candidates gathered before the description was sent are in its SDP; the signature
          // covers only the fingerprint, so dropping them leaves it valid.
          signal.put(
              "sdp",
              Arrays.stream(signal.path("sdp").asText().split("\r\n"))
                      .filter(line -> !line.startsWith("a=candidate:"))
                      .collect(Collectors.joining("\r\n"))
                  + "\r\n");
        }
        return JSON.writeValueAsString(frame);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** The candidate at the black hole's port (its own address kept); a TCP one goes nowhere. */
    private String unreachable(String candidate) {
      String[] fields = candidate.split(" ");
      if (fields.length < 8 || !fields[2].equalsIgnoreCase("udp")) {
        return "";
      }
      fields[5] = String.valueOf(blackHole.getLocalPort());
      return String.join(" ", fields);
    }

    @Override
    public void close() {
      blackHole.close();
    }
  }

  private ParleyServer start(IceServers iceServers) {
    return ParleyServer.start(
        ServerConfig.defaults().withPort(0).withDataDirectory(data).withIceServers(iceServers));
  }

  private static String url(ParleyServer server) {
    return "http://127.0.0.1:" + server.port() + "/";
  }

  private static LocatorAssertions.HasTextOptions textWithin(Duration timeout) {
    return new LocatorAssertions.HasTextOptions().setTimeout((double) timeout.toMillis());
  }

  private static LocatorAssertions.HasAttributeOptions attributeWithin(Duration timeout) {
    return new LocatorAssertions.HasAttributeOptions().setTimeout((double) timeout.toMillis());
  }

  private static Map<String, Object> error(String url, int code, String text) {
    return Map.of("url", url, "code", code, "text", text);
  }

  private static String explain(
      Page page, boolean relayOffered, List<String> local, List<Map<String, Object>> errors) {
    return (String)
        page.evaluate(
            "async (report) => (await import('/js/ice.js')).explainNoPath('bob', report).message",
            Map.of("relayOffered", relayOffered, "local", local, "errors", errors));
  }

  private static Map<String, Object> candidate(
      String type, String address, int port, String relayProtocol) {
    var stats = new java.util.HashMap<String, Object>();
    stats.put("type", "local-candidate");
    stats.put("candidateType", type);
    stats.put("address", address);
    stats.put("port", port);
    stats.put("protocol", "udp");
    stats.put("relayProtocol", relayProtocol);
    return stats;
  }

  /** The text of the path a stats report with this selected pair describes. */
  private static String path(Page page, Map<String, Object> local, Map<String, Object> remote) {
    return (String)
        page.evaluate(
            "async ([local, remote]) => {"
                + " const report = new Map(["
                + "  ['T', {type: 'transport', selectedCandidatePairId: 'P'}],"
                + "  ['P', {type: 'candidate-pair', localCandidateId: 'L', remoteCandidateId: 'R'}],"
                + "  ['L', local], ['R', {...remote, type: 'remote-candidate'}]]);"
                + " return (await import('/js/ice.js')).selectedPath(report).text; }",
            List.of(local, remote));
  }

  /** The waits in seconds after 1, 2, ... 7 and 1000 failures in a row. */
  private static List<Integer> waits(Page page, boolean noPath) {
    List<?> seconds =
        (List<?>)
            page.evaluate(
                "async (noPath) => { const { reopenWait } = await import('/js/reopen.js');"
                    + " return [1, 2, 3, 4, 5, 6, 7, 1000].map((n) => reopenWait(n, noPath) / 1000);"
                    + " }",
                noPath);
    return seconds.stream().map(n -> ((Number) n).intValue()).toList();
  }
}
