package dev.parley.bench.scenario;

import dev.parley.bench.servers.Target;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The results as Markdown tables, one per scenario, with Parley's advantage over each anchor: how
 * many times better Parley is (above 1) or worse (below 1), whichever way "better" points.
 */
public final class Report {
  private final List<String> sections = new ArrayList<>();

  public synchronized void add(String title, List<Row> rows) {
    Set<Target> targets = EnumSet.noneOf(Target.class);
    rows.forEach(row -> targets.addAll(row.values().keySet()));
    if (targets.isEmpty()) {
      return; // none of the servers it measures was chosen
    }
    StringBuilder table = new StringBuilder("### ").append(title).append("\n\n| figure |");
    targets.forEach(target -> table.append(' ').append(target.label()).append(" |"));
    List<Target> anchors = targets.stream().filter(t -> !t.isParley()).toList();
    // Contacts presence is compared with the anchors too, in columns of its own.
    boolean contacts = targets.contains(Target.PARLEY_CONTACTS);
    anchors.forEach(anchor -> table.append(" Parley vs ").append(anchor.label()).append(" |"));
    if (contacts) {
      anchors.forEach(
          anchor -> table.append(" Parley contacts vs ").append(anchor.label()).append(" |"));
    }
    // Several nodes are compared with one node of the same presence mode.
    List<Target> clusters = targets.stream().filter(Target::isCluster).toList();
    clusters.forEach(
        cluster ->
            table
                .append(" 3 nodes vs 1 node")
                .append(cluster.isContacts() ? " (contacts)" : "")
                .append(" |"));
    table.append("\n|---|");
    targets.forEach(target -> table.append("---:|"));
    anchors.forEach(anchor -> table.append("---:|"));
    if (contacts) {
      anchors.forEach(anchor -> table.append("---:|"));
    }
    clusters.forEach(cluster -> table.append("---:|"));
    table.append('\n');
    for (Row row : rows) {
      table.append("| ").append(row.figure()).append(" |");
      targets.forEach(
          target -> table.append(' ').append(format(row.values().get(target))).append(" |"));
      Double parley =
          row.values().getOrDefault(Target.PARLEY, row.values().get(Target.PARLEY_PEERJS));
      for (Target anchor : anchors) {
        Double other = row.values().get(anchor);
        table.append(' ').append(ratio(row, parley, other)).append(" |");
      }
      if (contacts) {
        Double inContacts = row.values().get(Target.PARLEY_CONTACTS);
        for (Target anchor : anchors) {
          table.append(' ').append(ratio(row, inContacts, row.values().get(anchor))).append(" |");
        }
      }
      for (Target cluster : clusters) {
        Double several = row.values().get(cluster);
        Double one = row.values().get(cluster.oneNode());
        table.append(' ').append(ratio(row, several, one)).append(" |");
      }
      table.append('\n');
    }
    sections.add(table.toString());
  }

  /** A section measured on no target (the machine's floor), already in Markdown. */
  public synchronized void addSection(String markdown) {
    sections.add(markdown);
  }

  private static String ratio(Row row, Double parley, Double anchor) {
    if (parley == null || anchor == null || !(parley > 0) || !(anchor > 0)) {
      return ""; // also when a step was not reached (NaN): no ratio, rather than "NaNx"
    }
    double advantage = row.lowerIsBetter() ? anchor / parley : parley / anchor;
    return String.format(Locale.ROOT, "%.1fx", advantage);
  }

  private static String format(Double value) {
    if (value == null) {
      return "";
    }
    if (value.isNaN()) {
      return "n/a";
    }
    double abs = Math.abs(value);
    if (abs >= 100) {
      return String.format(Locale.ROOT, "%,.0f", value);
    }
    if (abs >= 10) {
      return String.format(Locale.ROOT, "%.1f", value);
    }
    return String.format(Locale.ROOT, "%.3f", value);
  }

  public synchronized String markdown() {
    return String.join("\n", sections);
  }
}
