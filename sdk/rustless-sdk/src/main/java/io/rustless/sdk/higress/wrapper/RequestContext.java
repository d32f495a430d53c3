package io.rustless.sdk.higress.wrapper;

import io.rustless.sdk.api.DataAction;
import io.rustless.sdk.api.HeaderAction;
import io.rustless.sdk.api.HttpContext;
import io.rustless.sdk.higress.Log;
import io.rustless.sdk.higress.Requests;
import io.rustless.sdk.higress.cluster.Cluster;
import io.rustless.sdk.higress.rules.MatchedConfig;
import io.rustless.sdk.higress.rules.RuleMatcher;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.sdk.lang.Strings;
import io.rustless.sdk.lang.Utf8;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One HTTP stream seen through the Higress wrapper: the configuration that matched it, per-request
 * attributes, body-reading switches, buffer limits and HTTP calls with callbacks. Everything an
 * {@link HttpContext} offers is here too.
 *
 * <p>When no configuration matches (no rule hit and no global configuration) the stream bypasses
 * every handler.
 */
public final class RequestContext<C> implements HttpContext {
  private final HigressPlugin<C> plugin;
  private final RuleMatcher<C> rules;
  private final int contextId;
  private MatchedConfig<C> matched;
  private boolean bypass;
  private boolean readRequestBody = true;
  private boolean readResponseBody = true;
  private final List<String> attributeKeys = new ArrayList<>(4);
  private final List<Object> attributeValues = new ArrayList<>(4);

  RequestContext(HigressPlugin<C> plugin, RuleMatcher<C> rules, int contextId) {
    this.plugin = plugin;
    this.rules = rules;
    this.contextId = contextId;
  }

  /** The host's id for this stream. */
  public int contextId() {
    return contextId;
  }

  /** The configuration that matched this request. */
  public C config() {
    if (matched == null) {
      throw new IllegalStateException("no configuration matched this request");
    }
    return matched.config();
  }

  /** Which rule matched ({@code -1}: the global configuration). */
  public int matchedRule() {
    return matched == null ? -2 : matched.ruleIndex();
  }

  /** The plugin's logger. */
  public Log log() {
    return plugin.log();
  }

  // ---- attributes ---------------------------------------------------------------------------

  /** Stores a per-request value (the Go wrapper's SetContext). */
  public void setAttribute(String key, Object value) {
    int i = Strings.indexOf(attributeKeys, key);
    if (i >= 0) {
      attributeValues.set(i, value);
    } else {
      attributeKeys.add(key);
      attributeValues.add(value);
    }
  }

  /** A per-request value stored earlier. */
  @SuppressWarnings("unchecked")
  public <T> Optional<T> getAttribute(String key) {
    int i = Strings.indexOf(attributeKeys, key);
    return i < 0 ? Optional.empty() : Optional.ofNullable((T) attributeValues.get(i));
  }

  // ---- body switches and limits -------------------------------------------------------------

  /** Do not buffer this request's body for the body handler (e.g. nothing to check in it). */
  public void dontReadRequestBody() {
    readRequestBody = false;
  }

  /** Do not buffer this response's body for the body handler. */
  public void dontReadResponseBody() {
    readResponseBody = false;
  }

  /** Lets Envoy buffer up to {@code bytes} of request body ({@code set_decoder_buffer_limit}). */
  public void setRequestBodyBufferLimit(long bytes) {
    setProperty(Utf8.encode(Long.toString(bytes)), "set_decoder_buffer_limit");
  }

  /** Lets Envoy buffer up to {@code bytes} of response body ({@code set_encoder_buffer_limit}). */
  public void setResponseBodyBufferLimit(long bytes) {
    setProperty(Utf8.encode(Long.toString(bytes)), "set_encoder_buffer_limit");
  }

  // ---- request helpers ----------------------------------------------------------------------

  /** {@code :scheme}, or "" if absent. */
  public String requestScheme() {
    return Requests.scheme(this).orElse("");
  }

  /** {@code :authority}, or "" if absent. */
  public String requestHost() {
    return Requests.host(this).orElse("");
  }

  /** {@code :path}, or "" if absent. */
  public String requestPath() {
    return Requests.path(this).orElse("");
  }

  /** {@code :method}, or "" if absent. */
  public String requestMethod() {
    return Requests.method(this).orElse("");
  }

  // ---- HTTP calls ---------------------------------------------------------------------------

  /**
   * Calls {@code cluster}: {@code url} may be absolute ({@code http://host/path?q}, whose host
   * becomes {@code :authority}) or a path (the cluster's host name is used). {@code headers} come
   * first, then {@code :method}, {@code :path} and {@code :authority}.
   *
   * @throws IllegalArgumentException if {@code url} cannot be parsed (logged at CRITICAL, as the
   *     Rust SDK does)
   */
  public int httpCall(
      Cluster cluster,
      String method,
      String url,
      HeaderMap headers,
      byte[] body,
      HttpCallCallback callback,
      int timeoutMillis) {
    String[] target = splitUrl(url);
    if (target == null) {
      log().critical("invalid raw_url:" + url);
      throw new IllegalArgumentException("invalid URL for an HTTP call: " + url);
    }
    String authority = target[0].isEmpty() ? cluster.hostName() : target[0];
    HeaderMap all =
        headers.toBuilder()
            .add(":method", method)
            .add(":path", target[1])
            .add(":authority", authority)
            .build();
    return dispatchHttpCall(
        cluster.clusterName(),
        all,
        body == null ? new byte[0] : body,
        HeaderMap.empty(),
        timeoutMillis,
        r -> callback.onResponse(r.statusCode(), r.headers(), r.body()));
  }

