package dev.parley.server.tls;

import java.nio.file.Path;
import java.util.List;

/** How the server gets its certificate when it serves HTTPS and WSS instead of HTTP and WS. */
public sealed interface TlsSettings {

  /**
   * A certificate (chain) and its private key, both PEM files, such as those of an ACME client.
   *
   * @param certificate the certificate chain, leaf first
   * @param key the private key, PKCS#8 ({@code BEGIN PRIVATE KEY}), unencrypted
   */
  record PemFiles(Path certificate, Path key) implements TlsSettings {}

  /**
   * A certificate the server makes for itself, for trying Parley out on a LAN: browsers warn about
   * it once, and then the page is a secure context (which WebCrypto needs).
   *
   * @param names the DNS names and IP addresses it is valid for
   */
  record SelfSigned(List<String> names) implements TlsSettings {
    public SelfSigned {
      if (names.isEmpty()) {
        throw new IllegalArgumentException("a self-signed certificate needs at least one name");
      }
      names = List.copyOf(names);
    }
  }
}
