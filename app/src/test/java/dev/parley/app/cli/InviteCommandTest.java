package dev.parley.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Identity;
import dev.parley.protocol.InviteCode;
import dev.parley.protocol.ServerMessage;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerConfig;
import dev.parley.server.session.Registration;
import dev.parley.testkit.ParleyCommand;
import dev.parley.testkit.TestClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code parley invite} as an operator runs it, a process of its own beside a running server, and
 * its codes as people use them from the terminal.
 */
@Timeout(120)
class InviteCommandTest {
  @TempDir Path dir;

  @Test
  void codesMadeBesideARunningServerEachRegisterOneNewName() throws Exception {
    Path data = dir.resolve("data");
    try (ParleyServer server = inviteOnly(data)) {
      Result made = run("invite", "--data", data.toString(), "--count", "2", "--expires", "2d");

      assertThat(made.code()).as(made.err()).isZero();
      List<String> codes = made.out().lines().toList();
      assertThat(codes)
          .hasSize(2)
          .allSatisfy(code -> assertThat(code).matches("(\\w{4}-){3}\\w{4}"))
          .doesNotHaveDuplicates();
      assertThat(made.err()).contains("Each registers one new name, once, until", "(2 days)");
      assertThat(run("invite", "--data", data.toString(), "--list").err())
          .contains("2 invite codes are open; the first expires");

      URI ws = URI.create("ws://127.0.0.1:" + server.port() + "/ws");
      try (TestClient bob = TestClient.connect(ws)) {
        bob.sendLogin("bob", Identity.generate(), new InviteCode(codes.get(0)));
        bob.await(ServerMessage.Welcome.class);
      }
      try (TestClient carol = TestClient.connect(ws)) {
        carol.sendLogin("carol", Identity.generate(), new InviteCode(codes.get(0)));
        carol.awaitError(ErrorCode.INVITE_INVALID);
      }
      assertThat(run("invite", "--data", data.toString(), "--list").err())
          .contains("1 invite code is open, until");
    }
  }

  @Test
  void aPersonSignsUpFromTheTerminalWithTheCodeAndIsToldWhatIsWrongWithout() throws Exception {
    Path data = dir.resolve("data");
    try (ParleyServer server = inviteOnly(data)) {
      String address = "127.0.0.1:" + server.port();
      List<String> send =
          List.of(
              "send",
              "--server",
              address,
              "--name",
              "dora",
              "--profile",
              dir.resolve("dora").toString(),
              "--to",
              "bob",
              "--wait",
              "1s",
              "hi");

      Result uninvited = run(send.toArray(String[]::new));
      assertThat(uninvited.code()).isEqualTo(ExitCode.UNREACHABLE);
      assertThat(uninvited.err())
          .contains(
              "parley: The Parley server at "
                  + address
                  + " takes new names by invitation only, and 'dora' is not registered there: ask"
                  + " its operator for an invite code and add --invite CODE.");

      Result mistyped = run(with(send, "--invite", "H4QM-7ZKD-WX2B-9RTA"));
      assertThat(mistyped.code()).isEqualTo(ExitCode.UNREACHABLE);
      assertThat(mistyped.err()).contains("did not take the invite code: it is mistyped, used");

      String code = run("invite", "--data", data.toString()).out().strip();
      Result invited = run(with(send, "--invite", code.toLowerCase(java.util.Locale.ROOT)));
      assertThat(invited.code()).as(invited.err()).isEqualTo(ExitCode.QUEUED);
      assertThat(invited.out()).contains("Queued: bob is offline");
    }
  }

  private static String[] with(List<String> args, String... more) {
    List<String> all = new ArrayList<>(args.subList(0, args.size() - 1));
    all.addAll(List.of(more));
    all.add(args.getLast());
    return all.toArray(String[]::new);
  }

  @Test
  void withoutTheServersDatabaseItSaysWhereItLookedAndMakesNone() throws Exception {
    Path nowhere = dir.resolve("elsewhere");

    Result result = run("invite", "--data", nowhere.toString());

    assertThat(result.code()).isEqualTo(ExitCode.FAILURE);
    assertThat(result.out()).isEmpty();
    assertThat(result.err())
        .contains("There is no Parley database at " + nowhere.resolve("parley.db"), "--data");
    assertThat(nowhere).doesNotExist();
  }

  @Test
  void aCountOutOfRangeIsAUsageError() throws Exception {
    Result result = run("invite", "--data", dir.toString(), "--count", "0");

    assertThat(result.code()).isEqualTo(ExitCode.USAGE);
    assertThat(result.err()).contains("--count takes 1 to 1000");
  }

  private record Result(int code, String out, String err) {}

  private Result run(String... args) throws IOException, InterruptedException {
    Path out = Files.createTempFile(dir, "invite", ".out");
    Path err = Files.createTempFile(dir, "invite", ".err");
    Process p =
        new ProcessBuilder(ParleyCommand.of(List.of(args)))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    p.getOutputStream().close();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("parley " + new ArrayList<>(List.of(args)) + " did not finish");
    }
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  /** A server on {@code data} that registers new names by invitation only. */
  private static ParleyServer inviteOnly(Path data) {
    return ParleyServer.start(
        ServerConfig.defaults().toBuilder()
            .port(0)
            .dataDirectory(data)
            .registration(Registration.Mode.INVITE)
            .build());
  }
}
