package io.rustless.dev.kube;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.zjsonpatch.JsonDiff;
import io.fabric8.zjsonpatch.JsonPatchException;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The embedded API's HTTP front: discovery, OpenAPI, version and health, watches (chunked HTTP for
 * kubectl, websockets for fabric8) served here; every other request goes to fabric8's CRUD store,
 * adjusted where it departs from the API server in ways kubectl or the operator notice (see {@link
 * #delegate}).
 */
final class KubeApiHandler implements Handler<HttpServerRequest> {
  private static final Pattern GROUP = Pattern.compile("^/apis/([^/]+)/?$");
  private static final Pattern GROUP_VERSION = Pattern.compile("^/apis/([^/]+)/([^/]+)/?$");
  private static final Pattern NAMED =
      Pattern.compile(
          "^/(?:api|apis/[^/]+)/[^/]+(?:/namespaces/[^/]+)?/([^/]+)/([^/]+)(/status)?$");
  private static final Set<String> WATCH_PARAMS =
      Set.of(
          "watch",
          "resourceVersion",
          "resourceVersionMatch",
          "timeoutSeconds",
          "allowWatchBookmarks",
          "sendInitialEvents");
  private static final String JSON = "application/json";
  private static final String OPENAPI_PROTOBUF =
      "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";
  private static final long DEFAULT_WATCH_SECONDS = 1800;

  private final Vertx vertx;
  private final KubeStore store;
  private final WatchHub hub;
  private final Discovery discovery;
  private final Consumer<String> log;

  /** Writes one at a time, so a read-check-write (merge patch, status update) is atomic. */
  private final Object writes = new Object();

  KubeApiHandler(
      Vertx vertx, KubeStore store, WatchHub hub, Discovery discovery, Consumer<String> log) {
    this.vertx = vertx;
    this.store = store;
    this.hub = hub;
    this.discovery = discovery;
    this.log = log;
  }

  private record Reply(int code, String contentType, byte[] body) {
    static Reply json(int code, String body) {
      return new Reply(code, JSON, body.getBytes(StandardCharsets.UTF_8));
    }

    static Reply status(int code, String method, String message) {
      return json(code, Statuses.json(code, Statuses.reason(code, method), message));
    }
  }

  @Override
  public void handle(HttpServerRequest req) {
    String method = req.method().name();
    String path = req.path();
    boolean read = method.equals("GET") || method.equals("HEAD");
    if (read && isWatch(req)) {
      watch(req);
      return;
    }
    if (read && isMeta(path)) {
      String accept = Optional.ofNullable(req.getHeader("Accept")).orElse("");
      vertx
          .executeBlocking(() -> meta(path, accept), false)
          .onComplete(r -> reply(req, r.succeeded() ? r.result() : failure(method, r.cause())));
      return;
    }
    req.body()
        .onFailure(e -> reply(req, failure(method, e)))
        .onSuccess(
            body ->
                vertx
                    .executeBlocking(() -> delegate(req, method, body.getBytes()), false)
                    .onComplete(
                        r -> reply(req, r.succeeded() ? r.result() : failure(method, r.cause()))));
  }

  private static Reply failure(String method, Throwable e) {
    return Reply.status(500, method, "embedded API failed: " + e);
  }

  private void reply(HttpServerRequest req, Reply r) {
    HttpServerResponse resp = req.response();
    resp.setStatusCode(r.code());
    if (r.contentType() != null) {
      resp.putHeader("Content-Type", r.contentType());
    }
    resp.putHeader("Content-Length", Integer.toString(r.body().length));
    if (req.method().name().equals("HEAD")) {
      resp.end();
    } else {
      resp.end(io.vertx.core.buffer.Buffer.buffer(r.body()));
    }
    log.accept(req.method() + " " + req.uri() + " -> " + r.code());
  }

  // ------------------------------------------------------------------ discovery and friends

  private static boolean isMeta(String path) {
    return path.equals("/version")
        || path.equals("/api")
        || path.equals("/api/")
        || path.equals("/api/v1")
        || path.equals("/apis")
        || path.equals("/apis/")
        || GROUP.matcher(path).matches()
        || GROUP_VERSION.matcher(path).matches()
        || path.startsWith("/openapi/")
        || path.equals("/healthz")
        || path.equals("/readyz")
        || path.equals("/livez");
  }

  private Reply meta(String path, String accept) {
    switch (path) {
      case "/version":
        return Reply.json(200, Discovery.version());
      case "/api":
      case "/api/":
        return Reply.json(200, discovery.coreVersions());
      case "/api/v1":
        return Reply.json(200, discovery.resources("", "v1").orElseThrow());
      case "/apis":
      case "/apis/":
        return Reply.json(200, discovery.groups());
      case "/healthz":
      case "/readyz":
      case "/livez":
        return new Reply(200, "text/plain", "ok".getBytes(StandardCharsets.UTF_8));
      case "/openapi/v2":
        return accept.contains("protobuf")
            ? new Reply(200, OPENAPI_PROTOBUF, Discovery.openApiV2Protobuf())
            : Reply.json(200, Discovery.openApiV2Json());
      default:
        break;
    }
    if (path.startsWith("/openapi/")) {
      // No OpenAPI v3: kubectl then validates against v2 (which describes nothing, so nothing is
      // refused) and does not ask for server-side field validation.
      return Reply.status(404, "GET", "the embedded API serves no OpenAPI v3 document");
    }
    Matcher gv = GROUP_VERSION.matcher(path);
    if (gv.matches()) {
      return discovery
          .resources(gv.group(1), gv.group(2))
          .map(body -> Reply.json(200, body))
          .orElseGet(
              () -> Reply.status(404, "GET", "the server could not find the requested resource"));
    }
    Matcher g = GROUP.matcher(path);
    g.matches();
    return discovery
        .group(g.group(1))
        .map(body -> Reply.json(200, body))
        .orElseGet(
            () -> Reply.status(404, "GET", "the server could not find the requested resource"));
  }

  // ------------------------------------------------------------------ watches

  private static boolean isWatch(HttpServerRequest req) {
    String w = req.getParam("watch");
    return w != null && (w.equals("true") || w.equals("1"));
  }

  private void watch(HttpServerRequest req) {
    String listUri = withoutParams(req.path(), req.query(), WATCH_PARAMS);
    String rv = req.getParam("resourceVersion");
    long seconds = DEFAULT_WATCH_SECONDS;
    try {
      if (req.getParam("timeoutSeconds") != null) {
        seconds = Math.max(1, Long.parseLong(req.getParam("timeoutSeconds")));
      }
    } catch (NumberFormatException e) {
      // the API server would refuse it; a default is kinder to a dev tool's clients
    }
    long timeout = seconds;
    if ("websocket".equalsIgnoreCase(req.getHeader("Upgrade"))) {
      req.toWebSocket()
          .onSuccess(ws -> start(listUri, rv, timeout, new SocketSink(ws), ws::closeHandler))
          .onFailure(e -> log.accept("watch upgrade failed: " + e));
      log.accept("WATCH (websocket) " + req.uri());
      return;
    }
    HttpServerResponse resp = req.response();
    resp.setChunked(true);
    resp.setStatusCode(200);
    resp.putHeader("Content-Type", JSON);
    resp.putHeader("Cache-Control", "no-cache, private");
    resp.writeHead();
    log.accept("WATCH " + req.uri());
    start(listUri, rv, timeout, new ChunkedSink(resp), resp::closeHandler);
  }

  private void start(
      String listUri,
      String rv,
      long timeoutSeconds,
      WatchHub.Sink sink,
      Consumer<Handler<Void>> onClientClose) {
    vertx
        .executeBlocking(
            () -> {
              AttributeSet query = store.extractor().fromPath(listUri);
              long from;
              if (rv == null || rv.isEmpty() || rv.equals("0")) {
                // No or "any" resourceVersion: the current objects as ADDED, then what follows.
                String list = store.current(listUri);
                JsonNode n = list == null ? null : Serialization.unmarshal(list, JsonNode.class);
                if (n == null || !n.has("items")) {
                  sink.send(
                      "{\"type\":\"ERROR\",\"object\":"
                          + Statuses.json(404, "NotFound", "cannot watch " + listUri)
                          + "}");
                  sink.close();
                  return null;
                }
                for (JsonNode item : n.get("items")) {
                  sink.send(WatchHub.event(WatchHub.Type.ADDED, Serialization.asJson(item)));
                }
                from = n.path("metadata").path("resourceVersion").asLong(0);
              } else {
                try {
                  from = Long.parseLong(rv);
                } catch (NumberFormatException e) {
                  sink.send(
                      "{\"type\":\"ERROR\",\"object\":"
                          + Statuses.json(400, "BadRequest", "invalid resourceVersion " + rv)
                          + "}");
                  sink.close();
                  return null;
                }
              }
              return hub.subscribe(query, from, sink);
            },
            false)
        .onSuccess(
            sub -> {
              if (sub == null) {
                return;
              }
              onClientClose.accept(v -> sub.close());
              long timer = vertx.setTimer(timeoutSeconds * 1000, id -> sub.close());
              if (sub.isClosed()) {
                vertx.cancelTimer(timer);
              }
            })
        .onFailure(
            e -> {
              log.accept("watch failed: " + e);
              sink.close();
            });
  }

  private static final class ChunkedSink implements WatchHub.Sink {
    private final HttpServerResponse resp;

    ChunkedSink(HttpServerResponse resp) {
      this.resp = resp;
    }

    @Override
    public boolean send(String eventJson) {
      if (resp.closed() || resp.ended()) {
        return false;
      }
      resp.write(eventJson + "\n");
      return true;
    }

    @Override
    public void close() {
      if (!resp.closed() && !resp.ended()) {
        resp.end();
      }
    }
  }

  private static final class SocketSink implements WatchHub.Sink {
    private final ServerWebSocket ws;

    SocketSink(ServerWebSocket ws) {
      this.ws = ws;
    }

    @Override
    public boolean send(String eventJson) {
      if (ws.isClosed()) {
        return false;
      }
      ws.writeTextMessage(eventJson);
      return true;
    }

    @Override
    public void close() {
      if (!ws.isClosed()) {
        ws.close();
      }
    }
  }

  // ------------------------------------------------------------------ everything else

  /**
   * A request for fabric8's CRUD store, with what the store does differently from the API server
   * adjusted: strategic-merge patches (kubectl's for built-in kinds) applied as JSON merge patches,
   * server-side apply refused with a clear 415, a status update checked against the object's
   * resourceVersion (the store ignores it there), 200 rather than 202 for a patch, a deletion
   * answered with the object as it is now (terminating when it has finalizers), and Status bodies
   * on errors.
   */
  private Reply delegate(HttpServerRequest req, String method, byte[] body) {
    if (method.equals("GET") || method.equals("HEAD")) {
      return delegateLocked(req, method, body);
    }
    synchronized (writes) {
      return delegateLocked(req, method, body);
    }
  }

  private Reply delegateLocked(HttpServerRequest req, String method, byte[] body) {
    String path = req.path();
    String uri = req.uri();
    Headers.Builder headers = Headers.builder();
    req.headers().forEach(e -> headers.add(e.getKey(), e.getValue()));
    if (method.equals("PATCH")) {
      String type = baseType(req.getHeader("Content-Type"));
      if ("application/apply-patch+yaml".equals(type)) {
        return Reply.status(
            415,
            method,
            "server-side apply is not supported by the embedded API: use client-side apply"
                + " (kubectl apply without --server-side)");
      }
      Matcher target = NAMED.matcher(path);
      if (("application/strategic-merge-patch+json".equals(type)
              || "application/merge-patch+json".equals(type))
          && target.matches()) {
        // RFC 7386 here (the store's merge keeps nulls instead of deleting), sent on as the JSON
        // patch from the current object to the merged one.
        String objectPath = target.group(3) == null ? path : path.substring(0, path.length() - 7);
        String current = store.current(objectPath);
        if (current != null) {
          JsonNode patch;
          try {
            patch =
                Serialization.unmarshal(new String(body, StandardCharsets.UTF_8), JsonNode.class);
          } catch (RuntimeException e) {
            return Reply.status(400, method, "the merge patch is not JSON: " + e.getMessage());
          }
          if (patch == null || !patch.isObject()) {
            return Reply.status(400, method, "a merge patch must be a JSON object");
          }
          JsonNode now = Serialization.unmarshal(current, JsonNode.class);
          JsonNode ops = JsonDiff.asJson(now, MergePatch.apply(now, patch));
          body = Serialization.asJson(ops).getBytes(StandardCharsets.UTF_8);
          headers.set("Content-Type", "application/json-patch+json");
        }
      }
    }
    Matcher named = NAMED.matcher(path);
    if (method.equals("PUT") && named.matches() && named.group(3) != null) {
      Optional<Reply> conflict = staleStatusUpdate(path.substring(0, path.length() - 7), body);
      if (conflict.isPresent()) {
        return conflict.get();
      }
    }
    HttpMethod m = method.equals("HEAD") ? HttpMethod.GET : HttpMethod.valueOf(method);
    MockResponse r;
    try {
      r =
          store.dispatch(
              new RecordedRequest("HTTP/1.1", m, uri, headers.build(), new Buffer(body)));
    } catch (JsonPatchException e) {
      // a failed "test" or a path that is not there: the API server's 422, not a 500 to retry
      return Reply.status(422, method, "the JSON patch cannot be applied: " + e.getMessage());
    }
    int code = r.code();
    byte[] out = r.getBody() == null ? new byte[0] : r.getBody().getBytes();
    if (method.equals("PATCH") && code == 202) {
      code = 200;
    }
    if (method.equals("DELETE") && code == 200 && named.matches()) {
      String now = store.current(path);
      if (now != null) {
        out = now.getBytes(StandardCharsets.UTF_8);
      }
    }
    if (code == 409 && out.length > 0) {
      out = withReason(out, Statuses.reason(409, method));
    }
    if (code >= 400 && out.length == 0) {
      String what =
          named.matches() ? named.group(1) + " \"" + named.group(2) + "\"" : "the resource";
      String message =
          switch (code) {
            case 404 -> what + " not found";
            case 409 -> what + " already exists";
            default -> "the embedded API refused " + method + " " + path;
          };
      return Reply.status(code, method, message);
    }
    return new Reply(code, out.length == 0 ? null : JSON, out);
  }

  private Optional<Reply> staleStatusUpdate(String objectPath, byte[] body) {
    JsonNode update;
    try {
      update = Serialization.unmarshal(new String(body, StandardCharsets.UTF_8), JsonNode.class);
    } catch (RuntimeException e) {
      return Optional.of(
          Reply.status(400, "PUT", "the body is not a JSON object: " + e.getMessage()));
    }
    String wanted =
        update == null ? "" : update.path("metadata").path("resourceVersion").asText("");
    if (wanted.isEmpty()) {
      return Optional.empty();
    }
    String current = store.current(objectPath);
    if (current == null) {
      return Optional.empty();
    }
    JsonNode now = Serialization.unmarshal(current, JsonNode.class);
    String have = now.path("metadata").path("resourceVersion").asText("");
    if (have.equals(wanted)) {
      return Optional.empty();
    }
    return Optional.of(
        Reply.status(
            409,
            "PUT",
            "Operation cannot be fulfilled on "
                + now.path("kind").asText("object")
                + " \""
                + now.path("metadata").path("name").asText()
                + "\": the object has been modified; please apply your changes to the latest"
                + " version and try again"));
  }

  /** The Status in {@code body} with {@code reason} (the store says Invalid for conflicts). */
  private static byte[] withReason(byte[] body, String reason) {
    try {
      JsonNode n =
          Serialization.unmarshal(new String(body, StandardCharsets.UTF_8), JsonNode.class);
      if (n instanceof com.fasterxml.jackson.databind.node.ObjectNode o
          && "Status".equals(o.path("kind").asText())) {
        o.put("reason", reason);
        return Serialization.asJson(o).getBytes(StandardCharsets.UTF_8);
      }
    } catch (RuntimeException e) {
      // not a Status: leave it
    }
    return body;
  }

  static String baseType(String contentType) {
    if (contentType == null) {
      return null;
    }
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi))
        .strip()
        .toLowerCase(Locale.ROOT);
  }

  static String withoutParams(String path, String query, Set<String> drop) {
    if (query == null || query.isEmpty()) {
      return path;
    }
    StringBuilder kept = new StringBuilder();
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      if (!drop.contains(key)) {
        kept.append(kept.length() == 0 ? "" : "&").append(pair);
      }
    }
    return kept.length() == 0 ? path : path + "?" + kept;
  }
}
