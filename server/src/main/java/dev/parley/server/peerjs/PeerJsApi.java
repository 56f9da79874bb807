package dev.parley.server.peerjs;

import static dev.parley.server.http.HttpResponses.json;
import static dev.parley.server.http.HttpResponses.send;
import static dev.parley.server.http.HttpResponses.text;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.server.metrics.Metrics;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;

/**
 * The PeerServer's HTTP routes below the mount path: the banner, a fresh id, and the discovery
 * list, all open to cross-origin pages (PeerJS apps are often served from elsewhere).
 */
public final class PeerJsApi {
  private final PeerJsRealm realm;
  private final Metrics metrics;

  public PeerJsApi(PeerJsRealm realm, Metrics metrics) {
    this.realm = realm;
    this.metrics = metrics;
  }

  /** Whether {@code path} is this endpoint's to answer. */
  public boolean owns(String path) {
    String mount = realm.config().path();
    return path.equals(mount) || path.startsWith(mount + "/");
  }

  /** Answers a request for a path that {@link #owns} accepted. */
  public void handle(ChannelHandlerContext ctx, FullHttpRequest request, String path) {
    metrics.httpRequest();
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    boolean head = request.method().equals(HttpMethod.HEAD);
    FullHttpResponse response;
    if (request.method().equals(HttpMethod.OPTIONS)) {
      response = text(HttpResponseStatus.NO_CONTENT, "");
      response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET, HEAD, OPTIONS");
      response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "Content-Type");
      response.headers().set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "600");
    } else if (!request.method().equals(HttpMethod.GET) && !head) {
      response = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "GET, HEAD or OPTIONS only\n");
      response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD, OPTIONS");
    } else {
      response = route(path.substring(realm.config().path().length()));
    }
    response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    send(ctx, response, keepAlive, head);
  }

  private FullHttpResponse route(String rest) {
    if (rest.isEmpty() || rest.equals("/")) {
      ObjectNode banner = PeerJsRealm.JSON.createObjectNode();
      banner.put("name", "PeerJS Server");
      banner.put(
          "description",
          "A server side element to broker connections between PeerJS"
              + " clients. Served by Parley.");
      banner.put("website", "https://peerjs.com/");
      return json(HttpResponseStatus.OK, banner);
    }
    String key = realm.config().key();
    if (rest.equals("/" + key + "/id")) {
      FullHttpResponse id = text(HttpResponseStatus.OK, realm.freshId());
      id.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
      return id;
    }
    if (rest.equals("/" + key + "/peers")) {
      if (!realm.config().allowDiscovery()) {
        return text(HttpResponseStatus.UNAUTHORIZED, "Discovery is disabled on this server\n");
      }
      ArrayNode ids = PeerJsRealm.JSON.createArrayNode();
      realm.ids().forEach(ids::add);
      return json(HttpResponseStatus.OK, ids);
    }
    if (rest.endsWith("/id") || rest.endsWith("/peers")) {
      return text(HttpResponseStatus.UNAUTHORIZED, "Invalid key provided\n");
    }
    return text(HttpResponseStatus.NOT_FOUND, "Not found\n");
  }
}
