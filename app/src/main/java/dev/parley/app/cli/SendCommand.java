package dev.parley.app.cli;

import dev.parley.client.ParleyClient;
import dev.parley.client.chat.ChatListener;
import dev.parley.client.chat.DeliveryFailedException;
import dev.parley.client.chat.Messenger;
import dev.parley.client.link.LinkPath;
import dev.parley.client.link.NoPathException;
import dev.parley.client.profile.Entry;
import dev.parley.client.profile.ProfileException;
import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.UserName;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code parley send}: one message or file, delivered directly, waiting for the acknowledgement.
 */
@Command(
    name = "send",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Send one message (or a file) directly to someone and wait until they acknowledge it.",
      "If they are offline it stays in your outbox and goes out the next time you run parley"
          + " (chat, send or receive) while they are online.",
      "",
      "Exit codes: 0 delivered, 3 queued (not delivered yet), 4 server unreachable, 5 name taken,"
          + " 6 profile in use, 7 WebRTC missing, 8 refused (or their key changed),"
          + " 9 no connection possible between the two networks, 2 usage."
    })
public final class SendCommand extends ClientCommand {
  private static final Duration ANSWER = Duration.ofSeconds(5);

  @Mixin ClientOptions options;

  @Option(names = "--to", required = true, paramLabel = "PEER", description = "Who to send to.")
  String to = "";

  @Option(names = "--file", paramLabel = "PATH", description = "Send this file instead of text.")
  @Nullable Path file;

  @Option(
      names = "--wait",
      paramLabel = "DURATION",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description = "How long to wait for the acknowledgement (default: ${DEFAULT-VALUE}).")
  Duration wait = Duration.ofSeconds(30);

  @Parameters(
      paramLabel = "TEXT",
      arity = "0..*",
      description = "The message; read from standard input if there is none.")
  List<String> words = List.of();

  @Override
  int execute(PrintStream out, PrintStream err) throws IOException {
    UserName peer = ClientOptions.peer(to);
    String text = String.join(" ", words);
    if (file == null && text.isBlank()) {
      text = new String(System.in.readAllBytes(), StandardCharsets.UTF_8).strip();
      if (text.isEmpty()) {
        throw new CliException(ExitCode.USAGE, "Nothing to send: give TEXT or --file PATH.");
      }
    }
    CompletableFuture<IdentityKey> keyChanged = new CompletableFuture<>();
    CompletableFuture<NoPathException> noPath = new CompletableFuture<>();
    AtomicReference<Optional<LinkPath>> path = new AtomicReference<>(Optional.empty());
    ChatListener listener =
        new ChatListener() {
          @Override
          public void keyChanged(UserName who, IdentityKey pinned, IdentityKey presented) {
            if (who.equals(peer)) {
              keyChanged.complete(presented);
            }
          }

          @Override
          public void linkOpened(UserName who, Optional<LinkPath> opened) {
            if (who.equals(peer)) {
              path.set(opened);
            }
          }

          @Override
          public void linkPathChanged(UserName who, LinkPath now) {
            if (who.equals(peer)) {
              path.set(Optional.of(now));
            }
          }

          @Override
          public void noPath(UserName who, NoPathException why) {
            if (who.equals(peer)) {
              noPath.complete(why);
            }
          }
        };
    try (ParleyClient client = options.connect(listener)) {
      if (peer.equals(client.name())) {
        throw new CliException(ExitCode.USAGE, "You cannot send to yourself.");
      }
      Messenger.Sending sending;
      try {
        sending = file != null ? client.sendFile(peer, file) : client.send(peer, text);
      } catch (IllegalArgumentException | IOException e) {
        throw new CliException(ExitCode.USAGE, "Cannot send that: " + e.getMessage());
      } catch (ProfileException e) {
        throw new CliException(ExitCode.PROFILE, "Not sent: " + e.getMessage() + ".");
      }
      if (!isOnline(client, peer)) {
        out.println(
            "Queued: "
                + peer
                + " is offline. It waits in your outbox and goes out the next time you run parley"
                + " while they are online.");
        return ExitCode.QUEUED;
      }
      CompletableFuture<Object> outcome =
          CompletableFuture.anyOf(sending.delivered(), keyChanged, noPath);
      try {
        Object result = outcome.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (result instanceof IdentityKey) {
          err.println(
              "Refused: the identity key of "
                  + peer
                  + " has changed. Check it with /verify in ./parley chat, then /accept it there."
                  + " The message stays queued.");
          return ExitCode.REFUSED;
        }
        if (result instanceof NoPathException why) {
          err.println("Not delivered: " + why.getMessage() + " The message stays in your outbox.");
          return ExitCode.NO_PATH;
        }
        Entry delivered = (Entry) result;
        out.println(
            "Delivered to "
                + delivered.peer()
                + path.get().map(p -> " (" + p.kind().words() + ")").orElse("")
                + ".");
        return ExitCode.OK;
      } catch (ExecutionException e) {
        if (e.getCause() instanceof DeliveryFailedException failed) {
          err.println("Refused by " + peer + ": " + failed.entry().detail() + ".");
          return ExitCode.REFUSED;
        }
        throw new CliException(ExitCode.FAILURE, String.valueOf(e.getCause()));
      } catch (TimeoutException e) {
        out.println(
            "Not acknowledged within "
                + wait.toSeconds()
                + " s"
                + "; it stays in your outbox and goes out on a later run.");
        return ExitCode.QUEUED;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return ExitCode.QUEUED;
      }
    }
  }

  /**
   * Whether {@code peer} is online, once the server has said: a server in contacts presence mode
   * tells only of the names the client watches, and the client watches {@code peer} from the send
   * on, so it waits (briefly) for the answer.
   */
  private static boolean isOnline(ParleyClient client, UserName peer) {
    try {
      return client.watch(peer).get(ANSWER.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      return client.online().contains(peer);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return client.online().contains(peer);
    }
  }
}
