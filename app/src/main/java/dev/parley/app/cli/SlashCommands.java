package dev.parley.app.cli;

import static dev.parley.app.cli.Console.INFO;
import static dev.parley.app.cli.Console.NAME;

import dev.parley.client.ParleyClient;
import dev.parley.client.link.LinkPath;
import dev.parley.client.profile.Entry;
import dev.parley.protocol.PresenceMode;
import dev.parley.protocol.UserName;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jline.utils.AttributedStringBuilder;

/**
 * The commands of {@code parley chat}: a line that starts with a slash. A command that names
 * someone first asks the server to {@linkplain ParleyClient#watch watch} them, so that a server in
 * contacts presence mode says whether they are online.
 */
final class SlashCommands {
  /** How long a command waits for the server to say whether someone is online. */
  private static final Duration ASK = Duration.ofSeconds(5);

  /** Every command, for /help and completion. */
  static final List<String> NAMES =
      List.of(
          "/help",
          "/who",
          "/open",
          "/reply",
          "/msg",
          "/file",
          "/history",
          "/list",
          "/verify",
          "/verified",
          "/unverify",
          "/accept",
          "/info",
          "/groups",
          "/create",
          "/members",
          "/add",
          "/remove",
          "/admin",
          "/leave",
          "/quit");

  /** The commands whose first argument is a person, for completion. */
  static final List<String> TAKING_A_NAME =
      List.of(
          "/open",
          "/to",
          "/msg",
          "/verify",
          "/verified",
          "/unverify",
          "/accept",
          "/info",
          "/add",
          "/remove",
          "/admin");

  private final ParleyClient client;
  private final Console console;
  private final KeyCommands keys;
  private final GroupCommands groups;

  SlashCommands(ParleyClient client, Console console) {
    this.client = client;
    this.console = console;
    this.keys = new KeyCommands(client, console);
    this.groups = new GroupCommands(client, console);
  }

  GroupCommands groups() {
    return groups;
  }

  /**
   * Runs one command; false to quit.
   *
   * @throws CliException with a sentence for the user, for a command that cannot run
   */
  boolean run(String input) throws IOException {
    String[] words = input.split("\\s+", 3);
    String arg = words.length > 1 ? words[1] : "";
    switch (words[0]) {
      case "/quit", "/exit" -> {
        return false;
      }
      case "/help" -> help();
      case "/who" -> console.say(online(), INFO);
      case "/open", "/to" -> {
        if (need(arg, "/open NAME or /open #GROUP").startsWith("#")) {
          groups.open(arg);
        } else {
          open(ClientOptions.peer(arg));
        }
      }
      case "/reply", "/r" -> reply(input.substring(words[0].length()).strip());
      case "/msg" -> {
        if (words.length < 3) {
          throw new CliException(ExitCode.USAGE, "Usage: /msg NAME TEXT");
        }
        client.send(ClientOptions.peer(words[1]), words[2]);
      }
      case "/file" -> {
        String typed = need(input.substring("/file".length()).strip(), "/file PATH");
        Path path =
            Path.of(
                typed.startsWith("~/")
                    ? System.getProperty("user.home") + typed.substring(1)
                    : typed);
        if (console.group() != null) {
          groups.sendFile(path);
        } else {
          client.sendFile(conversation(), path);
        }
      }
      case "/history" -> {
        int limit = arg.isEmpty() ? 20 : Integer.parseInt(arg);
        if (console.group() != null) {
          groups.history(limit);
        } else {
          history(limit);
        }
      }
      case "/groups" -> groups.list();
      case "/create" -> {
        if (words.length < 3) {
          throw new CliException(ExitCode.USAGE, "Usage: /create NAME[,NAME...] TITLE");
        }
        groups.create(words[1], words[2]);
      }
      case "/members" -> groups.members();
      case "/add" -> groups.add(ClientOptions.peer(need(arg, "/add NAME")));
      case "/remove" -> groups.remove(ClientOptions.peer(need(arg, "/remove NAME")));
      case "/admin" -> groups.makeAdmin(ClientOptions.peer(need(arg, "/admin NAME")));
      case "/leave" -> groups.leave();
      case "/list" -> {
        List<UserName> all = client.conversations();
        console.say(all.isEmpty() ? "No conversations yet." : "Conversations: " + join(all), INFO);
      }
      case "/verify" -> keys.verify(peerOrConversation(arg));
      case "/verified" -> keys.verified(peerOrConversation(arg));
      case "/unverify" -> keys.unverify(peerOrConversation(arg));
      case "/accept" -> keys.accept(peerOrConversation(arg));
      case "/info" -> info(peerOrConversation(arg));
      default ->
          throw new CliException(
              ExitCode.USAGE, "Unknown command " + words[0] + "; /help lists them.");
    }
    return true;
  }

