package dev.parley.app.cli;

import static dev.parley.app.cli.Console.DIM;
import static dev.parley.app.cli.Console.ME;
import static dev.parley.app.cli.Console.NAME;

import dev.parley.client.group.GroupDelivery;
import dev.parley.client.group.LogEntry;
import dev.parley.client.group.Op;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.jline.utils.AttributedStringBuilder;

/** A group's entries as {@code parley chat} prints them: one line each. */
final class GroupLines {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault());

  private GroupLines() {}

  /** A message, a file or a change: time, group, who ({@code mine}: we), and what. */
  static AttributedStringBuilder line(LogEntry entry, String title, boolean mine) {
    return line(entry, title, mine, Optional.empty());
  }

  /**
   * As {@link #line(LogEntry, String, boolean)}; a file's line says where it is, if {@code held}.
   */
  static AttributedStringBuilder line(
      LogEntry entry, String title, boolean mine, Optional<Path> held) {
    AttributedStringBuilder b = new AttributedStringBuilder();
    b.append(TIME.format(Instant.ofEpochMilli(entry.ts())) + " #" + title + " ", DIM);
    if (entry.op() instanceof Op.Text) {
      b.append(mine ? "you" : entry.author().value(), mine ? ME : NAME)
          .append(": ")
          .append(entry.text().orElse(""));
    } else if (entry.op() instanceof Op.File file) {
      b.append(mine ? "you" : entry.author().value(), mine ? ME : NAME)
          .append(": [file] " + name(file) + " (" + EntryLines.size(file.size()) + ")");
      if (!mine) {
        b.append(held.map(p -> "  saved to " + p).orElse("  fetching…"), DIM);
      }
    } else {
      b.append((mine ? "you" : entry.author().value()) + " " + change(entry.op()), DIM);
    }
    return b;
  }

  /** The bytes of a file arrived, checked: where they are. */
  static AttributedStringBuilder saved(LogEntry file, String title, Path path) {
    String name = file.op() instanceof Op.File f ? name(f) : "a file";
    return new AttributedStringBuilder()
        .append(
            "      ✓ " + name + " from " + file.author() + " in #" + title + " saved to " + path,
            DIM);
  }

  private static String name(Op.File file) {
    return file.named().map(Op.File.Named::name).orElse("a file");
  }

  /** How many members hold one of our messages, naming it by its time. */
  static AttributedStringBuilder delivery(LogEntry entry, GroupDelivery delivery, String title) {
    return new AttributedStringBuilder()
        .append(
            "      "
                + (delivery.delivered() == delivery.of() ? "✓✓ " : "✓ ")
                + delivery
                + " (your "
                + TIME.format(Instant.ofEpochMilli(entry.ts()))
                + " message to #"
                + title
                + ")",
            DIM);
  }

  private static String change(Op op) {
    return switch (op) {
      case Op.Create c -> "created the group with " + c.members().size() + " members";
      case Op.Add a -> "added " + a.member().name();
      case Op.Remove r -> "removed " + r.member();
      case Op.MakeAdmin m -> "made " + m.member() + " an admin";
      case Op.Leave l -> "left";
      case Op.Text t -> "wrote";
      case Op.File f -> "shared a file";
    };
  }
}
