package dev.parley.testkit.net;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A {@link NetProbe} running in a namespace of a lab, driven by a test. */
final class Probe {
  static final Duration TIMEOUT = Duration.ofSeconds(10);
  static final Path LOGS = Path.of("target", "network-lab");

  private final LabProcess process;

  private Probe(LabProcess process) {
    this.process = process;
  }

  /**
   * Starts a probe with the test JVM's own java and the test classes; await it with {@link
   * #ready()}.
   */
  static Probe start(NetworkLab lab, Host host) {
    List<String> command =
        List.of(
            ProcessHandle.current().info().command().orElseThrow(),
            // Starts in a fraction of the time of a default JVM, which matters more than speed
            // here.
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Xmx64m",
            "-cp",
            testClasses().toString(),
            NetProbe.class.getName());
    Path log = LOGS.resolve(host.namespace().name() + ".log").toAbsolutePath();
    return new Probe(lab.start(host.namespace(), command, Map.of(), LOGS.toAbsolutePath(), log));
  }

  Probe ready() {
    process.awaitLine("ready"::equals, TIMEOUT);
    return this;
  }

  void openUdp(int port) {
    command("udp " + port, "udp-open " + port);
  }

  void openTcp(int port) {
    command("tcp " + port, "tcp-open " + port);
  }

  /** Sends {@code ping token} from the UDP socket on {@code port}. */
  void send(int port, String address, int toPort, String token) {
    command("send " + port + " " + address + ":" + toPort + " " + token, "sent " + token);
  }

  /** Where {@code ping token} came from, as seen here: {@code address:port}. */
  String awaitPing(String token) {
    Pattern ping = Pattern.compile("udp-recv \\d+ (\\S+) ping " + Pattern.quote(token));
    Matcher matcher =
        ping.matcher(process.awaitLine(line -> ping.matcher(line).matches(), TIMEOUT));
    return matcher.matches() ? matcher.group(1) : "";
  }

  /** Where the far end said our {@code ping token} came from, once its answer arrived. */
  String awaitAnswer(String token) {
    Pattern seen = Pattern.compile("udp-recv \\d+ \\S+ seen " + Pattern.quote(token) + " (\\S+)");
    Matcher matcher =
        seen.matcher(process.awaitLine(line -> seen.matcher(line).matches(), TIMEOUT));
    return matcher.matches() ? matcher.group(1) : "";
  }

  boolean received(String token) {
    return process.output().stream().anyMatch(line -> line.endsWith(" ping " + token));
  }

  /**
   * Connects over TCP; returns where the listener said the connection came from, or throws with why
   * it failed.
   */
  String connect(String address, int port, String token) {
    process.send("connect " + address + ":" + port + " " + token);
    String result =
        process.awaitLine(
            line ->
                line.startsWith("connected " + token + " ")
                    || line.startsWith("failed " + token + " "),
            TIMEOUT);
    if (result.startsWith("failed")) {
      throw new AssertionError(result);
    }
    return result.substring(result.lastIndexOf(' ') + 1);
  }

  private void command(String command, String done) {
    process.send(command);
    process.awaitLine(line -> line.equals(done) || line.startsWith("error " + command), TIMEOUT);
    if (!process.output().contains(done)) {
      throw new AssertionError(
          "probe in " + process.namespace() + ": " + process.output().getLast());
    }
  }

  static String address(String addressAndPort) {
    return addressAndPort.substring(0, addressAndPort.lastIndexOf(':'));
  }

  static int port(String addressAndPort) {
    return Integer.parseInt(addressAndPort.substring(addressAndPort.lastIndexOf(':') + 1));
  }

  private static Path testClasses() {
    try {
      return Path.of(NetProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
