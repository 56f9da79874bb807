package dev.parley.app.cli;

import dev.parley.client.ParleyClient;
import dev.parley.client.chat.ChatListener;
import dev.parley.client.chat.SafetyNumber;
import dev.parley.client.link.LinkPath;
import dev.parley.client.link.NoPathException;
import dev.parley.client.profile.Delivery;
import dev.parley.client.profile.Entry;
import dev.parley.client.server.ServerState;
import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.UserName;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jline.builtins.Completers;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.Widget;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;
import org.jline.utils.InfoCmp;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code parley chat}: the interactive terminal chat. */
@Command(
    name = "chat",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Chat in the terminal: see who is online, talk directly to them, send files, verify keys.",
      "Type /help once inside for the commands."
    })
public final class ChatCommand extends ClientCommand {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault());
  private static final List<String> COMMANDS =
      List.of(
          "/help",
          "/who",
          "/open",
          "/msg",
          "/file",
          "/history",
          "/list",
          "/verify",
          "/accept",
          "/info",
          "/quit");
  private static final AttributedStyle NAME = AttributedStyle.BOLD.foreground(AttributedStyle.CYAN);
  private static final AttributedStyle ME = AttributedStyle.BOLD.foreground(AttributedStyle.GREEN);
  private static final AttributedStyle DIM = AttributedStyle.DEFAULT.faint();
  private static final AttributedStyle WARN = AttributedStyle.BOLD.foreground(AttributedStyle.RED);
  private static final AttributedStyle INFO =
      AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW);

  /** A message sent within this long of being written is not reported as "sent", only delivered. */
  private static final long QUIET_SENT_MS = 2000;

  @Mixin ClientOptions options;

  @Option(names = "--to", paramLabel = "PEER", description = "Open this conversation at start.")
  @Nullable String to;

  private volatile @Nullable UserName current;
  private volatile @Nullable UserName typingPeer;
  private volatile boolean quitting;
  private @Nullable LineReader reader;
  private @Nullable ParleyClient client;

  @Override
  int execute(PrintStream out, PrintStream err) throws IOException {
    try (Terminal terminal = TerminalBuilder.builder().system(true).dumb(true).build()) {
      LineReader lines =
          LineReaderBuilder.builder()
              .appName("parley")
              .terminal(terminal)
              .completer(new ChatCompleter())
              .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
              .build();
      reader = lines;
      ParleyClient connected = options.connect(new Screen());
      client = connected;
      try (connected) {
        lines.setVariable(LineReader.HISTORY_FILE, connected.profileDir().resolve("chat-history"));
        Widget insert = lines.getWidgets().get(LineReader.SELF_INSERT);
        lines
            .getWidgets()
            .put(
                LineReader.SELF_INSERT,
                () -> {
                  boolean result = insert.apply();
                  UserName peer = current;
                  if (peer != null && !lines.getBuffer().toString().startsWith("/")) {
                    connected.typing(peer, true);
                  }
                  return result;
                });
        say(
            new AttributedStringBuilder()
                .append("Parley: you are ", INFO)
                .append(connected.name().value(), ME)
                .append(" on " + options.server + ". ", INFO)
                .append(online(connected), INFO)
                .append(" Type /help for commands.", DIM));
        if (to != null) {
          open(ClientOptions.peer(to));
        }
        loop(lines, connected);
      }
    }
    return ExitCode.OK;
  }

  private void loop(LineReader lines, ParleyClient connected) {
    while (true) {
      String line;
      try {
        line = lines.readLine(prompt());
      } catch (UserInterruptException e) {
        continue; // Ctrl-C clears the line; /quit or Ctrl-D leaves
      } catch (EndOfFileException e) {
        quitting = true;
        return;
      }
      String input = line.strip();
      if (input.isEmpty()) {
        continue;
      }
      if (!input.startsWith("/") && current != null) {
        eraseTypedLine(lines.getTerminal(), prompt().length() + line.length());
      }
      try {
        if (!input.startsWith("/")) {
          UserName peer = current;
          if (peer == null) {
            say(
                new AttributedStringBuilder()
                    .append("Open a conversation first: /open NAME", INFO));
          } else {
            connected.typing(peer, false);
            connected.send(peer, input);
          }
          continue;
        }
        if (!command(input, connected)) {
          return;
        }
      } catch (CliException | IllegalArgumentException e) {
        say(new AttributedStringBuilder().append(e.getMessage(), WARN));
      } catch (IOException e) {
        say(new AttributedStringBuilder().append("Cannot do that: " + e.getMessage(), WARN));
      }
    }
  }

  /** Runs one command; false to quit. */
  private boolean command(String input, ParleyClient connected) throws IOException {
    String[] words = input.split("\\s+", 3);
    String arg = words.length > 1 ? words[1] : "";
    switch (words[0]) {
      case "/quit", "/exit" -> {
        quitting = true;
        return false;
      }
      case "/help" -> help();
      case "/who" -> say(new AttributedStringBuilder().append(online(connected), INFO));
      case "/open", "/to" -> open(ClientOptions.peer(need(arg, "/open NAME")));
      case "/msg" -> {
        if (words.length < 3) {
          throw new CliException(ExitCode.USAGE, "Usage: /msg NAME TEXT");
        }
        connected.send(ClientOptions.peer(words[1]), words[2]);
      }
      case "/file" -> {
        UserName peer = conversation();
        String path = input.substring("/file".length()).strip();
        Path file =
            Path.of(
                path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path);
        connected.sendFile(peer, file);
      }
      case "/history" -> history(connected, arg.isEmpty() ? 20 : Integer.parseInt(arg));
      case "/list" -> {
        List<UserName> all = connected.conversations();
        say(
            new AttributedStringBuilder()
                .append(
                    all.isEmpty() ? "No conversations yet." : "Conversations: " + join(all), INFO));
      }
      case "/verify" -> verify(connected, arg.isEmpty() ? conversation() : ClientOptions.peer(arg));
      case "/info" -> info(connected, arg.isEmpty() ? conversation() : ClientOptions.peer(arg));
      case "/accept" -> {
        UserName peer = arg.isEmpty() ? conversation() : ClientOptions.peer(arg);
        Optional<IdentityKey> accepted = connected.acceptKey(peer);
        say(
            new AttributedStringBuilder()
                .append(
                    accepted.isPresent()
                        ? "Accepted the key "
                            + peer
                            + " has now. Safety number: "
                            + connected.safetyNumber(peer).orElse("?")
                        : peer + " is not online; accept their key when they are.",
                    INFO));
      }
      default ->
          throw new CliException(
              ExitCode.USAGE, "Unknown command " + words[0] + "; /help lists them.");
    }
    return true;
  }

  private void open(UserName peer) {
    ParleyClient connected = client();
    if (peer.equals(connected.name())) {
      throw new CliException(ExitCode.USAGE, "That is you.");
    }
    current = peer;
    typingPeer = null;
    say(
        new AttributedStringBuilder()
            .append("Talking to ", INFO)
            .append(peer.value(), NAME)
            .append(
                connected.online().contains(peer)
                    ? " (online)."
                    : " (offline: messages wait in your outbox).",
                INFO));
    history(connected, 10);
    connected.connect(peer);
  }

  private void history(ParleyClient connected, int limit) {
    UserName peer = conversation();
    for (Entry entry : connected.history(peer, limit)) {
      say(line(entry));
    }
  }

  private void verify(ParleyClient connected, UserName peer) {
    Optional<IdentityKey> pinned = connected.pinnedKey(peer);
    Optional<IdentityKey> presented = connected.presentedKey(peer);
    AttributedStringBuilder text = new AttributedStringBuilder();
    if (pinned.isEmpty() && presented.isEmpty()) {
      text.append("You have not met " + peer + " yet; verify when they are online.", INFO);
    } else {
      text.append(
          "Safety number with " + peer + " (compare it with theirs, in person or by phone):\n",
          INFO);
      text.append("  " + number(connected, peer, pinned.orElse(presented.orElseThrow())), ME);
      if (pinned.isPresent() && presented.isPresent() && !pinned.get().equals(presented.get())) {
        text.append(
            "\nWARNING: the server now presents another key for "
                + peer
                + "; its number would be:\n",
            WARN);
        text.append("  " + number(connected, peer, presented.get()), WARN);
        text.append("\nIf " + peer + " confirms that one, run /accept " + peer + ".", INFO);
      }
    }
    say(text);
  }

  /** Whether {@code peer} is online, and how the link to them goes, with its candidate pair. */
  private void info(ParleyClient connected, UserName peer) {
    Optional<LinkPath> path;
    try {
      path = connected.path(peer).get(5, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      path = Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    String presence = connected.online().contains(peer) ? "online" : "offline";
    say(
        new AttributedStringBuilder()
            .append(peer.value(), NAME)
            .append(
                " is "
                    + presence
                    + ". "
                    + path.map(p -> "Link: " + p.describe() + ".")
                        .orElse("No direct link is open; the next message opens one."),
                INFO));
  }

  private static String number(ParleyClient connected, UserName peer, IdentityKey key) {
    // Three rows of four groups, as the web client shows it, so the two can be compared at a
    // glance.
    String[] groups =
        SafetyNumber.of(connected.name(), connected.publicKey(), peer, key).split(" ");
    return String.join(" ", java.util.Arrays.copyOfRange(groups, 0, 4))
        + "\n  "
        + String.join(" ", java.util.Arrays.copyOfRange(groups, 4, 8))
        + "\n  "
        + String.join(" ", java.util.Arrays.copyOfRange(groups, 8, 12));
  }

  private void help() {
    say(
        new AttributedStringBuilder()
            .append(
                String.join(
                    "\n",
                    "/who                 who is online",
                    "/open NAME           talk to NAME (then just type to send)",
                    "/msg NAME TEXT       send TEXT to NAME without switching",
                    "/file PATH           send a file to the open conversation",
                    "/history [N]         the last N messages of the open conversation",
                    "/list                your conversations",
                    "/verify [NAME]       show the safety number to compare with NAME",
                    "/accept [NAME]       accept NAME's new key after a key change",
                    "/info [NAME]         whether NAME is online, and how the link to them goes",
                    "/quit                leave (or Ctrl-D)"),
                INFO));
  }

  private UserName conversation() {
    UserName peer = current;
    if (peer == null) {
      throw new CliException(ExitCode.USAGE, "Open a conversation first: /open NAME");
    }
    return peer;
  }

  private static String need(String arg, String usage) {
    if (arg.isEmpty()) {
      throw new CliException(ExitCode.USAGE, "Usage: " + usage);
    }
    return arg;
  }

  private static String online(ParleyClient connected) {
    TreeSet<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    connected.online().forEach(n -> names.add(n.value()));
    return names.isEmpty() ? "Nobody else is online." : "Online: " + String.join(", ", names) + ".";
  }

  private static String join(List<UserName> names) {
    List<String> values = new ArrayList<>();
    names.forEach(n -> values.add(n.value()));
    return String.join(", ", values);
  }

  private ParleyClient client() {
    ParleyClient c = client;
    if (c == null) {
      throw new IllegalStateException("not connected");
    }
    return c;
  }

  private String prompt() {
    UserName peer = current;
    if (peer == null) {
      return "parley> ";
    }
    return peer.equals(typingPeer) ? peer + " (typing…)> " : peer + "> ";
  }

  private AttributedStringBuilder line(Entry entry) {
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
      b.append(
          "  " + mark(entry.state(), entry.detail()),
          entry.state() == Delivery.FAILED ? WARN : DIM);
    }
    return b;
  }

  private static String mark(Delivery state, String detail) {
    return switch (state) {
      case QUEUED -> "· queued";
      case SENT -> "✓ sent";
      case DELIVERED -> "✓✓ delivered";
      case FAILED -> "✗ failed: " + detail;
      case RECEIVED -> "";
    };
  }

  private static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return String.format("%.1f KiB", bytes / 1024.0);
    }
    return String.format("%.1f MiB", bytes / (1024.0 * 1024));
  }

  private static String shorten(String text) {
    return text.length() <= 30 ? text : text.substring(0, 29) + "…";
  }

  /**
   * Removes the line just typed, which the message's own line (with its delivery state) replaces;
   * only on a real terminal, and only if it did not wrap.
   */
  private static void eraseTypedLine(Terminal terminal, int width) {
    if (Terminal.TYPE_DUMB.equals(terminal.getType())
        || Terminal.TYPE_DUMB_COLOR.equals(terminal.getType())
        || width >= terminal.getWidth()) {
      return;
    }
    terminal.puts(InfoCmp.Capability.cursor_up);
    terminal.puts(InfoCmp.Capability.carriage_return);
    terminal.puts(InfoCmp.Capability.clr_eol);
    terminal.flush();
  }

  /** Prints above the prompt, in colour where the terminal has it. */
  private void say(AttributedStringBuilder text) {
    LineReader lines = reader;
    if (lines != null) {
      lines.printAbove(text.toAttributedString());
    }
  }

  private void redrawPrompt() {
    LineReader lines = reader;
    if (lines != null && lines.isReading()) {
      if (lines instanceof LineReaderImpl impl) {
        impl.setPrompt(prompt());
      }
      try {
        lines.callWidget(LineReader.REDRAW_LINE);
        lines.callWidget(LineReader.REDISPLAY);
      } catch (IllegalStateException e) {
        // not reading any more
      }
    }
  }

  /** What the client reports, shown above the prompt. */
  private final class Screen implements ChatListener {
    private boolean reconnecting;

    @Override
    public void stateChanged(ServerState state) {
      switch (state) {
        case RECONNECTING -> {
          reconnecting = true;
          say(
              new AttributedStringBuilder()
                  .append("Lost the server; reconnecting. Open direct links keep working.", WARN));
        }
        case ONLINE -> {
          if (reconnecting) {
            reconnecting = false;
            say(new AttributedStringBuilder().append("Connected to the server again.", INFO));
          }
        }
        case CLOSED -> {
          if (!quitting) {
            say(
                new AttributedStringBuilder()
                    .append("The server refused us; /quit and check the name and profile.", WARN));
          }
        }
        default -> {}
      }
    }

    @Override
    public void joined(UserName peer) {
      say(new AttributedStringBuilder().append(peer.value(), NAME).append(" is online", DIM));
    }

    @Override
    public void left(UserName peer) {
      say(new AttributedStringBuilder().append(peer.value(), NAME).append(" went offline", DIM));
      if (peer.equals(typingPeer)) {
        typingPeer = null;
        redrawPrompt();
      }
    }

    @Override
    public void received(Entry entry) {
      if (entry.peer().equals(typingPeer)) {
        typingPeer = null;
        redrawPrompt();
      }
      say(line(entry));
    }

    @Override
    public void updated(Entry entry) {
      if (entry.state() == Delivery.QUEUED) {
        say(line(entry));
      } else if (entry.state() == Delivery.SENT
          && System.currentTimeMillis() - entry.ts() < QUIET_SENT_MS) {
        return; // went out at once: "delivered" follows in a moment, one line is enough
      } else {
        say(
            new AttributedStringBuilder()
                .append(
                    "      " + mark(entry.state(), entry.detail()) + " ",
                    entry.state() == Delivery.FAILED ? WARN : DIM)
                .append("→ " + entry.peer() + ": " + shorten(entry.text()), DIM));
      }
    }

    @Override
    public void typing(UserName peer, boolean active) {
      if (active) {
        typingPeer = peer;
      } else if (peer.equals(typingPeer)) {
        typingPeer = null;
      }
      if (peer.equals(current)) {
        redrawPrompt();
      }
    }

    @Override
    public void progress(UserName peer, String id, boolean outgoing, long done, long total) {
      if (done == total || total == 0) {
        return; // the delivery or arrival line follows
      }
      long percent = total == 0 ? 100 : done * 100 / total;
      if (percent % 25 == 0) {
        say(
            new AttributedStringBuilder()
                .append(
                    (outgoing ? "sending to " : "receiving from ") + peer + ": " + percent + "%",
                    DIM));
      }
    }

    @Override
    public void keyChanged(UserName peer, IdentityKey pinned, IdentityKey presented) {
      say(
          new AttributedStringBuilder()
              .append(
                  "WARNING: the identity key of "
                      + peer
                      + " has changed. Messages to and from them are refused until you accept the"
                      + " new key. Check it with them first: /verify "
                      + peer
                      + ", then /accept "
                      + peer
                      + ".",
                  WARN));
    }

    @Override
    public void problem(UserName peer, String message) {
      say(new AttributedStringBuilder().append(message, WARN));
    }

    @Override
    public void linkOpened(UserName peer, Optional<LinkPath> path) {
      say(
          new AttributedStringBuilder()
              .append(
                  "Link to "
                      + peer
                      + " open"
                      + path.map(p -> ": " + p.kind().words()).orElse("")
                      + " (/info "
                      + peer
                      + " for details)",
                  DIM));
    }

    @Override
    public void noPath(UserName peer, NoPathException why) {
      say(
          new AttributedStringBuilder()
              .append(
                  why.getMessage()
                      + " Anything you write to "
                      + peer
                      + " waits in your outbox; Parley tries again in a while.",
                  WARN));
    }
  }

  /** Completes commands, then names (online and past conversations) or file paths. */
  private final class ChatCompleter implements Completer {
    private final Completer files = new Completers.FileNameCompleter();

    @Override
    public void complete(
        LineReader lines, org.jline.reader.ParsedLine line, List<Candidate> candidates) {
      if (line.wordIndex() == 0) {
        COMMANDS.forEach(c -> candidates.add(new Candidate(c)));
        return;
      }
      String command = line.words().get(0);
      if (command.equals("/file")) {
        files.complete(lines, line, candidates);
        return;
      }
      if (line.wordIndex() == 1
          && List.of("/open", "/to", "/msg", "/verify", "/accept").contains(command)) {
        ParleyClient c = client;
        if (c == null) {
          return;
        }
        TreeSet<String> names = new TreeSet<>();
        c.online().forEach(n -> names.add(n.value()));
        c.conversations().forEach(n -> names.add(n.value()));
        names.forEach(n -> candidates.add(new Candidate(n)));
      }
    }
  }
}
