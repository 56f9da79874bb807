package dev.parley.server.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns {@link TlsSettings} into the Netty context that wraps every connection. */
public final class TlsContexts {
  private static final Logger log = LoggerFactory.getLogger(TlsContexts.class);

  private TlsContexts() {}

  /**
   * The server's TLS context.
   *
   * @param dataDirectory where a self-signed certificate is kept across restarts
   * @throws IllegalArgumentException if a file is missing or does not hold what it should
   */
  public static SslContext server(TlsSettings settings, Path dataDirectory) {
    try {
      return switch (settings) {
        case TlsSettings.PemFiles files -> fromFiles(files);
        case TlsSettings.SelfSigned self -> {
          SelfSignedCertificate made =
              SelfSignedCertificate.loadOrCreate(dataDirectory.resolve("tls"), self.names());
          log.info(
              "Self-signed certificate for {} in {}, SHA-256 {}",
              self.names(),
              made.certificateFile(),
              made.fingerprint());
          yield SslContextBuilder.forServer(made.key(), made.certificate()).build();
        }
      };
    } catch (SSLException e) {
      throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  private static SslContext fromFiles(TlsSettings.PemFiles files) throws SSLException {
    for (Path file : new Path[] {files.certificate(), files.key()}) {
      if (!Files.isReadable(file)) {
        throw new IllegalArgumentException("cannot read " + file);
      }
    }
    try {
      return SslContextBuilder.forServer(files.certificate().toFile(), files.key().toFile())
          .build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cannot use the certificate "
              + files.certificate()
              + " with the key "
              + files.key()
              + ": "
              + e.getMessage(),
          e);
    }
  }
}
