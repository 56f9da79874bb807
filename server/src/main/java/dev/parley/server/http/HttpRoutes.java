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
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
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
  private static final String PAGE_POLICY =
      "default-src 'self'; connect-src 'self'; img-src 'self' data: blob:; "
          + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

  private final Directory directory;
  private final Metrics metrics;
  private final Executor blocking;
  private final StaticFiles files;
  private final Supplier<ObjectNode> status;

  /**
   * @param status the figures {@code /health} reports besides its verdict
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

  public void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
    metrics.httpRequest();
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    boolean head = request.method().equals(HttpMethod.HEAD);
    if (!request.method().equals(HttpMethod.GET) && !head) {
      FullHttpResponse response = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "GET or HEAD only\n");
      response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
      send(ctx, response, keepAlive, head);
      return;
    }
    String path = new QueryStringDecoder(request.uri()).path();
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
      send(ctx, file(path), keepAlive, head);
    }
  }

  private FullHttpResponse health() {
    ObjectNode body = status.get();
    try {
      body.put("users", directory.count());
      body.put("status", "ok");
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

  private FullHttpResponse file(String path) {
    Optional<StaticFiles.File> file = files.find(path);
    if (file.isEmpty()) {
      return text(HttpResponseStatus.NOT_FOUND, "Not found\n");
    }
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.OK,
            Unpooled.wrappedBuffer(file.get().content()));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, file.get().contentType());
    if (file.get().html()) {
      response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
      response.headers().set("Content-Security-Policy", PAGE_POLICY);
    } else {
      response.headers().set(HttpHeaderNames.CACHE_CONTROL, "public, max-age=300");
    }
    return response;
  }

  private static FullHttpResponse error(HttpResponseStatus status, String code, String message) {
    ObjectNode body = JSON.createObjectNode();
    body.put("error", code);
    body.put("message", message);
    return json(status, body);
  }
}
