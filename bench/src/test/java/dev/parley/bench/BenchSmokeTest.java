package dev.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Runs the whole benchmark in quick mode against real servers (Parley from this build, the anchors
 * from npm, three nodes on real Redis, PostgreSQL and HAProxy), so that it cannot rot. It checks
 * that every scenario produced figures for every target; it asserts no timing. The restart storm,
 * not in the default run, has a quick run of its own.
 */
// The quick run starts about twenty servers, three nodes with Redis and PostgreSQL among them.
@Timeout(600)
class BenchSmokeTest {

  @Test
  void theQuickRunMeasuresEveryScenarioOnEveryTarget(@TempDir Path scratch) throws Exception {
    String text = quickRun(scratch.resolve("report.md"));
    assertThat(text)
        .contains("### Connections held", "### Signaling relay", "### Presence")
        .contains("### The machine's floor (plain loopback sockets, no server)")
        .contains("by 2 threads, read by 2: last arrival", "p99 latency (ms) |")
        .contains(
            "| Parley | Parley (contacts presence) | PeerServer | Socket.IO design | Bare Netty |"
                + " Bare Netty + login proof | Bare Netty + login proof, no challenge |")
        .contains("| Parley | Parley (PeerJS endpoint) | PeerServer |")
        .contains("### Several nodes: signaling relay across nodes", "### Several nodes: presence")
        .contains("| Parley | Parley, 3 nodes | 3 nodes vs 1 node |")
        .contains(
            "| Parley (contacts presence) | Parley, 3 nodes (contacts presence) | 3 nodes vs 1 node"
                + " (contacts) |")
        .doesNotContain("| n/a |");
    for (String figure :
        new String[] {
          "memory per connection at 300",
          "saturation throughput",
          "join reaches all 100",
          "sustained joins+leaves per second",
          "welcome size at 300",
          "CPU per login up to 300"
        }) {
      String line = text.lines().filter(l -> l.contains(figure)).findFirst().orElseThrow();
      assertThat(line.split("\\|")).as(line).noneMatch(cell -> cell.strip().equals("0.000"));
    }
  }

  @Test
  void theQuickStormBringsEveryoneBackInBothPresenceModes(@TempDir Path scratch) throws Exception {
    String text = quickRun(scratch.resolve("storm.md"), "--scenarios", "storm");
    assertThat(text)
        .contains("### Restart storm", "| Parley | Parley (contacts presence) |")
        .contains("| recovery: accepting again to the last of 200 back (s) |")
        .doesNotContain("| n/a |");
  }

  /** Runs {@code scripts/bench --quick} with {@code options}; returns its report. */
  private static String quickRun(Path report, String... options) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--quick",
                "--parley-home",
                "..",
                "--work",
                "target/run",
                "--out",
                report.toString(),
                "--watchdog-seconds",
                "120"));
    args.addAll(List.of(options));
    assertThat(new CommandLine(new Main()).execute(args.toArray(String[]::new))).isZero();
    return Files.readString(report);
  }
}
