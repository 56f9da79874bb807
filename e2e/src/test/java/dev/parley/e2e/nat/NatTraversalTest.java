package dev.parley.e2e.nat;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import dev.parley.app.cli.ExitCode;
import dev.parley.e2e.Chromium;
import dev.parley.testkit.net.Host;
import dev.parley.testkit.net.LabProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Parley across NATs, as people meet it: the real server and coturn on public hosts, real Java
 * clients and Chromium behind home routers (endpoint-independent NAT with a firewall), symmetric
 * NATs (a new port per destination, as many mobile networks) and a network that lets no UDP out.
 * Every case asserts the message arrived and the path the link took, or how the failure explained
 * itself. The lab is built once; each case uses its own names.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
class NatTraversalTest {
  private static final int DEFAULTS = 8080;
  private static final int RELAYED = 8081;
  private static final int WRONG_SECRET = 8082;
  private static final Duration LINE = Duration.ofSeconds(60);
  private static final Pattern TIME = Pattern.compile("^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) .*");

  private NatLab nat;
  private LabProcess defaults;
  private LabProcess relayed;
  private LabProcess wrongSecret;

  @BeforeAll
  void buildTheInternet() {
    nat = NatLab.create(Path.of("target", "nat-logs").toAbsolutePath());
    // The server as `./parley server` starts it, only listening beyond loopback: no STUN, TURN or
    // other option. Its own STUN responder is what makes home routers work.
    defaults = nat.startServer("server-defaults", DEFAULTS);
    relayed =
        nat.startServer(
            "server-relayed",
            RELAYED,
            concat(List.of("--stun-port", "3490"), nat.turnOptions(nat.coturn.secret())));
    wrongSecret =
        nat.startServer(
            "server-wrong-secret",
            WRONG_SECRET,
            concat(List.of("--stun-port", "off"), nat.turnOptions("not-the-secret")));
  }

  @AfterAll
  void tearDown() {
    if (nat != null) {
      nat.close();
    }
  }

  @Test
  void twoHomeRoutersTalkDirectlyWithTheServersDefaults() {
    assertThat(defaults.output())
        .anyMatch(line -> line.startsWith("STUN: answering on UDP port 3478"))
        .anyMatch(line -> line.startsWith("No relay (TURN) is configured"));
    LabProcess bob = receive(nat.homeB.host(), DEFAULTS, "bob");

    LabProcess alice =
        nat.client(nat.homeA.host(), DEFAULTS, "alice", "send", "--to", "bob", "hello home");

    assertThat(alice.awaitExit(LINE)).as(String.join("\n", alice.output())).isEqualTo(0);
    assertThat(alice.output()).contains("Delivered to bob (direct through NAT).");
    bob.awaitLine(line -> line.contains("\"text\":\"hello home\""), LINE);
    String link = bob.awaitLine(line -> line.contains("\"type\":\"link\""), LINE);
    assertThat(link).contains("\"path\":\"nat\"").contains("srflx").doesNotContain("relay");
    bob.close();
  }

  @Test
  void aBrowserBehindAHomeRouterTalksDirectlyToAJavaClientBehindAnother() {
    LabProcess frank = receive(nat.homeB.host(), DEFAULTS, "frank");
    Page erin = signIn(nat.browser(nat.homeA.host()), DEFAULTS, "erin");

    write(erin, "frank", "hello from a browser at home");

    frank.awaitLine(line -> line.contains("hello from a browser at home"), LINE);
    assertThat(pathBadge(erin)).hasAttribute("data-kind", "nat", slow());
    frank.close();
  }

  @Test
  void symmetricNatsTalkThroughTheRelayJavaToJava() {
    assertThat(relayed.awaitLine(line -> line.contains("TURN self-check: "), LINE))
        .contains("accepted the credentials this server mints");
    LabProcess dave = receive(nat.strictD.host(), RELAYED, "dave");

    LabProcess carol =
        nat.client(nat.strictC.host(), RELAYED, "carol", "send", "--to", "dave", "via the relay");

    assertThat(carol.awaitExit(LINE)).as(String.join("\n", carol.output())).isEqualTo(0);
    assertThat(carol.output()).contains("Delivered to dave (relayed).");
    String link = dave.awaitLine(line -> line.contains("\"type\":\"link\""), LINE);
    assertThat(link).contains("\"path\":\"relay\"");
    dave.close();
  }

  @Test
  void symmetricNatsTalkThroughTheRelayBrowserToJavaAndBrowserToBrowser() {
    LabProcess hank = receive(nat.strictD.host(), RELAYED, "hank");
    Page grace = signIn(nat.browser(nat.strictC.host()), RELAYED, "grace");
    Page ivan = signIn(nat.browser(nat.strictD.host()), RELAYED, "ivan");

    write(grace, "hank", "browser to java, relayed");
    hank.awaitLine(line -> line.contains("browser to java, relayed"), LINE);
    assertThat(pathBadge(grace)).hasAttribute("data-kind", "relayed", slow());

    ivan.locator(".person[data-peer=\"grace\"]").click();
    write(grace, "ivan", "browser to browser, relayed");
    assertThat(
            ivan.locator(".message.in .bubble")
                .filter(new Locator.FilterOptions().setHasText("browser to browser, relayed")))
        .isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout((double) LINE.toMillis()));
    assertThat(pathBadge(grace)).hasAttribute("data-kind", "relayed", slow());
    assertThat(pathBadge(ivan)).hasAttribute("data-kind", "relayed", slow());
    grace.screenshot(
        new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", "nat-relayed.png")));
    hank.close();
  }

