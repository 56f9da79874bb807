package dev.parley.server.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed certificate (EC P-256) for the names given, kept as two PEM files in a directory so
 * that a restart presents the same certificate and browsers need not be told about it again. A new
 * one is made when a name is missing from the kept one or it is about to expire.
 */
public final class SelfSignedCertificate {
  private static final Duration VALIDITY = Duration.ofDays(398);
  private static final Duration RENEW_BEFORE = Duration.ofDays(30);
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private final X509Certificate certificate;
  private final PrivateKey key;
  private final Path certificateFile;

  private SelfSignedCertificate(X509Certificate certificate, PrivateKey key, Path certificateFile) {
    this.certificate = certificate;
    this.key = key;
    this.certificateFile = certificateFile;
  }

  /** The certificate kept in {@code directory} if it covers {@code names}, otherwise a new one. */
  public static SelfSignedCertificate loadOrCreate(Path directory, List<String> names) {
    Path certFile = directory.resolve("self-signed-cert.pem");
    Path keyFile = directory.resolve("self-signed-key.pem");
    try {
      if (Files.exists(certFile) && Files.exists(keyFile)) {
        X509Certificate kept = Pem.certificates(certFile).get(0);
        if (covers(kept, names)
            && kept.getNotAfter().toInstant().isAfter(Instant.now().plus(RENEW_BEFORE))) {
          return new SelfSignedCertificate(kept, Pem.privateKey(keyFile), certFile);
        }
      }
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair pair = generator.generateKeyPair();
      X509Certificate made = make(pair, names);
      Files.createDirectories(directory);
      Files.writeString(keyFile, Pem.encode("PRIVATE KEY", pair.getPrivate().getEncoded()));
      restrict(keyFile);
      Files.writeString(certFile, Pem.encode("CERTIFICATE", made.getEncoded()));
      return new SelfSignedCertificate(made, pair.getPrivate(), certFile);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the self-signed certificate in " + directory, e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot make a self-signed certificate", e);
    }
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public PrivateKey key() {
    return key;
  }

  /** Where the certificate is kept, for people who want to trust it on their devices. */
  public Path certificateFile() {
    return certificateFile;
  }

  /** SHA-256 of the certificate, as browsers show it: upper-case hex bytes separated by colons. */
  public String fingerprint() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate make(KeyPair pair, List<String> names)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    Instant now = Instant.now();
    X500Name subject = new X500Name("CN=" + cn(names.get(0)) + ", O=Parley (self-signed)");
    var builder =
        new JcaX509v3CertificateBuilder(
            subject,
            new BigInteger(64, new SecureRandom()).setBit(63),
            Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(VALIDITY)),
            subject,
            pair.getPublic());
    List<GeneralName> alternatives = new ArrayList<>();
    for (String name : names) {
      alternatives.add(
          isAddress(name)
              ? new GeneralName(GeneralName.iPAddress, name)
              : new GeneralName(GeneralName.dNSName, name));
    }
    builder.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(alternatives.toArray(GeneralName[]::new)));
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate());
    return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
  }

  private static boolean covers(X509Certificate certificate, List<String> names)
      throws GeneralSecurityException {
    Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
    Set<String> has = new HashSet<>();
    if (alternatives != null) {
      for (List<?> alternative : alternatives) {
        has.add(canonical(String.valueOf(alternative.get(1))));
      }
    }
    return names.stream().map(SelfSignedCertificate::canonical).allMatch(has::contains);
  }

  private static String canonical(String name) {
    if (isAddress(name)) {
      try {
        // A literal address: resolved without asking DNS.
        return InetAddress.getByName(name).getHostAddress();
      } catch (UnknownHostException e) {
        return name;
      }
    }
    return name.toLowerCase(java.util.Locale.ROOT);
  }

  static boolean isAddress(String name) {
    return IPV4.matcher(name).matches() || name.contains(":");
  }

  private static String cn(String name) {
    return name.replaceAll("[^A-Za-z0-9.:*-]", "");
  }

  private static void restrict(Path file) {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException | IOException e) {
      // Not a POSIX file system: the directory's own permissions are what protect the key.
    }
  }

  /** Reading and writing PEM, as far as Parley needs it. */
  static final class Pem {
    private static final Pattern BLOCK =
        Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private Pem() {}

    static String encode(String type, byte[] der) {
      return "-----BEGIN "
          + type
          + "-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
          + "\n-----END "
          + type
          + "-----\n";
    }

    static List<X509Certificate> certificates(Path file) throws IOException {
      try (var in = Files.newInputStream(file)) {
        List<X509Certificate> chain = new ArrayList<>();
        for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
          chain.add((X509Certificate) certificate);
        }
        if (chain.isEmpty()) {
          throw new IllegalArgumentException("no certificate in " + file);
        }
        return chain;
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException("cannot read the certificate in " + file, e);
      }
    }

    static PrivateKey privateKey(Path file) throws IOException {
      var matcher = BLOCK.matcher(Files.readString(file, StandardCharsets.US_ASCII));
      if (!matcher.find() || !matcher.group(1).equals("PRIVATE KEY")) {
        throw new IllegalArgumentException(
            file + " holds no unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY-----)");
      }
      byte[] der = Base64.getMimeDecoder().decode(matcher.group(2));
      for (String algorithm : List.of("EC", "RSA", "Ed25519")) {
        try {
          return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
          // try the next algorithm
        }
      }
      throw new IllegalArgumentException(
          "the key in " + file + " is not an EC, RSA or Ed25519 key");
    }
  }
}
