package io.rustless.conformance;

import io.rustless.sdk.api.DataAction;
import io.rustless.sdk.api.HeaderAction;
import io.rustless.sdk.higress.cluster.FqdnCluster;
import io.rustless.sdk.higress.config.ConfigReader;
import io.rustless.sdk.higress.redis.RedisClient;
import io.rustless.sdk.higress.wrapper.HigressPlugin;
import io.rustless.sdk.higress.wrapper.RequestContext;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.sdk.host.MetricType;
import io.rustless.sdk.lang.Utf8;

/**
 * Exercises the Higress wrapper: per-route configuration, complete and streaming bodies, HTTP calls
 * to clusters and Redis, each behaviour picked by the request path.
 */
public final class WrapperConformancePlugin {
  private WrapperConformancePlugin() {}

  /** The configuration. */
  public record Config(
      String greeting,
      String callService,
      int callPort,
      String redisService,
      int redisPort,
      int redisDatabase,
      String redisPassword,
      boolean upperResponse) {

    static Config parse(ConfigReader c) {
      return new Config(
          c.requireString("greeting"),
          c.getString("call_service", "callee.dns"),
          c.getInt("call_port", 8080),
          c.getString("redis_service", "redis.dns"),
          c.getInt("redis_port", 6379),
          c.getInt("redis_database", 0),
          c.getString("redis_password", ""),
          c.getBoolean("upper_response", false));
    }
  }

  public static void main(String[] args) {
    HigressPlugin.builder("wrapper-conformance", Config::parse)
        .onRequestHeaders(WrapperConformancePlugin::requestHeaders)
        .onRequestBody(
            (ctx, config, body) -> {
              ctx.sendHttpResponse(
                  200,
                  HeaderMap.empty(),
                  body.length + " bytes, headers held: " + ctx.getAttribute("held").orElse("?"));
              return DataAction.STOP_ITERATION_AND_BUFFER;
            })
        .onResponseHeaders(
            (ctx, config, headers) -> {
              ctx.addHttpResponseHeader("x-rule", Integer.toString(ctx.matchedRule()));
              return HeaderAction.CONTINUE;
            })
        .onStreamingResponseBody(
            (ctx, config, chunk, end) -> config.upperResponse() ? upper(chunk) : chunk)
        .onStreamDone(
            (ctx, config) ->
                ctx.host()
                    .incrementMetric(
                        ctx.host().defineMetric(MetricType.COUNTER, "wrapper_streams"), 1))
        .register();
  }

  private static HeaderAction requestHeaders(
      RequestContext<Config> ctx, Config config, HeaderMap headers) {
    String path = ctx.requestPath();
    switch (path) {
      case "/hello":
        ctx.sendHttpResponse(
            200, HeaderMap.empty(), config.greeting() + " from rule " + ctx.matchedRule());
        return HeaderAction.STOP_ITERATION;
      case "/echo-body":
        ctx.setAttribute("held", "yes");
        if (ctx.requestMethod().equals("GET")) {
          ctx.dontReadRequestBody();
        }
        return HeaderAction.CONTINUE;
      case "/call":
      case "/call-relative":
        ctx.httpCall(
            new FqdnCluster(config.callService(), config.callPort()),
            "POST",
            path.equals("/call") ? "http://callee.example/api?x=1" : "/relative",
            HeaderMap.of("x-caller", "wrapper"),
            Utf8.encode("req"),
            (status, answerHeaders, body) -> {
              ctx.setHttpRequestHeader("x-called", status + " " + Utf8.decode(body));
              ctx.resumeHttpRequest();
            },
            2000);
        return HeaderAction.STOP_ALL_ITERATION_AND_BUFFER;
      case "/call-bad-url":
        try {
          ctx.httpCall(
              new FqdnCluster(config.callService(), config.callPort()),
              "GET",
              "not a url",
              HeaderMap.empty(),
              null,
              (status, h, b) -> {},
              1000);
          return HeaderAction.CONTINUE;
        } catch (IllegalArgumentException e) {
          ctx.sendHttpResponse(400, HeaderMap.empty(), "bad url");
          return HeaderAction.STOP_ITERATION;
        }
      case "/redis":
        {
          RedisClient redis =
              RedisClient.builder(new FqdnCluster(config.redisService(), config.redisPort()), 1000)
                  .password(config.redisPassword())
                  .database(config.redisDatabase())
                  .build();
          redis.init();
          redis.incr(
              "counter",
              result -> {
                ctx.setHttpRequestHeader(
                    "x-counter",
                    result.ok() ? result.value().asString() : "error: " + result.error());
                ctx.resumeHttpRequest();
              });
          return HeaderAction.STOP_ALL_ITERATION_AND_BUFFER;
        }
      default:
        ctx.addHttpRequestHeader("x-greeting", config.greeting());
        ctx.dontReadRequestBody();
        return HeaderAction.CONTINUE;
    }
  }

  static byte[] upper(byte[] in) {
    byte[] out = in.clone();
    for (int i = 0; i < out.length; i++) {
      if (out[i] >= 'a' && out[i] <= 'z') {
        out[i] = (byte) (out[i] - 32);
      }
    }
    return out;
  }
}
