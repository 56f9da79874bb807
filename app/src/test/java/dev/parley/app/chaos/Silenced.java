package dev.parley.app.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drops every UDP datagram one process sends (iptables and ip6tables rules on the source ports of
 * its UDP sockets, found with {@code ss}; needs root), until closed: a client whose WebRTC links go
 * on hearing their peers while nothing it answers gets through. {@link #close()} takes the rules
 * away, whatever the test did.
 */
final class Silenced implements AutoCloseable {
  private static final Pattern SOCKET =
      Pattern.compile("^\\S+\\s+\\S+\\s+\\S+\\s+(\\S+):(\\d+)\\s.*pid=(\\d+),");

  private final List<List<String>> rules = new ArrayList<>();

  private Silenced() {}

  /** Silences the UDP sockets process {@code pid} has open now (WebRTC's, for a client). */
  static Silenced udpOf(long pid) {
    Silenced silenced = new Silenced();
    try {
      for (String line : run(List.of("ss", "-H", "-u", "-a", "-n", "-p")).split("\n", -1)) {
        Matcher socket = SOCKET.matcher(line);
        if (socket.find() && Long.parseLong(socket.group(3)) == pid) {
          String tool = socket.group(1).startsWith("[") ? "ip6tables" : "iptables";
          List<String> rule =
              List.of(tool, "OUTPUT", "-p", "udp", "--sport", socket.group(2), "-j", "DROP");
          silenced.add(rule);
        }
      }
      if (silenced.rules.isEmpty()) {
        throw new AssertionError("process " + pid + " has no UDP socket to silence");
      }
      return silenced;
    } catch (RuntimeException | Error e) {
      silenced.close();
      throw e;
    }
  }

  @Override
  public void close() {
    for (List<String> rule : rules) {
      List<String> delete = new ArrayList<>(rule);
      delete.add(1, "-D");
      run(delete);
    }
    rules.clear();
  }

  private void add(List<String> rule) {
    List<String> insert = new ArrayList<>(rule);
    insert.add(1, "-I");
    run(insert);
    rules.add(rule);
  }

  private static String run(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish in 10 s");
      }
      if (process.exitValue() != 0) {
        throw new AssertionError(
            String.join(" ", command) + " failed (needs root, ss and iptables): " + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
