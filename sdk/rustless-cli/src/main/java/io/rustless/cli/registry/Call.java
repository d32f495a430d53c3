package io.rustless.cli.registry;

import com.sun.net.httpserver.HttpExchange;
import io.rustless.sdk.higress.json.JsonArray;
import io.rustless.sdk.higress.json.JsonObject;
import io.rustless.sdk.higress.json.JsonString;
import io.rustless.sdk.higress.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One registry request and its answer: JSON, bytes or a stream (HEAD answered with the headers
 * alone), an empty status, or the spec's error body; the status is kept for the access log.
 */
final class Call {
  static final String JSON = "application/json; charset=utf-8";

  final HttpExchange exchange;
  final String method;
  int status;

  Call(HttpExchange exchange) {
    this.exchange = exchange;
    this.method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
  }

  boolean head() {
    return method.equals("HEAD");
  }

  void json(int code, String body) {
    send(code, JSON, body.getBytes(StandardCharsets.UTF_8));
  }

  void send(int code, String contentType, byte[] body) {
    try {
      exchange.getResponseHeaders().set("Content-Type", contentType);
      status = code;
      if (head()) {
        exchange.getResponseHeaders().set("Content-Length", Long.toString(body.length));
        exchange.sendResponseHeaders(code, -1);
      } else {
        exchange.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void stream(int code, String contentType, long length, InputStream in) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    status = code;
    if (head()) {
      exchange.getResponseHeaders().set("Content-Length", Long.toString(length));
      exchange.sendResponseHeaders(code, -1);
      return;
    }
    exchange.sendResponseHeaders(code, length == 0 ? -1 : length);
    try (OutputStream out = exchange.getResponseBody()) {
      byte[] buf = new byte[64 * 1024];
      long left = length;
      while (left > 0) {
        int r = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (r < 0) {
          throw new IOException("blob ended " + left + " bytes early");
        }
        out.write(buf, 0, r);
        left -= r;
      }
    }
  }

  void empty(int code) {
    try {
      status = code;
      exchange.sendResponseHeaders(code, -1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void error(RegistryError e) {
    if (status != 0) {
      return; // the status line is out: all that is left is to close the connection
    }
    JsonObject.Builder err =
        JsonObject.builder().put("code", e.code().name()).put("message", e.getMessage());
    if (!e.detail().isEmpty()) {
      Map<String, JsonValue> d = new LinkedHashMap<>();
      e.detail().forEach((k, v) -> d.put(k, new JsonString(v)));
      err.put("detail", JsonObject.of(d));
    }
    String body =
        JsonObject.builder().put("errors", JsonArray.of(List.of(err.build()))).build().toString();
    try {
      send(e.status(), JSON, body.getBytes(StandardCharsets.UTF_8));
    } catch (UncheckedIOException ignored) {
      // the client went away
    }
  }

  /** The query parameters (the first of each name), decoded. */
  Map<String, String> query() {
    String raw = exchange.getRequestURI().getRawQuery();
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      out.putIfAbsent(
          URLDecoder.decode(k, StandardCharsets.UTF_8),
          URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return out;
  }
}
