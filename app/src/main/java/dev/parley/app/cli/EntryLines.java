package dev.parley.app.cli;

import static dev.parley.app.cli.Console.DIM;
import static dev.parley.app.cli.Console.ME;
import static dev.parley.app.cli.Console.NAME;
import static dev.parley.app.cli.Console.WARN;

import dev.parley.client.profile.Delivery;
import dev.parley.client.profile.Entry;
import dev.parley.protocol.UserName;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jline.utils.AttributedStringBuilder;

/**
 * Each message as one line, with its delivery state. A message to someone online is held back for
 * up to {@link #HOLD} and shown once with the state it reached (usually delivered), so that it does
 * not appear queued and then again delivered; one to someone offline is shown queued at once, and
 * its later delivery as a short line that does not repeat the text.
 */
final class EntryLines implements AutoCloseable {
  static final Duration HOLD = Duration.ofSeconds(2);
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault());

  private final Console console;
  private final Predicate<UserName> online;
  private final Map<String, Entry> held = new HashMap<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("parley-chat-lines").daemon().factory());

  EntryLines(Console console, Predicate<UserName> online) {
    this.console = console;
    this.online = online;
  }

  /** One of our entries was stored or changed state. */
  synchronized void updated(Entry entry) {
    boolean wasHeld = held.containsKey(entry.id());
    switch (entry.state()) {
      case QUEUED -> {
        if (online.test(entry.peer())) {
          held.put(entry.id(), entry);
          var unused =
              timer.schedule(() -> release(entry.id()), HOLD.toMillis(), TimeUnit.MILLISECONDS);
        } else {
          console.say(line(entry));
        }
      }
      case SENT -> {
        if (wasHeld) {
          held.put(entry.id(), entry); // shown when delivered, or with this state when held long
        }
      }
      case DELIVERED, FAILED -> {
        if (wasHeld) {
          held.remove(entry.id());
          console.say(line(entry));
        } else {
          console.say(change(entry));
        }
      }
      case RECEIVED -> {}
    }
  }

  /** Held long enough: shown with the state it has reached. */
  private synchronized void release(String id) {
    Entry entry = held.remove(id);
    if (entry != null) {
      console.say(line(entry));
    }
  }

  /** A message or file as one line: time, who, text, and for ours the delivery state. */
  static AttributedStringBuilder line(Entry entry) {
    AttributedStringBuilder b = new AttributedStringBuilder();
    b.append(TIME.format(Instant.ofEpochMilli(entry.ts())) + " ", DIM);
    if (entry.outgoing()) {
      b.append("you", ME).append(" → " + entry.peer() + ": ", DIM);
    } else {
      b.append(entry.peer().value(), NAME).append(": ");
    }
    entry
        .fileInfo()
        .ifPresentOrElse(
            f ->
                b.append("[file] " + entry.text() + " (" + size(f.size()) + ")")
                    .append(entry.outgoing() ? "" : " saved to " + f.path(), DIM),
            () -> b.append(entry.text()));
    if (entry.outgoing()) {
      b.append("  " + mark(entry), entry.state() == Delivery.FAILED ? WARN : DIM);
    }
    return b;
  }

  /** A later state of a message already shown: the state, and which message, not its text. */
  private static AttributedStringBuilder change(Entry entry) {
    return new AttributedStringBuilder()
        .append("      " + mark(entry), entry.state() == Delivery.FAILED ? WARN : DIM)
        .append(
            " (your "
                + TIME.format(Instant.ofEpochMilli(entry.ts()))
                + " message to "
                + entry.peer()
                + ")",
            DIM);
  }

  private static String mark(Entry entry) {
    return switch (entry.state()) {
      case QUEUED -> "· queued";
      case SENT -> "✓ sent";
      case DELIVERED -> "✓✓ delivered";
      case FAILED -> "✗ failed: " + entry.detail();
      case RECEIVED -> "";
    };
  }

  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
