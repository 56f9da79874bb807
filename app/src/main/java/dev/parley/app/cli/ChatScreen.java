package dev.parley.app.cli;

import static dev.parley.app.cli.Console.DIM;
import static dev.parley.app.cli.Console.INFO;
import static dev.parley.app.cli.Console.NAME;
import static dev.parley.app.cli.Console.WARN;

import dev.parley.client.ParleyClient;
import dev.parley.client.chat.ChatListener;
import dev.parley.client.group.GroupDelivery;
import dev.parley.client.group.GroupId;
import dev.parley.client.group.LogEntry;
import dev.parley.client.group.Op;
import dev.parley.client.link.LinkPath;
import dev.parley.client.link.NoPathException;
import dev.parley.client.profile.Entry;
import dev.parley.client.server.ServerState;
import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.UserName;
import java.nio.file.Path;
import java.util.Optional;
import org.jline.utils.AttributedStringBuilder;
import org.jspecify.annotations.Nullable;

/** What the client reports, as {@code parley chat} shows it above the prompt. */
final class ChatScreen implements ChatListener {
  private final Console console;
  private final EntryLines lines;
  private volatile @Nullable ParleyClient client;
  private volatile boolean connected;
  private volatile boolean quitting;
  private boolean reconnecting;

  ChatScreen(Console console, EntryLines lines) {
    this.console = console;
    this.lines = lines;
  }

  /**
   * The first login succeeded: from now on the server closing on us is news. Before, the failed
   * login itself explains it, in one sentence, and nothing is said twice.
   */
  void connected() {
    connected = true;
  }

  /** The client, once connected: groups are shown by their titles, which it knows. */
  void use(ParleyClient client) {
    this.client = client;
  }

  void quitting() {
    quitting = true;
  }

  @Override
  public void stateChanged(ServerState state) {
    switch (state) {
      case RECONNECTING -> {
        reconnecting = true;
        console.say("Lost the server; reconnecting. Open direct links keep working.", WARN);
      }
      case ONLINE -> {
        if (reconnecting) {
          reconnecting = false;
          console.say("Connected to the server again.", INFO);
        }
      }
      case CLOSED -> {
        if (connected && !quitting) {
          console.say("The server closed our session; /quit and check the name and profile.", WARN);
        }
      }
      default -> {}
    }
  }

  @Override
  public void joined(UserName peer) {
    console.say(new AttributedStringBuilder().append(peer.value(), NAME).append(" is online", DIM));
  }

  @Override
  public void left(UserName peer) {
    console.say(
        new AttributedStringBuilder().append(peer.value(), NAME).append(" went offline", DIM));
    console.typing(peer, false);
  }

  /**
   * A message arrived. With no conversation open, it opens the writer's, so that what is typed next
   * answers them; with another one open, the line says how to answer.
   */
  @Override
  public void received(Entry entry) {
    console.wrote(entry.peer());
    UserName current = console.current();
    console.say(EntryLines.line(entry));
    if (current == null) {
      console.open(entry.peer());
      console.say("(Talking to " + entry.peer() + " now: type to answer.)", DIM);
    } else if (!current.equals(entry.peer())) {
      console.say("(/reply to answer " + entry.peer() + ".)", DIM);
    }
  }

  @Override
  public boolean showsReceived() {
    return true;
  }

  @Override
  public void updated(Entry entry) {
    lines.updated(entry);
  }

  @Override
  public void typing(UserName peer, boolean active) {
    console.typing(peer, active);
  }

  @Override
  public void progress(UserName peer, String id, boolean outgoing, long done, long total) {
    if (done == total || total == 0) {
      return; // the delivery or arrival line follows
    }
    long percent = done * 100 / total;
    if (percent % 25 == 0) {
      console.say(
          (outgoing ? "sending to " : "receiving from ") + peer + ": " + percent + "%", DIM);
    }
  }

  /**
   * A message in a group. With nothing open, it opens the group, so that what is typed next goes
   * there; with something else open, the line says how to answer.
   */
  @Override
  public void groupMessage(LogEntry message) {
    ParleyClient c = client;
    String title = c == null ? message.group().value().substring(0, 8) : title(c, message.group());
    console.say(GroupLines.line(message, title, false));
    Console.OpenGroup open = console.group();
    if (open == null && console.current() == null && c != null) {
      console.openGroup(message.group(), title);
      console.say("(In #" + title + " now: type to answer.)", DIM);
    } else if (open == null || !open.id().equals(message.group())) {
      console.say("(/open #" + title + " to answer.)", DIM);
    }
  }

  @Override
  public void groupChanged(LogEntry change) {
    ParleyClient c = client;
    if (c != null && !change.author().equals(c.name())) {
      console.say(GroupLines.line(change, title(c, change.group()), false));
    }
  }

  @Override
  public void groupDelivery(LogEntry entry, GroupDelivery delivery) {
    ParleyClient c = client;
    if (c != null && entry.op() instanceof Op.Content) { // a change's delivery is no one's concern
      console.say(GroupLines.delivery(entry, delivery, title(c, entry.group())));
    }
  }

  @Override
  public void groupFileSaved(LogEntry file, Path path) {
    ParleyClient c = client;
    if (c != null) {
      console.say(GroupLines.saved(file, title(c, file.group()), path));
    }
  }

  @Override
  public void groupTyping(GroupId group, UserName member, boolean active) {
    console.groupTyping(group, member, active);
  }

  @Override
  public void groupRejected(UserName from, GroupId group, String why) {
    console.say("Refused a group message that " + from + " passed on: " + why + ".", WARN);
  }

  private static String title(ParleyClient client, GroupId group) {
    return GroupCommands.title(client.groups(), group);
  }

  @Override
  public void keyChanged(UserName peer, IdentityKey pinned, IdentityKey presented) {
    console.say(
        "WARNING: the identity key of "
            + peer
            + " has changed. Messages to and from them are refused until you accept the new key."
            + " Check it with them first: /verify "
            + peer
            + ", then /accept "
            + peer
            + ".",
        WARN);
  }

  @Override
  public void problem(UserName peer, String message) {
    console.say(message, WARN);
  }

  @Override
  public void linkOpened(UserName peer, Optional<LinkPath> path) {
    console.say(
        "Link to "
            + peer
            + " open"
            + path.map(p -> ": " + p.kind().words()).orElse("")
            + " (/info "
            + peer
            + " for details)",
        DIM);
  }

  @Override
  public void linkPathChanged(UserName peer, LinkPath path) {
    console.say("Link to " + peer + " is now " + path.kind().words(), DIM);
  }

  @Override
  public void noPath(UserName peer, NoPathException why) {
    console.say(
        why.getMessage()
            + " Anything you write to "
            + peer
            + " waits in your outbox; Parley tries again in a while.",
        WARN);
  }
}
