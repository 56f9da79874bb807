package dev.parley.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The files of the web client, read once from the class path under {@code static/} and kept in
 * memory. Only plain relative paths are served: no "..", no hidden files. Only files found are
 * kept, so what the map holds is bounded by what the jar holds, whatever names are asked for.
 */
public final class StaticFiles {
  private static final Pattern SAFE_PATH =
      Pattern.compile("(?:[A-Za-z0-9_-][A-Za-z0-9._-]*/)*[A-Za-z0-9_-][A-Za-z0-9._-]*");
  private static final Map<String, String> TYPES =
      Map.ofEntries(
          Map.entry("html", "text/html; charset=utf-8"),
          Map.entry("js", "text/javascript; charset=utf-8"),
          Map.entry("mjs", "text/javascript; charset=utf-8"),
          Map.entry("css", "text/css; charset=utf-8"),
          Map.entry("json", "application/json"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("png", "image/png"),
          Map.entry("ico", "image/x-icon"),
          Map.entry("woff2", "font/woff2"),
          Map.entry("txt", "text/plain; charset=utf-8"));

  /**
   * A file to serve.
   *
   * @param etag a strong entity tag of the content, quoted
   */
  @SuppressWarnings("ArrayRecordComponent") // a carrier, never compared or hashed
  public record File(byte[] content, String contentType, boolean html, String etag) {}

  private final String root;
  private final Map<String, File> cache = new ConcurrentHashMap<>();

  public StaticFiles(String classPathRoot) {
    this.root = classPathRoot.endsWith("/") ? classPathRoot : classPathRoot + "/";
  }

  /** The file at a request's decoded path ("/" is "/index.html"), if there is one. */
  public Optional<File> find(String path) {
    if (!path.startsWith("/")) {
      return Optional.empty(); // an empty path ("?x"), "*", or a whole URL
    }
    String relative = path.equals("/") ? "index.html" : path.substring(1);
    if (!SAFE_PATH.matcher(relative).matches()) {
      return Optional.empty();
    }
    return Optional.ofNullable(cache.computeIfAbsent(relative, this::load));
  }

  /** The names of the files kept in memory. */
  Set<String> kept() {
    return Set.copyOf(cache.keySet());
  }

  private static String etag(byte[] content) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
      return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The file, or null (which the cache does not keep) if there is none. */
  private @Nullable File load(String relative) {
    int dot = relative.lastIndexOf('.');
    if (dot <= relative.lastIndexOf('/')) {
      return null; // no extension: "js" is the directory, which would read as its listing
    }
    String extension = relative.substring(dot + 1);
    String type = TYPES.get(extension);
    if (type == null) {
      return null;
    }
    try (InputStream in = StaticFiles.class.getResourceAsStream("/" + root + relative)) {
      if (in == null) {
        return null;
      }
      byte[] content = in.readAllBytes();
      return new File(content, type, extension.equals("html"), etag(content));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bundled file " + relative, e);
    }
  }
}
