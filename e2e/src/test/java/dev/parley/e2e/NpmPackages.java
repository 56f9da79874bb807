package dev.parley.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * npm packages that browser tests load, installed when a test first asks for them by the machine's
 * {@code npm} into {@code target/npm} (never kept in the repository). An exact version already
 * there is not installed again, so only the first run after a clean build reaches the registry.
 * Install scripts are not run: the tests want the packages' files, and a script could fetch more.
 */
public final class NpmPackages {
  private static final System.Logger log = System.getLogger(NpmPackages.class.getName());
  private static final Path DIRECTORY = Path.of("target", "npm");
  private static final Duration TIMEOUT = Duration.ofMinutes(3);
  private static final ObjectMapper JSON = new ObjectMapper();

  private NpmPackages() {}

  /**
   * The file {@code file} of package {@code name} at exactly {@code version}, installing it first
   * if need be; for example {@code file("peerjs", "1.5.5", "dist/peerjs.min.js")}.
   */
  public static Path file(String name, String version, String file) {
    Path path = install(name, version).resolve(file);
    if (!Files.isRegularFile(path)) {
      throw new IllegalStateException(name + "@" + version + " has no file " + file);
    }
    return path;
  }

  /** The directory of package {@code name} at exactly {@code version}, installed if need be. */
  public static synchronized Path install(String name, String version) {
    Path packageDirectory = DIRECTORY.resolve("node_modules").resolve(name);
    if (version.equals(installedVersion(packageDirectory))) {
      return packageDirectory;
    }
    long start = System.nanoTime();
    runNpm(name + "@" + version);
    String installed = installedVersion(packageDirectory);
    if (!version.equals(installed)) {
      throw new IllegalStateException(
          "npm installed " + name + "@" + installed + " instead of " + version);
    }
    log.log(
        System.Logger.Level.INFO,
        "Installed {0}@{1} in {2} ms",
        name,
        version,
        (System.nanoTime() - start) / 1_000_000);
    return packageDirectory;
  }

  private static String installedVersion(Path packageDirectory) {
    Path manifest = packageDirectory.resolve("package.json");
    if (!Files.isRegularFile(manifest)) {
      return "";
    }
    try {
      return JSON.readTree(manifest.toFile()).path("version").asText();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + manifest, e);
    }
  }

  private static void runNpm(String spec) {
    List<String> command =
        List.of(
            "npm",
            "install",
            "--no-audit",
            "--no-fund",
            "--no-update-notifier",
            "--ignore-scripts",
            "--prefix",
            DIRECTORY.toString(),
            spec);
    try {
      Files.createDirectories(DIRECTORY);
      Path output = DIRECTORY.resolve("npm-install.log");
      Process npm;
      try {
        npm =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
      } catch (IOException e) {
        throw new IllegalStateException(
            "The end-to-end tests install npm packages with npm, which is not on the PATH:"
                + " install Debian's packages nodejs and npm (scripts/test does this)",
            e);
      }
      try {
        if (!npm.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new IllegalStateException(
              String.join(" ", command) + " took longer than " + TIMEOUT + ":\n" + read(output));
        }
      } finally {
        npm.descendants().forEach(ProcessHandle::destroyForcibly);
        npm.destroyForcibly();
      }
      if (npm.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command) + " failed (exit " + npm.exitValue() + "):\n" + read(output));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running npm", e);
    }
  }

  private static String read(Path output) throws IOException {
    return Files.readString(output, StandardCharsets.UTF_8);
  }
}
