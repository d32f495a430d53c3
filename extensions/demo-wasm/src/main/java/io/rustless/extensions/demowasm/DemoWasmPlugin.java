package io.rustless.extensions.demowasm;

import io.rustless.sdk.api.DataAction;
import io.rustless.sdk.api.HeaderAction;
import io.rustless.sdk.higress.Log;
import io.rustless.sdk.higress.cluster.DnsCluster;
import io.rustless.sdk.higress.cluster.FqdnCluster;
import io.rustless.sdk.higress.json.JsonObject;
import io.rustless.sdk.higress.redis.RedisClient;
import io.rustless.sdk.higress.redis.RespValue;
import io.rustless.sdk.higress.wrapper.HigressPlugin;
import io.rustless.sdk.higress.wrapper.RequestContext;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.sdk.lang.Utf8;

/**
 * The seed's showcase of Redis and HTTP calls through the Higress wrapper, step by step:
 *
 * <ol>
 *   <li>request headers: {@code INCR connect} in Redis, the request waits for the answer;
 *   <li>response headers: {@code Content-Length} removed (the body will change), {@code GET
 *       connect}, the response waits for the answer;
 *   <li>response body (complete): an HTTP call (by default {@code POST http://httpbin.org/post});
 *       its answer replaces the body with {@code {"redis_cid":…,"http_call_body":…,"res_body":…}}.
 * </ol>
 *
 * Every failure (Redis down, call refused) is logged and the exchange continues unchanged.
 */
public final class DemoWasmPlugin {
  static final String CID = "redis_cid";

  private DemoWasmPlugin() {}

  public static void main(String[] args) {
    HigressPlugin.builder("demo-wasm", DemoWasmConfig::parse)
        .onRequestHeaders((ctx, config, headers) -> countConnection(ctx, config))
        .onRequestBody(
            (ctx, config, body) -> {
              ctx.log().infof("on_http_request_complete_body {} bytes", body.length);
              return DataAction.CONTINUE;
            })
        .onResponseHeaders((ctx, config, headers) -> readCounter(ctx, config))
        .onResponseBody(DemoWasmPlugin::rewriteBody)
        .register();
  }

  private static RedisClient redis(DemoWasmConfig config) {
    DemoWasmConfig.Redis r = config.redis();
    return RedisClient.builder(new FqdnCluster(r.serviceName(), r.servicePort()), r.timeoutMillis())
        .username(r.username())
        .password(r.password())
        .database(r.database())
        .build();
  }

  private static HeaderAction countConnection(
      RequestContext<DemoWasmConfig> ctx, DemoWasmConfig config) {
    Log log = ctx.log();
    try {
      RedisClient redis = redis(config);
      redis.init();
      redis.incr(
          "connect",
          result -> {
            // INCR answers an integer; an error reply or anything else is logged, not stored
            if (result.ok() && result.value().kind() == RespValue.Kind.INTEGER) {
              ctx.setAttribute(CID, result.value().asLong());
            } else {
              log.warn("redis incr failed: " + (result.ok() ? result.value() : result.error()));
            }
            ctx.resumeHttpRequest();
          });
      return HeaderAction.STOP_ALL_ITERATION_AND_BUFFER;
    } catch (RuntimeException e) {
      log.error("Failed to call Redis: " + e.getMessage());
      return HeaderAction.CONTINUE;
    }
  }

  private static HeaderAction readCounter(
      RequestContext<DemoWasmConfig> ctx, DemoWasmConfig config) {
    ctx.removeHttpResponseHeader("content-length");
    try {
      redis(config)
          .get(
              "connect",
              result -> {
                ctx.log()
                    .infof("redis get connect: {}", result.ok() ? result.value() : result.error());
                ctx.resumeHttpResponse();
              });
      return HeaderAction.STOP_ITERATION;
    } catch (RuntimeException e) {
      ctx.log().error("Failed to call Redis: " + e.getMessage());
      return HeaderAction.CONTINUE;
    }
  }

  private static DataAction rewriteBody(
      RequestContext<DemoWasmConfig> ctx, DemoWasmConfig config, byte[] body) {
    DemoWasmConfig.HttpCall call = config.httpCall();
    String responseBody = Utf8.decode(body);
    try {
      ctx.httpCall(
          new DnsCluster(call.serviceName(), call.domain(), call.port()),
          "POST",
          call.url(),
          HeaderMap.empty(),
          Utf8.encode("test_body"),
          (status, headers, answer) -> {
            long cid = ctx.<Long>getAttribute(CID).orElse(-1L);
            JsonObject json =
                JsonObject.builder()
                    .put(CID, cid)
                    .put("http_call_body", Utf8.decode(answer))
                    .put("res_body", responseBody)
                    .build();
            ctx.setHttpResponseBody(Utf8.encode(json.toString()));
            ctx.resumeHttpResponse();
          },
          call.timeoutMillis());
      return DataAction.STOP_ITERATION_AND_BUFFER;
    } catch (RuntimeException e) {
      ctx.log().error("http call failed: " + e.getMessage());
      return DataAction.CONTINUE;
    }
  }
}
