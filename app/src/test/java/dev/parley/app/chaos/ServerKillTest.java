package dev.parley.app.chaos;

import static dev.parley.app.chaos.Chaos.TIMEOUT;
import static dev.parley.app.chaos.Chaos.command;
import static dev.parley.app.chaos.Chaos.line;
import static dev.parley.app.chaos.Chaos.messages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server killed with SIGKILL while two clients talk: links do not depend on it, so a burst of
 * messages and a 64 MiB file go on while it is away, and after it restarts on the same data both
 * people log in again as themselves. Every process is {@code parley}, as users run it.
 */
@Timeout(180)
class ServerKillTest {
  private static final int FILE_BYTES = 64 << 20;

  @TempDir Path dir;
  private ServerRun server;
  private Runs runs;

  @BeforeEach
  void startServer() {
    runs = new Runs(dir.resolve("logs"));
    server = ServerRun.start(dir.resolve("logs"), dir.resolve("server-data"));
  }

  @AfterEach
  void stopAll() {
    runs.close();
    server.close();
  }

  @Test
  void aBurstOfMessagesLosesNothingWhenTheServerIsKilledAmidIt() {
    Path aliceProfile = dir.resolve("alice");
    Path bobProfile = dir.resolve("bob");
    ParleyRun bob = bobReceives(bobProfile);
    ParleyRun alice =
        runs.start(
            "alice", command("chat", server.address(), "alice", aliceProfile, "--to", "bob"));

    IntStream.range(0, 300).forEach(n -> alice.type(line(n)));
    await().atMost(TIMEOUT).until(() -> messages(bob.out()).size() >= 100);
    server.kill();
    int atKill = messages(bob.out()).size();
    String serverDatabase = Databases.integrity(server.database());

    IntStream.range(300, 600).forEach(n -> alice.type(line(n))); // the server is away
    await("the burst goes on over the open link, without the server")
        .atMost(TIMEOUT)
        .until(() -> messages(bob.out()).size() >= 600);

    server.restart();
    await("alice is back on the server")
        .atMost(TIMEOUT)
        .until(() -> alice.out().contains("Connected to the server again."));
    IntStream.range(600, 800).forEach(n -> alice.type(line(n)));
    await().atMost(TIMEOUT).until(() -> messages(bob.out()).size() >= 800);
    await("bob is back on the server, as himself")
        .atMost(TIMEOUT)
        .until(() -> server.log().contains("Logged in bob"));
    alice.endInput();
    assertThat(alice.awaitExit()).isZero();

    List<String> expected = IntStream.range(0, 800).mapToObj(Chaos::line).toList();
    assertThat(Databases.history(bobProfile, "alice", false)).isEqualTo(expected);
    assertThat(messages(bob.out())).isEqualTo(expected);
    assertThat(Databases.delivered(aliceProfile)).isEqualTo(800);
    assertThat(Databases.outbox(aliceProfile)).isZero();
    assertThat(server.log()).doesNotContain("Registered");
    assertThat(serverDatabase).isEqualTo("ok");
    assertThat(Databases.integrity(aliceProfile.resolve("parley.db"))).isEqualTo("ok");
    assertThat(Databases.integrity(bobProfile.resolve("parley.db"))).isEqualTo("ok");
    Chaos.figure(
        "server killed amid a burst",
        "800 messages sent, "
            + Databases.history(bobProfile, "alice", false).size()
            + " delivered (each once, in order; "
            + atKill
            + " before the kill, 500 sent while the server was away or after), "
            + Chaos.occurrences(bob.err(), Chaos.DUPLICATE)
            + " duplicates suppressed; databases: server "
            + serverDatabase
            + ", profiles ok");
  }

