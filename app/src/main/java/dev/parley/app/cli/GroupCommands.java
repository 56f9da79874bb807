package dev.parley.app.cli;

import static dev.parley.app.cli.Console.INFO;

import dev.parley.client.ParleyClient;
import dev.parley.client.chat.GroupChats;
import dev.parley.client.group.Group;
import dev.parley.client.group.GroupId;
import dev.parley.client.group.LogEntry;
import dev.parley.client.group.Op;
import dev.parley.protocol.UserName;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The commands of {@code parley chat} about groups: create one, open it as {@code #title}, change
 * its members, list them with their presence. A line typed in an open group goes to the group.
 */
final class GroupCommands {
  private final ParleyClient client;
  private final Console console;

  GroupCommands(ParleyClient client, Console console) {
    this.client = client;
    this.console = console;
  }

  private GroupChats groups() {
    return client.groups();
  }

  /** {@code /create NAME[,NAME...] TITLE}: a group of us and them, opened. */
  void create(String names, String title) {
    List<UserName> members = new ArrayList<>();
    for (String name : names.split(",", -1)) {
      if (!name.isBlank()) {
        members.add(ClientOptions.peer(name.strip()));
      }
    }
    GroupId id = groups().create(title, members);
    console.say("Created #" + title + " with " + names.replace(",", ", ") + ".", INFO);
    open(groups().get(id).orElseThrow());
  }

  /** {@code /open #TITLE}: the group whose title (or id) starts so, shown and opened. */
  void open(String name) {
    open(find(name.startsWith("#") ? name.substring(1) : name));
  }

  private void open(Group group) {
    console.openGroup(group.id(), group.title());
    console.say(
        "In #" + group.title() + (group.joined() ? "" : " (you are no longer a member)") + ".",
        INFO);
    history(10);
    members();
  }

  /** A line typed in the open group. */
  void send(String text) {
    LogEntry sent = groups().send(open().id(), text);
    console.say(GroupLines.line(sent, open().title(), true));
  }

  /** {@code /file PATH} in the open group: shared, its bytes fetched from us by the members. */
  void sendFile(Path path) throws IOException {
    LogEntry sent = groups().sendFile(open().id(), path);
    console.say(GroupLines.line(sent, open().title(), true));
  }

  void history(int limit) {
    Console.OpenGroup group = open();
    for (LogEntry entry : groups().history(group.id(), limit)) {
      boolean mine = entry.author().equals(client.name());
      Optional<Path> held =
          entry.op() instanceof Op.File
              ? groups().file(group.id(), entry.hash())
              : Optional.empty();
      console.say(GroupLines.line(entry, group.title(), mine, held));
    }
  }

  void members() {
    Group group = groups().get(open().id()).orElseThrow();
    List<String> members = new ArrayList<>();
    for (Group.Member member : group.members()) {
      List<String> about = new ArrayList<>();
      if (member.admin()) {
        about.add("admin");
      }
      about.add(member.online() ? "online" : "offline");
      members.add(member.name() + " (" + String.join(", ", about) + ")");
    }
    console.say("Members of #" + group.title() + ": " + String.join(", ", members) + ".", INFO);
  }

  void add(UserName member) {
    groups().add(open().id(), member);
    console.say("Added " + member + " to #" + open().title() + ".", INFO);
  }

  void remove(UserName member) {
    groups().remove(open().id(), member);
    console.say(
        "Removed "
            + member
            + " from #"
            + open().title()
            + "; nothing written from now on reaches them.",
        INFO);
  }

  void makeAdmin(UserName member) {
    groups().makeAdmin(open().id(), member);
    console.say(member + " is an admin of #" + open().title() + " now.", INFO);
  }

  void leave() {
    Console.OpenGroup group = open();
    groups().leave(group.id());
    console.say("You left #" + group.title() + "; its history stays.", INFO);
  }

  /** {@code /groups}: every group, with how many members are online. */
  void list() {
    List<Group> all = groups().list();
    if (all.isEmpty()) {
      console.say("No groups yet: /create NAME,NAME TITLE makes one.", INFO);
      return;
    }
    List<String> lines = new ArrayList<>();
    for (Group group : all) {
      long online = group.members().stream().filter(Group.Member::online).count();
      lines.add(
          "#"
              + group.title()
              + " ("
              + group.members().size()
              + " members, "
              + online
              + " online"
              + (group.joined() ? "" : ", left")
              + ")");
    }
    console.say("Groups: " + String.join(", ", lines) + ".", INFO);
  }

  /** The titles of the groups, as {@code #title}, for completion. */
  List<String> titles() {
    return groups().list().stream().map(g -> "#" + g.title()).toList();
  }

  /** The title of {@code id} for a line, or the start of its id if it is not known yet. */
  static String title(GroupChats groups, GroupId id) {
    return groups.get(id).map(Group::title).orElse(id.value().substring(0, 8));
  }

  private Console.OpenGroup open() {
    Console.OpenGroup group = console.group();
    if (group == null) {
      throw new CliException(
          ExitCode.USAGE, "Open a group first: /open #TITLE (/groups lists them)");
    }
    return group;
  }

  private Group find(String name) {
    String wanted = name.toLowerCase(Locale.ROOT);
    List<Group> found =
        groups().list().stream()
            .filter(
                g ->
                    g.title().toLowerCase(Locale.ROOT).startsWith(wanted)
                        || g.id().value().startsWith(wanted))
            .toList();
    List<Group> exact = found.stream().filter(g -> g.title().equalsIgnoreCase(name)).toList();
    if (exact.size() == 1) {
      return exact.get(0);
    }
    if (found.size() != 1) {
      throw new CliException(
          ExitCode.USAGE,
          found.isEmpty()
              ? "No group #" + name + "; /groups lists yours."
              : "Several groups match #" + name + "; type more of the title.");
    }
    return found.get(0);
  }
}
