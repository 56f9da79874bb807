package dev.parley.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.protocol.PresenceMode;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerConfig;
import dev.parley.testkit.ParleyCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The terminal client as a script uses it: {@code parley send} and {@code parley receive}, each a
 * process of its own, against a real server; messages and files cross real WebRTC links between the
 * processes.
 */
@Timeout(180)
class CliIntegrationTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private ParleyServer server;
  private final List<Process> started = new ArrayList<>();

  @BeforeEach
  void start() {
    server =
        ParleyServer.start(
            ServerConfig.defaults().withPort(0).withDataDirectory(dir.resolve("server")));
  }

  @AfterEach
  void stop() {
    started.forEach(Process::destroy);
    for (Process p : started) {
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    server.close();
  }

  @Test
  void aQueuedMessageAndAFileReachAReceiverInAnotherProcess() throws Exception {
    Result queued = run("send", "alice", "--to", "bob", "written", "while", "bob", "is", "away");
    assertThat(queued.code).isEqualTo(ExitCode.QUEUED);
    assertThat(queued.out).contains("Queued: bob is offline");

    Process bob = start("receive", "bob", "--json", "--count", "4");
    awaitOnline("bob");

    Result delivered = run("send", "alice", "--to", "bob", "hello", "bob");
    assertThat(delivered.code).as(delivered.err).isEqualTo(ExitCode.OK);
    assertThat(delivered.out).contains("Delivered to bob (direct).");

    Path photo = dir.resolve("photo.bin");
    byte[] bytes = new byte[300_000];
    new Random(3).nextBytes(bytes);
    Files.write(photo, bytes);
    Result file = run("send", "carol", "--to", "bob", "--file", photo.toString());
    assertThat(file.code).as(file.err).isEqualTo(ExitCode.OK);
    Result fromCarol = run("send", "carol", "--to", "BOB", "and a word from carol");
    assertThat(fromCarol.code).as(fromCarol.err).isEqualTo(ExitCode.OK);

    assertThat(bob.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(bob.exitValue()).isEqualTo(ExitCode.OK);
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(output(bob))) {
      lines.add(JSON.readTree(line)); // every line is JSON: nothing else on standard output
    }
    assertThat(lines).filteredOn(l -> !l.path("type").asText().equals("link")).hasSize(4);
    Map<String, String> lastPath = new HashMap<>(); // a later line for a peer holds
    lines.stream()
        .filter(l -> l.path("type").asText().equals("link"))
        .forEach(l -> lastPath.put(l.path("peer").asText(), l.path("path").asText()));
    assertThat(lastPath)
        .isNotEmpty()
        .allSatisfy((peer, path) -> assertThat(path).isEqualTo("direct"));
    assertThat(lines)
        .filteredOn(l -> l.path("type").asText().equals("message"))
        .extracting(l -> l.get("from").asText() + ": " + l.get("text").asText())
        .containsExactlyInAnyOrder(
            "alice: written while bob is away", "alice: hello bob", "carol: and a word from carol");
    JsonNode received =
        lines.stream()
            .filter(l -> l.path("type").asText().equals("file"))
            .findFirst()
            .orElseThrow();
    assertThat(received.get("name").asText()).isEqualTo("photo.bin");
    Path saved = Path.of(received.get("path").asText());
    assertThat(Files.readAllBytes(saved)).isEqualTo(bytes);
    assertThat(received.get("sha256").asText())
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
    assertThat(server.metrics().relayedBytesTotal()).isLessThan(bytes.length / 10);
  }

  /**
   * A server in contacts mode tells a client only of the names it watches: send watches the peer
   * and waits for the server's answer before it decides that they are offline; the receiver, who
   * never talked to the sender, watches whoever offers it a link.
   */
  @Test
  void sendDeliversToSomeoneOnlineOnAServerInContactsMode() throws Exception {
    server.close();
    server =
        ParleyServer.start(
            ServerConfig.defaults()
                .withPort(0)
                .withDataDirectory(dir.resolve("contacts-server"))
                .withPresenceMode(PresenceMode.CONTACTS));
    Process bob = start("receive", "bob", "--count", "1");
    awaitOnline("bob");

    Result delivered = run("send", "alice", "--to", "bob", "hello in contacts mode");

    assertThat(delivered.code).as(delivered.out + delivered.err).isEqualTo(ExitCode.OK);
    assertThat(bob.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(Files.readString(output(bob))).contains("alice: hello in contacts mode");
  }

  @Test
  void startupProblemsAreOneSentenceWithTheirExitCode() throws Exception {
    assertThat(run("send", "alice", "--to", "bob", "hi").code).isEqualTo(ExitCode.QUEUED);

    Result taken =
        run(
            List.of(
                "send",
                "--server",
                address(),
                "--name",
                "alice",
                "--profile",
                dir.resolve("other").toString(),
                "--to",
                "bob",
                "hi"));
    assertThat(taken.code).isEqualTo(ExitCode.NAME_TAKEN);
    assertThat(taken.err.strip())
        .startsWith("parley: The name 'alice' is registered to another identity key")
        .doesNotContain("\n")
        .doesNotContain("Exception");

    int port = server.port();
    server.close();
    Result unreachable = run("send", "alice", "--to", "bob", "hi");
    assertThat(unreachable.code).isEqualTo(ExitCode.UNREACHABLE);
    assertThat(unreachable.err.strip())
        .isEqualTo(
            "parley: Cannot reach a Parley server at 127.0.0.1:"
                + port
                + " (connection refused); is it running? Start one with: ./parley server");
    server =
        ParleyServer.start(
            ServerConfig.defaults().withPort(0).withDataDirectory(dir.resolve("server2")));

    Result usage =
        run(List.of("send", "--server", "ftp://x", "--name", "alice", "--to", "bob", "hi"));
    assertThat(usage.code).isEqualTo(ExitCode.USAGE);
    assertThat(usage.err).contains("use http, https, ws or wss");
  }

  private record Result(int code, String out, String err) {}

  private String address() {
    return "127.0.0.1:" + server.port();
  }

  private Result run(String command, String name, String... rest) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(command, "--server", address(), "--name", name, "--profile", profile(name)));
    args.addAll(List.of(rest));
    return run(args);
  }

  private Result run(List<String> args) throws Exception {
    Process p = process(args);
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("parley " + args + " did not finish within 90 s");
    }
    return new Result(p.exitValue(), Files.readString(output(p)), Files.readString(errors(p)));
  }

  private Process start(String command, String name, String... rest) throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(command, "--server", address(), "--name", name, "--profile", profile(name)));
    args.addAll(List.of(rest));
    Process p = process(args);
    started.add(p);
    return p;
  }

  private void awaitOnline(String name) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> Files.readString(errorsOf(name)).contains("online as"));
  }

  private String profile(String name) {
    return dir.resolve("profiles").resolve(name).toString();
  }

  private Process process(List<String> args) throws IOException {
    List<String> command = ParleyCommand.of(args);
    Path logs = Files.createDirectories(dir.resolve("logs"));
    String id = args.get(0) + "-" + args.get(args.indexOf("--name") + 1) + "-" + System.nanoTime();
    Process p =
        new ProcessBuilder(command)
            .redirectOutput(logs.resolve(id + ".out").toFile())
            .redirectError(logs.resolve(id + ".err").toFile())
            .start();
    p.getOutputStream().close(); // nothing on standard input
    outputs.put(p, logs.resolve(id));
    return p;
  }

  private final java.util.Map<Process, Path> outputs =
      new java.util.concurrent.ConcurrentHashMap<>();

  private Path output(Process p) {
    return Path.of(outputs.get(p) + ".out");
  }

  private Path errors(Process p) {
    return Path.of(outputs.get(p) + ".err");
  }

  private Path errorsOf(String name) throws IOException {
    try (var files = Files.list(dir.resolve("logs"))) {
      return files
          .filter(
              f ->
                  f.getFileName().toString().startsWith("receive-" + name + "-")
                      && f.toString().endsWith(".err"))
          .findFirst()
          .orElseThrow();
    }
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
