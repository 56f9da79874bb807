package dev.parley.server.http;

import static dev.parley.server.http.HttpResponses.json;
import static dev.parley.server.http.HttpResponses.send;
import static dev.parley.server.http.HttpResponses.text;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.UserName;
import dev.parley.server.directory.Directory;
import dev.parley.server.directory.User;
import dev.parley.server.metrics.Metrics;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the plain HTTP requests: {@code /health}, {@code /metrics}, {@code /api/users/{name}} and
 * the static files. Only GET and HEAD; anything that touches the database runs off the event loop.
 */
public final class HttpRoutes {
  private static final Logger log = LoggerFactory.getLogger(HttpRoutes.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String USERS = "/api/users/";

  /**
   * The pages' Content-Security-Policy: scripts, styles and everything else from this server only,
   * no inline script, WebSockets back to this host (named explicitly for browsers whose 'self' does
   * not cover ws: and wss:), received files as blob: URLs.
   */
  private static final String PAGE_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
          + "media-src 'self' blob:; connect-src 'self'%s; object-src 'none'; base-uri 'none'; "
          + "form-action 'self'; frame-ancestors 'none'";

  private static final Pattern HOST =
      Pattern.compile("[A-Za-z0-9.-]+(?::\\d{1,5})?|\\[[0-9A-Fa-f:.]+\\](?::\\d{1,5})?");

  private final Directory directory;
  private final Metrics metrics;
  private final Executor blocking;
  private final StaticFiles files;
  private final Supplier<ObjectNode> status;

  /**
   * @param status the figures {@code /health} reports besides its verdict, with {@code status} set
   *     if they find the node degraded
   */
  public HttpRoutes(
      Directory directory,
      Metrics metrics,
      Executor blocking,
      StaticFiles files,
      Supplier<ObjectNode> status) {
    this.directory = directory;
    this.metrics = metrics;
    this.blocking = blocking;
    this.files = files;
    this.status = status;
  }

  public Metrics metrics() {
    return metrics;
  }

  /**
   * Answers {@code request}, whose target's decoded path ({@link RequestTarget}) is {@code path}.
   */
  public void handle(ChannelHandlerContext ctx, FullHttpRequest request, String path) {
    metrics.httpRequest();
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    boolean head = request.method().equals(HttpMethod.HEAD);
    if (!request.method().equals(HttpMethod.GET) && !head) {
      FullHttpResponse response = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "GET or HEAD only\n");
      response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
      send(ctx, response, keepAlive, head);
      return;
    }
    if (path.equals("/health")) {
      blocking.execute(() -> send(ctx, health(), keepAlive, head));
    } else if (path.equals("/metrics")) {
      FullHttpResponse response = text(HttpResponseStatus.OK, metrics.prometheusText());
      response
          .headers()
          .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
      send(ctx, response, keepAlive, head);
    } else if (path.startsWith(USERS)) {
      String name = path.substring(USERS.length());
      blocking.execute(() -> send(ctx, user(name), keepAlive, head));
    } else {
      send(ctx, file(path, request), keepAlive, head);
    }
  }

  private FullHttpResponse health() {
    ObjectNode body = status.get();
    try {
      body.put("users", directory.count());
      if (!body.has("status")) {
        body.put("status", "ok"); // else the figures said what is wrong: "degraded"
      }
      return json(HttpResponseStatus.OK, body);
    } catch (RuntimeException e) {
      log.warn("Health check: the directory does not answer", e);
      body.put("status", "directory unavailable");
      return json(HttpResponseStatus.SERVICE_UNAVAILABLE, body);
    }
  }

  private FullHttpResponse user(String rawName) {
    UserName name;
    try {
      name = new UserName(rawName);
    } catch (ProtocolException e) {
      return error(HttpResponseStatus.BAD_REQUEST, e.code().wireName(), e.getMessage());
    }
    Optional<User> user = directory.find(name);
    if (user.isEmpty()) {
      return error(HttpResponseStatus.NOT_FOUND, "unknown_user", "no user named " + name);
    }
    ObjectNode body = JSON.createObjectNode();
    body.put("name", user.get().name().value());
    body.put("publicKey", user.get().publicKey().encoded());
    body.put("created", user.get().created().toString());
    return json(HttpResponseStatus.OK, body);
  }

  /**
   * A bundled file. Its names carry no version, so every response says {@code no-cache}: the
   * browser keeps the file but asks each time, with the ETag, and gets a bodiless 304 while it is
   * unchanged. An upgraded server is thus picked up at once, and never half (new page, old script).
   */
  private FullHttpResponse file(String path, FullHttpRequest request) {
    Optional<StaticFiles.File> found = files.find(path);
    if (found.isEmpty()) {
      return text(HttpResponseStatus.NOT_FOUND, "Not found\n");
    }
    StaticFiles.File file = found.get();
    boolean unchanged =
        request.headers().getAll(HttpHeaderNames.IF_NONE_MATCH).stream()
            .flatMap(value -> Arrays.stream(value.split(",")))
            .map(String::strip)
            .anyMatch(tag -> tag.equals(file.etag()) || tag.equals("*"));
    FullHttpResponse response =
        unchanged
            ? new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED)
            : new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1,
                HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(file.content()));
    response.headers().set(HttpHeaderNames.ETAG, file.etag());
    response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
    if (!unchanged) {
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, file.contentType());
    }
    if (file.html()) {
      response.headers().set("Content-Security-Policy", pagePolicy(request));
      response.headers().set("Referrer-Policy", "no-referrer");
    }
    return response;
  }

  /** The page policy, with the WebSocket origin of the host the browser asked for. */
  private static String pagePolicy(FullHttpRequest request) {
    String host = request.headers().get(HttpHeaderNames.HOST, "");
    if (!HOST.matcher(host).matches()) {
      return PAGE_POLICY.formatted("");
    }
    return PAGE_POLICY.formatted(" ws://" + host + " wss://" + host);
  }

  private static FullHttpResponse error(HttpResponseStatus status, String code, String message) {
    ObjectNode body = JSON.createObjectNode();
    body.put("error", code);
    body.put("message", message);
    return json(status, body);
  }
}
