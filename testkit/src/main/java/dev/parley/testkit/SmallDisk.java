package dev.parley.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted on a directory (needs root), to be filled up: a full disk without filling
 * the machine's. {@link #close()} unmounts it, whatever the test did.
 */
public final class SmallDisk implements AutoCloseable {
  private final Path mountPoint;
  private final Path filler;

  private SmallDisk(Path mountPoint) {
    this.mountPoint = mountPoint;
    this.filler = mountPoint.resolve("filler");
  }

  /** Mounts a tmpfs of {@code mebibytes} MiB on {@code mountPoint}, which it creates. */
  public static SmallDisk mount(Path mountPoint, int mebibytes) {
    try {
      Files.createDirectories(mountPoint);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    run(
        "mount",
        "-t",
        "tmpfs",
        "-o",
        "size=" + mebibytes + "m,mode=0700",
        "tmpfs",
        mountPoint.toString());
    return new SmallDisk(mountPoint);
  }

  public Path path() {
    return mountPoint;
  }

  /** Fills what is left of the disk with a file, until writing fails for want of space. */
  public void fill() {
    byte[] block = new byte[4096];
    try (OutputStream out = Files.newOutputStream(filler)) {
      for (int i = 0; i < 1 << 20; i++) { // bounded: 4 GiB, far more than the disk holds
        out.write(block);
      }
      throw new AssertionError(mountPoint + " took 4 GiB without filling up");
    } catch (IOException e) {
      if (!String.valueOf(e.getMessage()).contains("No space left on device")) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Bytes that can still be written. */
  public long free() {
    try {
      return Files.getFileStore(mountPoint).getUsableSpace();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes the filler: there is room again. */
  public void makeRoom() {
    try {
      Files.deleteIfExists(filler);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    if (!run("umount", mountPoint.toString())) {
      run("umount", "--lazy", mountPoint.toString()); // still in use: detach it all the same
    }
  }

  private static boolean run(String... command) {
    try {
      Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish in 10 s");
      }
      if (process.exitValue() != 0) {
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (command[0].equals("mount")) {
          throw new AssertionError(String.join(" ", command) + " failed (needs root): " + output);
        }
        return false;
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
