package dev.parley.app.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.client.ParleyClient;
import dev.parley.client.chat.ChatListener;
import dev.parley.client.link.LinkPath;
import dev.parley.client.link.NoPathException;
import dev.parley.client.profile.Entry;
import dev.parley.client.server.ServerState;
import dev.parley.protocol.UserName;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code parley receive}: stays online and prints each incoming message as one line. */
@Command(
    name = "receive",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Stay online and print each incoming message (and file) as one line, until interrupted.",
      "While it runs, your outbox goes out to whoever comes online.",
      "",
      "Exit codes: 0 stopped (Ctrl-C, or --count reached), 4 server unreachable, 5 name taken,"
          + " 6 profile in use, 7 WebRTC missing, 2 usage."
    })
public final class ReceiveCommand extends ClientCommand {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

  @Mixin ClientOptions options;

  @Option(names = "--json", description = "Print JSON lines instead of text.")
  boolean json;

  @Option(
      names = "--count",
      paramLabel = "N",
      description = "Stop after N messages (default: run until interrupted).")
  int count;

  @Override
  int execute(PrintStream out, PrintStream err) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    AtomicInteger received = new AtomicInteger();
    ChatListener listener =
        new ChatListener() {
          @Override
          public void received(Entry entry) {
            synchronized (out) {
              out.println(json ? json(entry) : text(entry));
              out.flush();
            }
            if (count > 0 && received.incrementAndGet() >= count) {
              done.countDown();
            }
          }

          // Printed and flushed before received returns: shown, even if killed right after.
          @Override
          public boolean showsReceived() {
            return true;
          }

          // A link's path goes to scripts as its own JSON line, to people on standard error.
          @Override
          public void linkOpened(UserName peer, Optional<LinkPath> path) {
            link(peer, path, "open: ");
          }

          // A later line for the same peer: the path turned out to be of another kind.
          @Override
          public void linkPathChanged(UserName peer, LinkPath path) {
            link(peer, Optional.of(path), "is now ");
          }

          // what comes before the path's description: "open: ", say
          private void link(UserName peer, Optional<LinkPath> path, String what) {
            if (!json) {
              err.println(
                  "parley: link to "
                      + peer
                      + " "
                      + path.map(p -> what + p.describe()).orElse("open"));
              return;
            }
            ObjectNode line =
                JsonNodeFactory.instance.objectNode().put("type", "link").put("peer", peer.value());
            path.ifPresent(
                p ->
                    line.put("path", p.kind().name().toLowerCase(Locale.ROOT))
                        .put("local", p.local().toString())
                        .put("remote", p.remote().toString()));
            synchronized (out) {
              out.println(line);
              out.flush();
            }
          }

          @Override
          public void problem(UserName peer, String message) {
            err.println("parley: " + message);
          }

          @Override
          public void noPath(UserName peer, NoPathException why) {
            err.println("parley: " + why.getMessage());
          }

          @Override
          public void stateChanged(ServerState state) {
            switch (state) {
              case RECONNECTING ->
                  err.println("parley: lost the server; reconnecting (direct links keep working)");
              case CLOSED -> done.countDown();
              default -> {}
            }
          }

          @Override
          public void keyChanged(
              UserName peer,
              dev.parley.protocol.IdentityKey pinned,
              dev.parley.protocol.IdentityKey presented) {
            err.println(
                "parley: WARNING: the identity key of "
                    + peer
                    + " has changed; their messages are refused until you check and accept it"
                    + " (/verify, /accept in ./parley chat)");
          }
        };
    ParleyClient client = options.connect(listener);
    Thread hook =
        new Thread(
            () -> {
              client.close();
              done.countDown();
              QuietExit.closeStandardOutput();
            },
            "parley-receive-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    err.println("parley: online as " + client.name() + "; waiting for messages (Ctrl-C to stop)");
    done.await();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
      client.close();
    } catch (IllegalStateException e) {
      // already shutting down: the hook closes the client
    }
    return ExitCode.OK;
  }

  private static String text(Entry entry) {
    String when = TIME.format(Instant.ofEpochMilli(entry.ts()));
    return entry
        .fileInfo()
        .map(
            f ->
                "["
                    + when
                    + "] "
                    + entry.peer()
                    + " sent a file: "
                    + entry.text()
                    + " ("
                    + f.size()
                    + " bytes, sha256 "
                    + f.sha256()
                    + ") saved to "
                    + f.path())
        .orElse("[" + when + "] " + entry.peer() + ": " + entry.text());
  }

  private static String json(Entry entry) {
    ObjectNode line = JsonNodeFactory.instance.objectNode();
    line.put("type", entry.isFile() ? "file" : "message")
        .put("from", entry.peer().value())
        .put("id", entry.id())
        .put("ts", entry.ts());
    entry
        .fileInfo()
        .ifPresentOrElse(
            f ->
                line.put("name", entry.text())
                    .put("size", f.size())
                    .put("sha256", f.sha256())
                    .put("path", f.path().toString()),
            () -> line.put("text", entry.text()));
    return line.toString();
  }
}
