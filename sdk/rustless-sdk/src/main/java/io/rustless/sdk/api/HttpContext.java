package io.rustless.sdk.api;

import io.rustless.sdk.host.BufferType;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.sdk.host.MapType;
import io.rustless.sdk.host.StreamType;
import io.rustless.sdk.lang.Utf8;
import java.util.Optional;

/**
 * One HTTP stream through the plugin. Callbacks default to "continue"; accessors follow one grid:
 * {@code get/set/add/remove} × {@code HttpRequest/HttpResponse} × {@code
 * Header(s)/Trailer(s)/Body}, with {@code …Bytes} variants for raw values.
 */
public interface HttpContext extends Context {

  // ---- callbacks ----------------------------------------------------------------------------

  /** Request headers arrived ({@code numHeaders} entries). */
  default HeaderAction onRequestHeaders(int numHeaders, boolean endOfStream) {
    return HeaderAction.CONTINUE;
  }

  /** A request body chunk arrived; {@code bodySize} is the size of the buffered body so far. */
  default DataAction onRequestBody(int bodySize, boolean endOfStream) {
    return DataAction.CONTINUE;
  }

  /** Request trailers arrived. */
  default TrailerAction onRequestTrailers(int numTrailers) {
    return TrailerAction.CONTINUE;
  }

  /** Response headers arrived. */
  default HeaderAction onResponseHeaders(int numHeaders, boolean endOfStream) {
    return HeaderAction.CONTINUE;
  }

  /** A response body chunk arrived; {@code bodySize} is the size of the buffered body so far. */
  default DataAction onResponseBody(int bodySize, boolean endOfStream) {
    return DataAction.CONTINUE;
  }

  /** Response trailers arrived. */
  default TrailerAction onResponseTrailers(int numTrailers) {
    return TrailerAction.CONTINUE;
  }

  // ---- request ------------------------------------------------------------------------------

  /** All request headers, pseudo-headers ({@code :path}, {@code :authority}, …) included. */
  default HeaderMap getHttpRequestHeaders() {
    return host().getHeaderMap(MapType.HTTP_REQUEST_HEADERS);
  }

  /** Replaces all request headers. */
  default void setHttpRequestHeaders(HeaderMap headers) {
    host().setHeaderMap(MapType.HTTP_REQUEST_HEADERS, headers);
  }

  /** The first value of request header {@code name}. */
  default Optional<String> getHttpRequestHeader(String name) {
    return host().getHeaderMapValue(MapType.HTTP_REQUEST_HEADERS, name);
  }

  /** The raw bytes of request header {@code name}. */
  default Optional<byte[]> getHttpRequestHeaderBytes(String name) {
    return host().getHeaderMapValueBytes(MapType.HTTP_REQUEST_HEADERS, name);
  }

  /** Sets request header {@code name} to exactly {@code value}. */
  default void setHttpRequestHeader(String name, String value) {
    host().replaceHeaderMapValue(MapType.HTTP_REQUEST_HEADERS, name, value);
  }

  /** Sets request header {@code name} to exactly these bytes. */
  default void setHttpRequestHeaderBytes(String name, byte[] value) {
    host().replaceHeaderMapValue(MapType.HTTP_REQUEST_HEADERS, name, value);
  }

  /** Appends a value to request header {@code name}. */
  default void addHttpRequestHeader(String name, String value) {
    host().addHeaderMapValue(MapType.HTTP_REQUEST_HEADERS, name, value);
  }

  /** Appends raw bytes as a value of request header {@code name}. */
  default void addHttpRequestHeaderBytes(String name, byte[] value) {
    host().addHeaderMapValue(MapType.HTTP_REQUEST_HEADERS, name, value);
  }

  /** Removes request header {@code name}. */
  default void removeHttpRequestHeader(String name) {
    host().removeHeaderMapValue(MapType.HTTP_REQUEST_HEADERS, name);
  }

  /** Request trailers. */
  default HeaderMap getHttpRequestTrailers() {
    return host().getHeaderMap(MapType.HTTP_REQUEST_TRAILERS);
  }

  /** The first value of request trailer {@code name}. */
  default Optional<String> getHttpRequestTrailer(String name) {
    return host().getHeaderMapValue(MapType.HTTP_REQUEST_TRAILERS, name);
  }

  /** Sets request trailer {@code name}. */
  default void setHttpRequestTrailer(String name, String value) {
    host().replaceHeaderMapValue(MapType.HTTP_REQUEST_TRAILERS, name, value);
  }

  default void addHttpRequestTrailer(String name, String value) {
    host().addHeaderMapValue(MapType.HTTP_REQUEST_TRAILERS, name, value);
  }

  default void removeHttpRequestTrailer(String name) {
    host().removeHeaderMapValue(MapType.HTTP_REQUEST_TRAILERS, name);
  }

  default void setHttpRequestTrailers(HeaderMap trailers) {
    host().setHeaderMap(MapType.HTTP_REQUEST_TRAILERS, trailers);
  }

  /** Up to {@code maxSize} bytes of the buffered request body from {@code start}. */
  default Optional<byte[]> getHttpRequestBody(int start, int maxSize) {
    return host().getBufferBytes(BufferType.HTTP_REQUEST_BODY, start, maxSize);
  }

  /** Replaces the whole buffered request body. */
  default void setHttpRequestBody(byte[] body) {
    host().setBufferBytes(BufferType.HTTP_REQUEST_BODY, 0, Integer.MAX_VALUE, body);
  }

  /** Replaces {@code size} bytes of the buffered request body from {@code start}. */
  default void setHttpRequestBody(int start, int size, byte[] body) {
    host().setBufferBytes(BufferType.HTTP_REQUEST_BODY, start, size, body);
  }

