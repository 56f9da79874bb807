package dev.parley.app.cli;

import static dev.parley.app.cli.Console.DIM;
import static dev.parley.app.cli.Console.ME;
import static dev.parley.app.cli.Console.NAME;

import dev.parley.client.group.GroupDelivery;
import dev.parley.client.group.LogEntry;
import dev.parley.client.group.Op;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.jline.utils.AttributedStringBuilder;

/** A group's entries as {@code parley chat} prints them: one line each. */
final class GroupLines {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault());

  private GroupLines() {}

  /** A message or a change: time, group, who ({@code mine}: we), and what. */
  static AttributedStringBuilder line(LogEntry entry, String title, boolean mine) {
    AttributedStringBuilder b = new AttributedStringBuilder();
    b.append(TIME.format(Instant.ofEpochMilli(entry.ts())) + " #" + title + " ", DIM);
    if (entry.op() instanceof Op.Text) {
      b.append(mine ? "you" : entry.author().value(), mine ? ME : NAME)
          .append(": ")
          .append(entry.text().orElse(""));
    } else {
      b.append((mine ? "you" : entry.author().value()) + " " + change(entry.op()), DIM);
    }
    return b;
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
    };
  }
}
