package dev.parley.bench.servers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The anchors Parley is measured against, installed from npm at bench time (never vendored): the
 * stock PeerServer (npm {@code peer}) and Socket.IO 4 for the original design's presence server.
 */
public final class Anchors {
  public static final String PEER = "peer@1.0.2";
  public static final String SOCKET_IO = "socket.io@4.8.1";

  private final Path dir;

  private Anchors(Path dir) {
    this.dir = dir;
  }

  /** Installs the anchors into {@code dir} unless they are there already. */
  public static Anchors install(Path dir) {
    try {
      Files.createDirectories(dir);
      Path marker = dir.resolve("installed-" + PEER + "-" + SOCKET_IO);
      if (!Files.exists(marker)) {
        run(
            dir,
            List.of(
                "npm",
                "install",
                "--no-audit",
                "--no-fund",
                "--ignore-scripts",
                "--no-update-notifier",
                "--prefix",
                dir.toString(),
                PEER,
                SOCKET_IO));
        Files.writeString(marker, "");
      }
      try (InputStream script =
          Anchors.class.getResourceAsStream("/anchors/socketio-presence.js")) {
        Files.copy(
            java.util.Objects.requireNonNull(script, "socketio-presence.js is not bundled"),
            dir.resolve("socketio-presence.js"),
            StandardCopyOption.REPLACE_EXISTING);
      }
      return new Anchors(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot install the anchors with npm", e);
    }
  }

  public Path peerServer() {
    return dir.resolve("node_modules/peer/dist/bin/peerjs.js");
  }

  public Path socketIoServer() {
    return dir.resolve("socketio-presence.js");
  }

  public Path nodeModules() {
    return dir.resolve("node_modules");
  }

  private static void run(Path dir, List<String> command) throws IOException {
    Path log = dir.resolve("npm-install.log");
    Process npm;
    try {
      npm =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "npm is needed to install the anchors: install Debian's packages nodejs and npm", e);
    }
    try {
      if (!npm.waitFor(5, TimeUnit.MINUTES)) {
        npm.destroyForcibly();
        throw new IllegalStateException("npm install took over 5 minutes; see " + log);
      }
      if (npm.exitValue() != 0) {
        throw new IllegalStateException("npm install failed:\n" + Files.readString(log));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      npm.destroyForcibly();
      throw new IllegalStateException("interrupted while installing the anchors", e);
    }
  }
}
