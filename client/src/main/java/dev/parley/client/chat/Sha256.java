package dev.parley.client.chat;

import dev.parley.client.group.Hashes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/** The SHA-256 a file is checked by (docs/p2p.md, "Files"), in lower-case hex. */
final class Sha256 {
  private static final int BUFFER = 64 * 1024;

  private Sha256() {}

  static String of(Path file) throws IOException {
    MessageDigest digest = Hashes.digest();
    byte[] buffer = new byte[BUFFER];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return Hashes.hex(digest);
  }
}
