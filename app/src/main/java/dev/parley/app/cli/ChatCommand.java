package dev.parley.app.cli;

import static dev.parley.app.cli.Console.DIM;
import static dev.parley.app.cli.Console.INFO;
import static dev.parley.app.cli.Console.ME;
import static dev.parley.app.cli.Console.WARN;

import dev.parley.client.ParleyClient;
import dev.parley.client.profile.ProfileException;
import dev.parley.protocol.UserName;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import org.jline.builtins.Completers;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.MaskingCallback;
import org.jline.reader.ParsedLine;
import org.jline.reader.UserInterruptException;
import org.jline.reader.Widget;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedStringBuilder;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code parley chat}: the interactive terminal chat. The terminal is the {@link Console}, what the
 * client reports is shown by {@link ChatScreen}, lines that start with a slash are {@link
 * SlashCommands} (those about keys, {@link KeyCommands}), and the others are messages to the open
 * conversation.
 */
@Command(
    name = "chat",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Chat in the terminal: see who is online, talk directly to them, send files, verify keys.",
      "Type /help once inside for the commands."
    })
public final class ChatCommand extends ClientCommand {
  @Mixin ClientOptions options;

  @Option(names = "--to", paramLabel = "PEER", description = "Open this conversation at start.")
  @Nullable String to;

  private volatile @Nullable ParleyClient client;
  private volatile @Nullable SlashCommands commands;

  @Override
  int execute(PrintStream out, PrintStream err) throws IOException {
    try (Terminal terminal = TerminalBuilder.builder().system(true).dumb(true).build()) {
      LineReader reader =
          LineReaderBuilder.builder()
              .appName("parley")
              .terminal(terminal)
              .completer(new ChatCompleter())
              .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
              .build();
      Console console = new Console(reader);
      try (EntryLines lines = new EntryLines(console, this::isOnline)) {
        ChatScreen screen = new ChatScreen(console, lines);
        ParleyClient connected = options.connect(screen);
        screen.connected();
        screen.use(connected);
        client = connected;
        try (connected) {
          SlashCommands slash = new SlashCommands(connected, console);
          commands = slash;
          reader.setVariable(
              LineReader.HISTORY_FILE, connected.profileDir().resolve("chat-history"));
          tellTyping(reader, console, connected);
          console.say(
              new AttributedStringBuilder()
                  .append("Parley: you are ", INFO)
                  .append(connected.name().value(), ME)
                  .append(" on " + options.server + ". ", INFO)
                  .append(slash.online(), INFO)
                  .append(" Type /help for commands.", DIM));
          if (to != null) {
            slash.open(ClientOptions.peer(to));
          }
          loop(reader, console, connected, slash);
          screen.quitting();
        }
      }
    }
    return ExitCode.OK;
  }

  /**
   * Typing in an open conversation or group (not a command) tells its peer or members, at most
   * every 3 s.
   */
  private static void tellTyping(LineReader reader, Console console, ParleyClient connected) {
    Widget insert = reader.getWidgets().get(LineReader.SELF_INSERT);
    reader
        .getWidgets()
        .put(
            LineReader.SELF_INSERT,
            () -> {
              boolean result = insert.apply();
              UserName peer = console.current();
              Console.OpenGroup group = console.group();
              if (!reader.getBuffer().toString().startsWith("/")) {
                if (peer != null) {
                  connected.typing(peer, true);
                } else if (group != null) {
                  connected.groups().typing(group.id(), true);
                }
              }
              return result;
            });
  }

  private static void loop(
      LineReader reader, Console console, ParleyClient connected, SlashCommands slash) {
    while (true) {
      String line;
      try {
        line =
            reader.readLine(console.prompt(), console.rightPrompt(), (MaskingCallback) null, null);
      } catch (UserInterruptException e) {
        continue; // Ctrl-C clears the line; /quit or Ctrl-D leaves
      } catch (EndOfFileException e) {
        return;
      }
      String input = line.strip();
      if (input.isEmpty()) {
        continue;
      }
      try {
        if (input.startsWith("/")) {
          if (!slash.run(input)) {
            return;
          }
          continue;
        }
        if (console.group() != null) {
          console.eraseTypedLine(console.prompt().length() + line.length());
          slash.groups().send(input);
          continue;
        }
        UserName peer = console.current();
        if (peer == null) {
          console.say("Open a conversation first: /open NAME (or /reply to whoever wrote)", INFO);
          continue;
        }
        console.eraseTypedLine(console.prompt().length() + line.length());
        connected.typing(peer, false);
        connected.send(peer, input);
      } catch (CliException | IllegalArgumentException | IllegalStateException e) {
        console.say(String.valueOf(e.getMessage()), WARN);
      } catch (IOException e) {
        console.say("Cannot do that: " + e.getMessage(), WARN);
      } catch (ProfileException e) {
        console.say("Not sent: " + e.getMessage() + ".", WARN);
      }
    }
  }

  private boolean isOnline(UserName peer) {
    ParleyClient c = client;
    return c != null && c.online().contains(peer);
  }

  /** Completes commands, then names (online and past conversations) or file paths. */
  private final class ChatCompleter implements Completer {
    private final Completer files = new Completers.FileNameCompleter();

    @Override
    public void complete(LineReader lines, ParsedLine line, List<Candidate> candidates) {
      if (line.wordIndex() == 0) {
        SlashCommands.NAMES.forEach(c -> candidates.add(new Candidate(c)));
        return;
      }
      String command = line.words().get(0);
      if (command.equals("/file")) {
        files.complete(lines, line, candidates);
        return;
      }
      SlashCommands slash = commands;
      if (line.wordIndex() == 1 && slash != null && SlashCommands.TAKING_A_NAME.contains(command)) {
        slash.names().forEach(n -> candidates.add(new Candidate(n)));
      }
    }
  }
}
