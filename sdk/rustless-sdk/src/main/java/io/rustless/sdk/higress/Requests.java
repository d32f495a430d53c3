package io.rustless.sdk.higress;

import io.rustless.sdk.api.HttpContext;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.sdk.lang.Decimal;
import java.util.Optional;

/**
 * Higress's request helpers (the Rust SDK's {@code request_wrapper}): pseudo-headers by name, and
 * what the body is likely to be.
 */
public final class Requests {
  private Requests() {}

  /** {@code :scheme}. */
  public static Optional<String> scheme(HttpContext ctx) {
    return ctx.getHttpRequestHeader(":scheme");
  }

  /** {@code :authority}. */
  public static Optional<String> host(HttpContext ctx) {
    return ctx.getHttpRequestHeader(":authority");
  }

  /** {@code :path} (with the query string). */
  public static Optional<String> path(HttpContext ctx) {
    return ctx.getHttpRequestHeader(":path");
  }

  /** {@code :method}. */
  public static Optional<String> method(HttpContext ctx) {
    return ctx.getHttpRequestHeader(":method");
  }

  /** True if the request body looks binary: octet-stream or gRPC, or any content encoding. */
  public static boolean isBinaryRequestBody(HttpContext ctx) {
    return isBinary(ctx.getHttpRequestHeaders());
  }

  /** True if the response body looks binary: octet-stream or gRPC, or any content encoding. */
  public static boolean isBinaryResponseBody(HttpContext ctx) {
    return isBinary(ctx.getHttpResponseHeaders());
  }

  /** The rule behind both checks, for headers at hand. */
  public static boolean isBinary(HeaderMap headers) {
    String type = headers.get("content-type").orElse("");
    if (type.contains("octet-stream") || type.contains("grpc")) {
      return true;
    }
    return !headers.get("content-encoding").orElse("").isEmpty();
  }

  /**
   * True if the request announces a body: a content type, a positive content length, or chunked
   * transfer encoding.
   */
  public static boolean hasRequestBody(HttpContext ctx) {
    return hasBody(ctx.getHttpRequestHeaders());
  }

  /** The rule behind {@link #hasRequestBody}, for headers at hand. */
  public static boolean hasBody(HeaderMap headers) {
    if (!headers.get("content-type").orElse("").isEmpty()) {
      return true;
    }
    String length = headers.get("content-length").orElse("").trim();
    if (!length.isEmpty()) {
      try {
        if (Decimal.parseLong(length) > 0) {
          return true;
        }
      } catch (NumberFormatException e) {
        // a malformed length says nothing; fall through to transfer-encoding
      }
    }
    return headers.get("transfer-encoding").orElse("").equals("chunked");
  }
}
