package io.rustless.sdk.internal.abi;

import io.rustless.sdk.internal.Dispatcher;
import org.teavm.interop.Export;

/**
 * The exports that deliver answers to calls out. TeaVM exports a class's {@code @Export} methods
 * only once the class is reached, and this one is reached only from {@link #link()}, which the SDK
 * calls when the plugin dispatches a call: a plugin that never calls out carries none of this code
 * (about 13 KB), and a proxy never has anything to deliver to it.
 */
public final class CalloutExports {
  private CalloutExports() {}

  /** Makes this class, and so its exports, part of the module. */
  public static void link() {}

  @Export(name = "proxy_on_http_call_response")
  public static void onHttpCallResponse(
      int contextId, int token, int numHeaders, int bodySize, int numTrailers) {
    Exports.callout(Dispatcher.HTTP_CALL, contextId, token, numHeaders, bodySize, numTrailers);
  }

  @Export(name = "proxy_on_grpc_receive_initial_metadata")
  public static void onGrpcReceiveInitialMetadata(int contextId, int token, int numHeaders) {
    Exports.callout(Dispatcher.GRPC_METADATA, contextId, token, numHeaders, 0, 0);
  }

  @Export(name = "proxy_on_grpc_receive")
  public static void onGrpcReceive(int contextId, int token, int messageSize) {
    Exports.callout(Dispatcher.GRPC_MESSAGE, contextId, token, messageSize, 0, 0);
  }

  @Export(name = "proxy_on_grpc_receive_trailing_metadata")
  public static void onGrpcReceiveTrailingMetadata(int contextId, int token, int numTrailers) {
    Exports.callout(Dispatcher.GRPC_TRAILERS, contextId, token, numTrailers, 0, 0);
  }

  @Export(name = "proxy_on_grpc_close")
  public static void onGrpcClose(int contextId, int token, int statusCode) {
    Exports.callout(Dispatcher.GRPC_CLOSE, contextId, token, statusCode, 0, 0);
  }

  /** Higress extension: the reply to a {@code proxy_redis_call}. */
  @Export(name = "proxy_on_redis_call_response")
  public static void onRedisCallResponse(int contextId, int token, int status, int responseSize) {
    Exports.callout(Dispatcher.REDIS, contextId, token, status, responseSize, 0);
  }
}
