package io.rustless.testing;

import io.rustless.host.HttpCall;
import io.rustless.host.HttpStream;
import io.rustless.sdk.api.DataAction;
import io.rustless.sdk.api.HeaderAction;
import io.rustless.sdk.api.TrailerAction;
import io.rustless.sdk.host.HeaderMap;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One HTTP stream through a {@link TestHost}'s plugin, as proxytest's {@code
 * InitializeHttpContext()} gives: several can be open at once, each driven and inspected on its
 * own, so a test can interleave streams as a proxy does ({@code a} paused on a call out while
 * {@code b} passes). The verbs are the ones {@link TestHost} offers for its implicit stream.
 */
public final class TestStream {
  private final HttpStream stream;

  TestStream(HttpStream stream) {
    this.stream = stream;
  }

  /** The stream's context id (what the plugin's {@code createHttpContext} received). */
  public int contextId() {
    return stream.contextId();
  }

  /** Delivers request headers (more data follows). */
  public HeaderAction callOnHttpRequestHeaders(HeaderMap headers) {
    return callOnHttpRequestHeaders(headers, false);
  }

  /** Delivers request headers; {@code endOfStream} for a request without a body. */
  public HeaderAction callOnHttpRequestHeaders(HeaderMap headers, boolean endOfStream) {
    return stream.requestHeaders(headers, endOfStream);
  }

  /** Delivers a request body chunk. */
  public DataAction callOnHttpRequestBody(byte[] chunk, boolean endOfStream) {
    return stream.requestBody(chunk, endOfStream);
  }

  /** Delivers the whole request body as one final chunk. */
  public DataAction callOnHttpRequestBody(String body) {
    return callOnHttpRequestBody(body.getBytes(StandardCharsets.UTF_8), true);
  }

  /** Delivers request trailers. */
  public TrailerAction callOnHttpRequestTrailers(HeaderMap trailers) {
    return stream.requestTrailers(trailers);
  }

  /** Delivers response headers (more data follows). */
  public HeaderAction callOnHttpResponseHeaders(HeaderMap headers) {
    return callOnHttpResponseHeaders(headers, false);
  }

  /** Delivers response headers. */
  public HeaderAction callOnHttpResponseHeaders(HeaderMap headers, boolean endOfStream) {
    return stream.responseHeaders(headers, endOfStream);
  }

  /** Delivers a response body chunk. */
  public DataAction callOnHttpResponseBody(byte[] chunk, boolean endOfStream) {
    return stream.responseBody(chunk, endOfStream);
  }

  /** Delivers the whole response body as one final chunk. */
  public DataAction callOnHttpResponseBody(String body) {
    return callOnHttpResponseBody(body.getBytes(StandardCharsets.UTF_8), true);
  }

  /** Delivers response trailers. */
  public TrailerAction callOnHttpResponseTrailers(HeaderMap trailers) {
    return stream.responseTrailers(trailers);
  }

  /** Ends the stream as the proxy does: done, log, delete. What it saw stays readable. */
  public void completeHttp() {
    stream.close();
  }

  /** The local reply the plugin sent on this stream. */
  public Optional<LocalResponse> getLocalResponse() {
    return stream.getLocalReply().map(LocalResponse::new);
  }

  /** Request headers as the plugin left them. */
  public HeaderMap getRequestHeaders() {
    return stream.getRequestHeaders();
  }

  public HeaderMap getRequestTrailers() {
    return stream.getRequestTrailers();
  }

  /** Response headers as the plugin left them. */
  public HeaderMap getResponseHeaders() {
    return stream.getResponseHeaders();
  }

  public HeaderMap getResponseTrailers() {
    return stream.getResponseTrailers();
  }

  /** The request body buffer as the plugin last left it. */
  public byte[] getRequestBody() {
    return stream.getRequestBody();
  }

  /** The response body buffer as the plugin last left it. */
  public byte[] getResponseBody() {
    return stream.getResponseBody();
  }

  /** Everything the plugin passed upstream as request body so far. */
  public byte[] getForwardedRequestBody() {
    return stream.getForwardedRequestBody();
  }

  /** Everything the plugin passed to the client as response body so far. */
  public byte[] getForwardedResponseBody() {
    return stream.getForwardedResponseBody();
  }

  /** How often the plugin resumed the request. */
  public int getRequestResumes() {
    return stream.getRequestResumes();
  }

  /** How often the plugin resumed the response. */
  public int getResponseResumes() {
    return stream.getResponseResumes();
  }

  /** The pending HTTP calls the plugin dispatched on this stream, oldest first. */
  public List<HttpCallout> getHttpCallouts() {
    return httpCallouts(stream.getHttpCalls());
  }

  static List<HttpCallout> httpCallouts(List<HttpCall> calls) {
    List<HttpCallout> out = new ArrayList<>();
    for (HttpCall c : calls) {
      out.add(
          new HttpCallout(
              c.token(), c.upstream(), c.headers(), c.body(), c.trailers(), c.timeoutMillis()));
    }
    return out;
  }

  /** A property as the plugin sees it on this stream, e.g. {@code getProperty("route_name")}. */
  public Optional<String> getProperty(String... path) {
    return stream.getProperty(List.of(path)).map(v -> new String(v, StandardCharsets.UTF_8));
  }

  /** Sets a property only this stream sees, e.g. its {@code route_name}. */
  public void setProperty(String value, String... path) {
    stream.setProperty(List.of(path), value.getBytes(StandardCharsets.UTF_8));
  }

  HttpStream stream() {
    return stream;
  }
}
