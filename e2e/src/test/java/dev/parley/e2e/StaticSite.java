package dev.parley.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A tiny HTTP server on a free port of 127.0.0.1 for test pages: serves the files and strings it is
 * given, each at its exact path, with a content type from the path's extension (a path without one
 * is HTML). Anything else is a 404, but for the favicon that the browser asks for by itself.
 */
public final class StaticSite implements AutoCloseable {
  private static final String HTML = "text/html; charset=utf-8";
  private static final String TEXT = "text/plain; charset=utf-8";
  private static final Map<String, String> CONTENT_TYPES =
      Map.of(
          "html", HTML,
          "js", "text/javascript; charset=utf-8",
          "mjs", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "json", "application/json",
          "map", "application/json",
          "txt", TEXT,
          "svg", "image/svg+xml",
          "png", "image/png",
          "wasm", "application/wasm");

  /** A body read when it is requested, so a file may change or appear after it is mapped. */
  private interface Body {
    byte[] read() throws IOException;
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<String, Body> bodies = new ConcurrentHashMap<>();

  private StaticSite() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("could not open a port on the loopback interface", e);
    }
    server.createContext("/", this::serve);
    server.setExecutor(executor);
    server.start();
  }

  public static StaticSite start() {
    return new StaticSite();
  }

  /** Serves the file {@code file} at {@code path}, such as {@code /peerjs.min.js}. */
  public StaticSite file(String path, Path file) {
    bodies.put(path, () -> Files.readAllBytes(file));
    return this;
  }

  /** Serves the class path resource {@code name}, such as {@code webrtc.html}, at {@code path}. */
  public StaticSite resource(String path, String name) {
    bodies.put(
        path,
        () -> {
          try (InputStream in = StaticSite.class.getResourceAsStream(name)) {
            if (in == null) {
              throw new FileNotFoundException(
                  "no resource " + name + " next to " + StaticSite.class);
            }
            return in.readAllBytes();
          }
        });
    return this;
  }

  /** Serves {@code text} at {@code path}, encoded as UTF-8. */
  public StaticSite text(String path, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    bodies.put(path, () -> bytes);
    return this;
  }

  /** The address of {@code path} on this site, such as {@code http://127.0.0.1:40123/}. */
  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.close();
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      Body body = bodies.get(exchange.getRequestURI().getPath());
      if (!exchange.getRequestMethod().equals("GET")) {
        exchange.sendResponseHeaders(405, -1);
      } else if (body == null && exchange.getRequestURI().getPath().equals("/favicon.ico")) {
        exchange.sendResponseHeaders(
            204, -1); // keeps a 404 the browser asked for out of the console
      } else if (body == null) {
        exchange.sendResponseHeaders(404, -1);
      } else {
        respond(exchange, body);
      }
    }
  }

  /** Sends the body, or a 500 naming the reason a mapped file could not be read. */
  private static void respond(HttpExchange exchange, Body body) throws IOException {
    byte[] bytes;
    int status;
    String contentType;
    try {
      bytes = body.read();
      status = 200;
      contentType = contentType(exchange.getRequestURI().getPath());
    } catch (IOException e) {
      bytes = ("cannot read " + e.getMessage()).getBytes(StandardCharsets.UTF_8);
      status = 500;
      contentType = TEXT;
    }
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static String contentType(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    if (dot < 0) {
      return HTML;
    }
    return CONTENT_TYPES.getOrDefault(
        name.substring(dot + 1).toLowerCase(Locale.ROOT), "application/octet-stream");
  }
}