  /** Resumes a request this plugin paused. */
  default void resumeHttpRequest() {
    host().continueStream(StreamType.HTTP_REQUEST);
    PluginRuntime.current().resumed(StreamType.HTTP_REQUEST);
  }

  /** Resets the request stream. */
  default void resetHttpRequest() {
    host().closeStream(StreamType.HTTP_REQUEST);
  }

  // ---- response -----------------------------------------------------------------------------

  /** All response headers, {@code :status} included. */
  default HeaderMap getHttpResponseHeaders() {
    return host().getHeaderMap(MapType.HTTP_RESPONSE_HEADERS);
  }

  /** Replaces all response headers. */
  default void setHttpResponseHeaders(HeaderMap headers) {
    host().setHeaderMap(MapType.HTTP_RESPONSE_HEADERS, headers);
  }

  /** The first value of response header {@code name}. */
  default Optional<String> getHttpResponseHeader(String name) {
    return host().getHeaderMapValue(MapType.HTTP_RESPONSE_HEADERS, name);
  }

  /** The raw bytes of response header {@code name}. */
  default Optional<byte[]> getHttpResponseHeaderBytes(String name) {
    return host().getHeaderMapValueBytes(MapType.HTTP_RESPONSE_HEADERS, name);
  }

  /** Sets response header {@code name} to exactly {@code value}. */
  default void setHttpResponseHeader(String name, String value) {
    host().replaceHeaderMapValue(MapType.HTTP_RESPONSE_HEADERS, name, value);
  }

  /** Sets response header {@code name} to exactly these bytes. */
  default void setHttpResponseHeaderBytes(String name, byte[] value) {
    host().replaceHeaderMapValue(MapType.HTTP_RESPONSE_HEADERS, name, value);
  }

  /** Appends a value to response header {@code name}. */
  default void addHttpResponseHeader(String name, String value) {
    host().addHeaderMapValue(MapType.HTTP_RESPONSE_HEADERS, name, value);
  }

  /** Appends raw bytes as a value of response header {@code name}. */
  default void addHttpResponseHeaderBytes(String name, byte[] value) {
    host().addHeaderMapValue(MapType.HTTP_RESPONSE_HEADERS, name, value);
  }

  /** Removes response header {@code name}. */
  default void removeHttpResponseHeader(String name) {
    host().removeHeaderMapValue(MapType.HTTP_RESPONSE_HEADERS, name);
  }

  /** Response trailers. */
  default HeaderMap getHttpResponseTrailers() {
    return host().getHeaderMap(MapType.HTTP_RESPONSE_TRAILERS);
  }

  /** The first value of response trailer {@code name}. */
  default Optional<String> getHttpResponseTrailer(String name) {
    return host().getHeaderMapValue(MapType.HTTP_RESPONSE_TRAILERS, name);
  }

  /** Sets response trailer {@code name}. */
  default void setHttpResponseTrailer(String name, String value) {
    host().replaceHeaderMapValue(MapType.HTTP_RESPONSE_TRAILERS, name, value);
  }

  default void addHttpResponseTrailer(String name, String value) {
    host().addHeaderMapValue(MapType.HTTP_RESPONSE_TRAILERS, name, value);
  }

  default void removeHttpResponseTrailer(String name) {
    host().removeHeaderMapValue(MapType.HTTP_RESPONSE_TRAILERS, name);
  }

  default void setHttpResponseTrailers(HeaderMap trailers) {
    host().setHeaderMap(MapType.HTTP_RESPONSE_TRAILERS, trailers);
  }

  /** Up to {@code maxSize} bytes of the buffered response body from {@code start}. */
  default Optional<byte[]> getHttpResponseBody(int start, int maxSize) {
    return host().getBufferBytes(BufferType.HTTP_RESPONSE_BODY, start, maxSize);
  }

  /** Replaces the whole buffered response body. */
  default void setHttpResponseBody(byte[] body) {
    host().setBufferBytes(BufferType.HTTP_RESPONSE_BODY, 0, Integer.MAX_VALUE, body);
  }

  /** Replaces {@code size} bytes of the buffered response body from {@code start}. */
  default void setHttpResponseBody(int start, int size, byte[] body) {
    host().setBufferBytes(BufferType.HTTP_RESPONSE_BODY, start, size, body);
  }

  /** Resumes a response this plugin paused. */
  default void resumeHttpResponse() {
    host().continueStream(StreamType.HTTP_RESPONSE);
    PluginRuntime.current().resumed(StreamType.HTTP_RESPONSE);
  }

  /** Resets the response stream. */
  default void resetHttpResponse() {
    host().closeStream(StreamType.HTTP_RESPONSE);
  }

  /** The number of request headers. */
  default int getHttpRequestHeaderCount() {
    return host().getHeaderMapSize(MapType.HTTP_REQUEST_HEADERS);
  }

  // ---- local replies ------------------------------------------------------------------------

  /** Answers the client directly with {@code statusCode}, {@code headers} and {@code body}. */
  default void sendHttpResponse(int statusCode, HeaderMap headers, byte[] body) {
    host().sendLocalResponse(statusCode, "", body, headers, -1);
  }

  /** Answers the client directly with a UTF-8 body. */
  default void sendHttpResponse(int statusCode, HeaderMap headers, String body) {
    sendHttpResponse(statusCode, headers, Utf8.encode(body));
  }

  /** Answers a gRPC client directly with {@code grpcStatus} (HTTP status 200). */
  default void sendGrpcResponse(int grpcStatus, String message, HeaderMap headers) {
    host().sendLocalResponse(200, message, new byte[0], headers, grpcStatus);
  }
}
