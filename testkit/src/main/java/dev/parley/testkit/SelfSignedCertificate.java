package dev.parley.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A throwaway certificate and key in PEM for a test's TLS server, made by Debian's {@code openssl}
 * (coturn wants PEM files, which the JDK's keytool cannot write for a private key). An EC P-256
 * key, since it takes milliseconds where RSA takes seconds; the subject alternative name is the
 * server's IP address or name, so a client that checks names would accept it once trusted.
 */
final class SelfSignedCertificate {
  static final String CERTIFICATE = "cert.pem";
  static final String KEY = "key.pem";
  private static final Path OPENSSL = Path.of("/usr/bin/openssl");

  private SelfSignedCertificate() {}

  static void create(Path directory, String host) {
    if (!Files.isExecutable(OPENSSL)) {
      throw new IllegalStateException(
          OPENSSL + " is missing: install Debian's package `openssl` (apt-get install openssl)");
    }
    String name = host.matches("[0-9.]+|.*:.*") ? "IP:" + host : "DNS:" + host;
    List<String> command =
        List.of(
            OPENSSL.toString(),
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=" + host,
            "-addext",
            "subjectAltName=" + name,
            "-keyout",
            directory.resolve(KEY).toString(),
            "-out",
            directory.resolve(CERTIFICATE).toString());
    Processes.run(command, directory.resolve("openssl.log"), Duration.ofSeconds(30));
  }
}
