package dev.parley.app.chaos;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * What the chaos tests share: the {@code parley} command lines of the two people (alice sends with
 * {@code chat}, bob runs {@code receive --json}), reading what bob's receiver printed, and writing
 * the figures down in the test's output.
 */
final class Chaos {
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** What bob's receiver logs (with --verbose) for each duplicate it drops. */
  static final String DUPLICATE = "is a duplicate";

  private static final ObjectMapper JSON = new ObjectMapper();

  private Chaos() {}

  /**
   * {@code parley COMMAND} as {@code name}, with the profile {@code profile}, on {@code server}.
   */
  static List<String> command(
      String command, String server, String name, Path profile, String... rest) {
    List<String> args =
        new ArrayList<>(
            List.of(command, "--server", server, "--name", name, "--profile", profile.toString()));
    args.addAll(List.of(rest));
    return args;
  }

  /** The n-th line of a burst: numbered, so that a gap or a repeat shows. */
  static String line(int n) {
    return String.format("burst %04d", n);
  }

  /** The lines {@code from} (included) to {@code to} (excluded) of a burst. */
  static List<String> burst(int from, int to) {
    return IntStream.range(from, to).mapToObj(Chaos::line).toList();
  }

  /**
   * The lines a receiver printed with --json, one object each (a line still being written left
   * out).
   */
  static List<JsonNode> lines(String out) {
    List<JsonNode> lines = new ArrayList<>();
    int end = out.lastIndexOf('\n');
    if (end < 0) {
      return lines;
    }
    for (String line : out.substring(0, end).lines().toList()) {
      try {
        lines.add(JSON.readTree(line));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new AssertionError("not a JSON line: " + line, e);
      }
    }
    return lines;
  }

  /** The texts of the messages a receiver printed with --json. */
  static List<String> messages(String out) {
    return lines(out).stream()
        .filter(l -> l.path("type").asText().equals("message"))
        .map(l -> l.get("text").asText())
        .toList();
  }

  /** How often each text occurs, for those that occur more than once. */
  static Map<String, Long> repeated(List<String> texts) {
    return texts.stream()
        .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()))
        .entrySet()
        .stream()
        .filter(e -> e.getValue() > 1)
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  /** How many times {@code text} occurs in {@code log}. */
  static int occurrences(String log, String text) {
    int count = 0;
    for (int at = log.indexOf(text); at >= 0; at = log.indexOf(text, at + text.length())) {
      count++;
    }
    return count;
  }

  /** Waits until {@code value} stops changing (the same twice in a row, 200 ms apart). */
  static int settled(java.util.function.IntSupplier value) {
    int[] last = {-1};
    await("a settled count")
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              int now = value.getAsInt();
              boolean same = now == last[0];
              last[0] = now;
              return same;
            });
    return last[0];
  }

  /** Writes a figure down where whoever runs the test sees it. */
  static void figure(String scenario, String figures) {
    System.out.println("[chaos] " + scenario + ": " + figures);
  }
}
