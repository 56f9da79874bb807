package dev.parley.app.doctor;

import java.util.ArrayList;
import java.util.List;

/** The checkup for people: one aligned line per check, the verdict last. */
public final class HumanReport {
  private HumanReport() {}

  public static List<String> lines(Checkup checkup) {
    List<String> lines = new ArrayList<>();
    lines.add(line("Server", checkup.server().describe()));
    lines.add(line("WebSocket", checkup.webSocket().describe()));
    lines.add(line("STUN", checkup.stun().describe()));
    lines.add(line("NAT", checkup.nat().describe()));
    checkup.relay().describe().forEach(turn -> lines.add(line("TURN", turn)));
    lines.add(line("Verdict", checkup.verdict().text()));
    return lines;
  }

  private static String line(String label, String text) {
    return String.format("%-10s %s", label, text);
  }
}