  /** Opens the conversation with {@code peer}: shows its last messages and opens a link. */
  void open(UserName peer) {
    if (peer.equals(client.name())) {
      throw new CliException(ExitCode.USAGE, "That is you.");
    }
    watch(peer);
    console.open(peer);
    AttributedStringBuilder header =
        new AttributedStringBuilder()
            .append("Talking to ", INFO)
            .append(peer.value(), NAME)
            .append(
                client.online().contains(peer)
                    ? " (online"
                    : " (offline: messages wait in your outbox",
                INFO);
    keys.brief(peer, header);
    console.say(header.append(").", INFO));
    history(10);
    client.connect(peer);
  }

  /** Answers whoever wrote last: opens their conversation, and sends {@code text} if any. */
  private void reply(String text) {
    UserName writer = console.lastWriter();
    if (writer == null) {
      throw new CliException(ExitCode.USAGE, "Nobody has written to you yet.");
    }
    if (!writer.equals(console.current())) {
      open(writer);
    }
    if (!text.isEmpty()) {
      client.send(writer, text);
    }
  }

  private void history(int limit) {
    for (Entry entry : client.history(conversation(), limit)) {
      console.say(EntryLines.line(entry));
    }
  }

  /** Whether {@code peer} is online, and how the link to them goes, with its candidate pair. */
  private void info(UserName peer) {
    Optional<LinkPath> path;
    try {
      path = client.path(peer).get(5, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      path = Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    AttributedStringBuilder text =
        new AttributedStringBuilder()
            .append(peer.value(), NAME)
            .append(" is " + (client.online().contains(peer) ? "online" : "offline"), INFO);
    keys.describe(peer, text);
    console.say(
        text.append(
            ". "
                + path.map(p -> "Link: " + p.describe() + ".")
                    .orElse("No direct link is open; the next message opens one."),
            INFO));
  }

  private void help() {
    console.say(
        """
        /who                 who is online (of your conversations, if the server tells no more)
        /open NAME           talk to NAME (then just type to send)
        /reply [TEXT]        talk to whoever wrote last (and send TEXT)
        /msg NAME TEXT       send TEXT to NAME without switching
        /file PATH           send a file to the open conversation
        /history [N]         the last N messages of the open conversation
        /list                your conversations
        /verify [NAME]       show the safety number to compare with NAME
        /verified [NAME]     mark NAME as verified once the numbers match
        /unverify [NAME]     take back the verified mark
        /accept [NAME]       accept NAME's new key after a key change
        /info [NAME]         whether NAME is online and verified, and how the link goes
        /groups              your groups
        /create NAMES TITLE  a group of you and NAMES (comma-separated), titled TITLE
        /open #TITLE         open a group (then just type to send to it)
        /members             the open group's members, admins and who is online
        /add, /remove NAME   add or remove a member of the open group (admins only)
        /admin NAME          make a member of the open group an admin (admins only)
        /leave               leave the open group
        /quit                leave (or Ctrl-D)""",
        INFO);
  }

  /** Everyone online, and everyone we had a conversation with: the names worth completing. */
  List<String> names() {
    TreeSet<String> names = new TreeSet<>(groups.titles());
    client.online().forEach(n -> names.add(n.value()));
    client.conversations().forEach(n -> names.add(n.value()));
    return List.copyOf(names);
  }

  /**
   * Who is online; in contacts mode, said to be only among the people we have conversations with,
   * since the server tells of nobody else.
   */
  String online() {
    TreeSet<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    client.online().forEach(n -> names.add(n.value()));
    String list = String.join(", ", names);
    if (client.presenceMode() == PresenceMode.CONTACTS) {
      return (names.isEmpty()
              ? "Nobody you have conversations with is online."
              : "Online among the people you have conversations with: " + list + ".")
          + " This server tells only of them: /info NAME asks about anyone else.";
    }
    return names.isEmpty() ? "Nobody else is online." : "Online: " + list + ".";
  }

  /** The peer named (watched: see {@link #watch}), else the open conversation's. */
  private UserName peerOrConversation(String arg) {
    return arg.isEmpty() ? conversation() : watch(ClientOptions.peer(arg));
  }

  /**
   * Watches {@code peer} and waits, briefly, until the server has said whether they are online (at
   * once in everyone mode, or if {@code peer} is watched already): so that what a command says of
   * them is right in contacts mode. Without an answer in time they are offline, as far as we know.
   */
  private UserName watch(UserName peer) {
    try {
      var unused = client.watch(peer).get(ASK.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // said as offline, which the next join corrects
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return peer;
  }

  private UserName conversation() {
    UserName peer = console.current();
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

  private static String join(List<UserName> names) {
    List<String> values = new ArrayList<>();
    names.forEach(n -> values.add(n.value()));
    return String.join(", ", values);
  }
}