  @Test
  void aNetworkThatLetsNoUdpOutIsRelayedOverTcp() {
    LabProcess judy = receive(nat.noUdpE.host(), RELAYED, "judy");

    LabProcess kim =
        nat.client(nat.strictD.host(), RELAYED, "kim", "send", "--to", "judy", "over tcp");

    assertThat(kim.awaitExit(LINE)).as(String.join("\n", kim.output())).isEqualTo(0);
    assertThat(kim.output()).contains("Delivered to judy (relayed).");
    String link = judy.awaitLine(line -> line.contains("\"type\":\"link\""), LINE);
    assertThat(link).contains("\"path\":\"relay\"").contains("(relay over tcp)");
    judy.close();
  }

  @Test
  void symmetricNatsWithNoRelayFailWithinTwentySecondsAndSaySo() {
    LabProcess mike = receive(nat.strictD.host(), DEFAULTS, "mike");

    LabProcess lena =
        nat.client(nat.strictC.host(), DEFAULTS, "lena", "send", "--to", "mike", "anyone there?");

    assertThat(lena.awaitExit(LINE)).isEqualTo(ExitCode.NO_PATH);
    assertThat(lena.output())
        .contains(
            "Not delivered: No direct connection to mike was possible from these two networks,"
                + " and this server offers no relay (TURN) to carry one. The message stays in"
                + " your outbox.");
    Duration failedAfter =
        between(
            lena.awaitLine(line -> line.contains("offering a link to mike"), LINE),
            lena.awaitLine(line -> line.contains("no path to mike"), LINE));
    assertThat(failedAfter).isLessThan(Duration.ofSeconds(20));
    mike.awaitLine(line -> line.contains("No direct connection to lena was possible"), LINE);
    mike.close();
  }

  @Test
  void aWrongTurnSecretIsReportedWhenTheServerStarts() {
    String failed = wrongSecret.awaitLine(line -> line.contains("TURN self-check FAILED"), LINE);

    assertThat(failed)
        .contains("turn:" + NatLab.RELAY_ADDRESS + ":" + nat.coturn.port())
        .contains("refused the credentials this server mints (401")
        .contains("--turn-secret must be coturn's static-auth-secret");
  }

  @Test
  void theDoctorTellsAHomeRouterFromASymmetricNat() throws Exception {
    JsonNode home = doctor(nat.homeA.host(), DEFAULTS, "nina");
    JsonNode strict = doctor(nat.strictC.host(), RELAYED, "omar");

    assertThat(home.at("/stun/publicAddress").asText()).startsWith(nat.homeA.publicAddress() + ":");
    assertThat(home.at("/nat/mapping").asText()).isEqualTo("endpoint-independent");
    assertThat(home.at("/verdict/relay").asText()).isEqualTo("none");
    assertThat(home.at("/verdict/text").asText())
        .startsWith("Direct connections will work with most peers")
        .contains("this server has none");
    assertThat(strict.at("/nat/mapping").asText()).isEqualTo("per-destination");
    assertThat(strict.at("/verdict/relay").asText()).isEqualTo("works");
    assertThat(strict.at("/verdict/text").asText())
        .startsWith("Your network maps ports per destination")
        .contains("this server has one that works");
  }

  private JsonNode doctor(Host host, int port, String name) throws Exception {
    LabProcess doctor = nat.client(host, port, name, "doctor", "--json");
    assertThat(doctor.awaitExit(LINE)).as(String.join("\n", doctor.output())).isEqualTo(0);
    List<String> lines = doctor.output();
    int start = lines.indexOf(doctor.awaitLine(line -> line.startsWith("{"), LINE));
    return new ObjectMapper().readTree(String.join("\n", lines.subList(start, lines.size())));
  }

  private LabProcess receive(Host host, int port, String name) {
    LabProcess receiver = nat.client(host, port, name, "receive", "--json");
    receiver.awaitLine(line -> line.contains("online as " + name), LINE);
    return receiver;
  }

  private static Page signIn(Chromium chromium, int port, String name) {
    BrowserContext context = chromium.newContext();
    Page page = context.newPage();
    page.navigate("http://" + NatLab.SERVER_ADDRESS + ":" + port + "/");
    page.getByLabel("Your name").fill(name);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    assertThat(page.locator("#connection")).hasAttribute("data-state", "online", slow());
    return page;
  }

  /** Opens the conversation with {@code peer} (who is online) and sends {@code text}. */
  private static void write(Page page, String peer, String text) {
    page.locator(".person[data-peer=\"" + peer + "\"]").click(new Locator.ClickOptions());
    assertThat(page.locator("#peer-name")).hasText(peer);
    Locator box = page.getByLabel("Message", new Page.GetByLabelOptions().setExact(true));
    box.fill(text);
    box.press("Enter");
    assertThat(
            page.locator(".message.out")
                .filter(new Locator.FilterOptions().setHasText(text))
                .locator(".state"))
        .hasAttribute("data-state", "delivered", slow());
  }

  private static Locator pathBadge(Page page) {
    return page.locator("#peer-path");
  }

  private static LocatorAssertions.HasAttributeOptions slow() {
    return new LocatorAssertions.HasAttributeOptions().setTimeout((double) LINE.toMillis());
  }

  /** The time between two log lines, from their timestamps. */
  private static Duration between(String first, String second) {
    return Duration.between(time(first), time(second));
  }

  private static LocalTime time(String line) {
    var match = TIME.matcher(line);
    assertThat(match.matches()).as("a log line with a time: " + line).isTrue();
    return LocalTime.parse(match.group(1));
  }

  private static String[] concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toArray(String[]::new);
  }
}