  @Test
  void a64MiBFileArrivesWholeWhenTheServerIsKilledMidTransfer() throws Exception {
    Path bobProfile = dir.resolve("bob");
    Path downloads = dir.resolve("bob-files");
    ParleyRun bob = bobReceives(bobProfile, "--downloads", downloads.toString());
    Path big = dir.resolve("big.bin");
    String sha256 = writeRandom(big);

    long started = System.nanoTime();
    ParleyRun alice =
        runs.start(
            "alice",
            command(
                "send",
                server.address(),
                "alice",
                dir.resolve("alice"),
                "--to",
                "bob",
                "--wait",
                "120s",
                "--file",
                big.toString()));
    await("8 MiB of the file arrived")
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(10))
        .until(() -> partial(downloads).orElse(0L) >= 8 << 20 || received(bob).isPresent());
    server.kill();
    long atKill = partial(downloads).orElse((long) FILE_BYTES);
    String serverDatabase = Databases.integrity(server.database());
    assertThat(atKill).as("bytes arrived when the server was killed").isLessThan(FILE_BYTES);

    assertThat(alice.awaitExit(Duration.ofMinutes(2))).as(alice.err()).isZero();
    double seconds = (System.nanoTime() - started) / 1e9;
    assertThat(alice.out()).contains("Delivered to bob");
    await().atMost(TIMEOUT).until(() -> received(bob).isPresent());
    JsonNode file = received(bob).orElseThrow();
    Path saved = Path.of(file.get("path").asText());
    assertThat(Files.size(saved)).isEqualTo(FILE_BYTES);
    assertThat(file.get("sha256").asText()).isEqualTo(sha256);
    assertThat(sha256(saved)).isEqualTo(sha256);
    try (Stream<Path> left = Files.list(downloads)) {
      assertThat(left).containsExactly(saved);
    }

    server.restart();
    await("bob is back on the server, as himself")
        .atMost(TIMEOUT)
        .until(() -> server.log().contains("Logged in bob"));
    assertThat(serverDatabase).isEqualTo("ok");
    assertThat(Databases.integrity(dir.resolve("alice").resolve("parley.db"))).isEqualTo("ok");
    assertThat(Databases.integrity(bobProfile.resolve("parley.db"))).isEqualTo("ok");
    Chaos.figure(
        "server killed mid-transfer",
        String.format(
            "64 MiB sent and delivered whole (SHA-256 checked) in %.1f s (%.0f MiB/s, from the"
                + " start of parley send to its exit); the server was killed at %d MiB",
            seconds, 64 / seconds, atKill >> 20));
  }

  /** The file line bob's receiver printed, if it did. */
  private static Optional<JsonNode> received(ParleyRun bob) {
    return Chaos.lines(bob.out()).stream()
        .filter(l -> l.path("type").asText().equals("file"))
        .findFirst();
  }

  private ParleyRun bobReceives(Path profile, String... more) {
    List<String> args = new ArrayList<>(List.of("--json", "--verbose"));
    args.addAll(List.of(more));
    ParleyRun bob =
        runs.start(
            "bob",
            command("receive", server.address(), "bob", profile, args.toArray(String[]::new)));
    bob.awaitErr("online as bob", TIMEOUT);
    return bob;
  }

  /** Writes {@link #FILE_BYTES} random bytes to {@code file}; returns their SHA-256. */
  private static String writeRandom(Path file) throws IOException, NoSuchAlgorithmException {
    byte[] bytes = new byte[FILE_BYTES];
    new Random(64).nextBytes(bytes);
    Files.write(file, bytes);
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (var in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** How many bytes the partial file in {@code downloads} has, if there is one. */
  private static Optional<Long> partial(Path downloads) throws IOException {
    if (!Files.isDirectory(downloads)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.list(downloads)) {
      for (Path f : files.toList()) {
        if (f.getFileName().toString().startsWith(".partial-")) {
          return Optional.of(Files.size(f));
        }
      }
    } catch (NoSuchFileException e) {
      return Optional.empty(); // renamed as we looked: it is complete
    }
    return Optional.empty();
  }
}