  /**
   * {@code [authority, path-with-query]} of an absolute URL or a path; null if neither. Written by
   * hand because java.net.URI would add its parser to every module.
   */
  static String[] splitUrl(String url) {
    if (url == null || url.isEmpty()) {
      return null;
    }
    int scheme = url.indexOf("://");
    if (scheme < 0) {
      if (url.charAt(0) != '/') {
        return null;
      }
      return noSpace(url) ? new String[] {"", url} : null;
    }
    for (int i = 0; i < scheme; i++) {
      char c = url.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'));
      if (!ok) {
        return null;
      }
    }
    int start = scheme + 3;
    int slash = start;
    while (slash < url.length()
        && url.charAt(slash) != '/'
        && url.charAt(slash) != '?'
        && url.charAt(slash) != '#') {
      slash++;
    }
    String authority = url.substring(start, slash);
    int fragment = url.indexOf('#', slash);
    String rest = url.substring(slash, fragment < 0 ? url.length() : fragment);
    if (rest.isEmpty() || rest.charAt(0) == '?') {
      rest = "/" + rest;
    }
    if (authority.isEmpty() || !noSpace(authority) || !noSpace(rest)) {
      return null;
    }
    return new String[] {authority, rest};
  }

  private static boolean noSpace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) <= ' ') {
        return false;
      }
    }
    return true;
  }

  // ---- the callbacks the host drives --------------------------------------------------------

  @Override
  public HeaderAction onRequestHeaders(int numHeaders, boolean endOfStream) {
    matched = rules.matchCurrentRequest().orElse(null);
    if (matched == null) {
      bypass = true;
      return HeaderAction.CONTINUE;
    }
    HeaderAction action = HeaderAction.CONTINUE;
    if (plugin.requestHeaders != null) {
      action = plugin.requestHeaders.handle(this, matched.config(), getHttpRequestHeaders());
    }
    // hold the headers while the body is read, so the body handler can still change both
    if (action == HeaderAction.CONTINUE
        && !endOfStream
        && plugin.requestBody != null
        && readRequestBody) {
      return HeaderAction.STOP_ITERATION;
    }
    return action;
  }

  @Override
  public DataAction onRequestBody(int bodySize, boolean endOfStream) {
    if (bypass) {
      return DataAction.CONTINUE;
    }
    if (plugin.streamingRequestBody != null) {
      byte[] chunk = getHttpRequestBody(0, bodySize).orElse(new byte[0]);
      byte[] out = plugin.streamingRequestBody.handle(this, matched.config(), chunk, endOfStream);
      if (out != chunk) {
        setHttpRequestBody(out);
      }
      return DataAction.CONTINUE;
    }
    if (plugin.requestBody == null || !readRequestBody) {
      return DataAction.CONTINUE;
    }
    if (!endOfStream) {
      return DataAction.STOP_ITERATION_AND_BUFFER;
    }
    byte[] body = getHttpRequestBody(0, bodySize).orElse(new byte[0]);
    return plugin.requestBody.handle(this, matched.config(), body);
  }

  @Override
  public HeaderAction onResponseHeaders(int numHeaders, boolean endOfStream) {
    if (bypass) {
      return HeaderAction.CONTINUE;
    }
    HeaderAction action = HeaderAction.CONTINUE;
    if (plugin.responseHeaders != null) {
      action = plugin.responseHeaders.handle(this, matched.config(), getHttpResponseHeaders());
    }
    if (action == HeaderAction.CONTINUE
        && !endOfStream
        && plugin.responseBody != null
        && readResponseBody) {
      return HeaderAction.STOP_ITERATION;
    }
    return action;
  }

  @Override
  public DataAction onResponseBody(int bodySize, boolean endOfStream) {
    if (bypass) {
      return DataAction.CONTINUE;
    }
    if (plugin.streamingResponseBody != null) {
      byte[] chunk = getHttpResponseBody(0, bodySize).orElse(new byte[0]);
      byte[] out = plugin.streamingResponseBody.handle(this, matched.config(), chunk, endOfStream);
      if (out != chunk) {
        setHttpResponseBody(out);
      }
      return DataAction.CONTINUE;
    }
    if (plugin.responseBody == null || !readResponseBody) {
      return DataAction.CONTINUE;
    }
    if (!endOfStream) {
      return DataAction.STOP_ITERATION_AND_BUFFER;
    }
    byte[] body = getHttpResponseBody(0, bodySize).orElse(new byte[0]);
    return plugin.responseBody.handle(this, matched.config(), body);
  }

  @Override
  public void onLog() {
    if (!bypass && matched != null && plugin.streamDone != null) {
      plugin.streamDone.handle(this, matched.config());
    }
  }
}
