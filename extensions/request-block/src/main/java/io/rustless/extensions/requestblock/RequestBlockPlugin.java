package io.rustless.extensions.requestblock;

import com.google.re2j.Pattern;
import io.rustless.sdk.api.DataAction;
import io.rustless.sdk.api.FailurePolicy;
import io.rustless.sdk.api.HeaderAction;
import io.rustless.sdk.api.HttpContext;
import io.rustless.sdk.api.ProxyWasm;
import io.rustless.sdk.api.RootContext;
import io.rustless.sdk.api.StartStatus;
import io.rustless.sdk.higress.Log;
import io.rustless.sdk.higress.rules.MatchedConfig;
import io.rustless.sdk.higress.rules.RuleMatcher;
import io.rustless.sdk.host.HeaderMap;
import java.util.Optional;

/**
 * Blocks requests by URL (exact, substring, regular expression), header and body, with a
 * configurable status and message; per route, domain or service through {@code matchRules}. URL
 * patterns see the raw path and, unless {@code normalize_path} is off, its normalised forms (see
 * {@link PathNormalizer}), so another spelling of a blocked path is blocked too.
 *
 * <p>Regular expressions run on RE2J: linear time in the input, so a pattern such as {@code
 * /(a+)+$} cannot be turned into a denial of service by a crafted path (java.util.regex backtracks
 * exponentially on it). Bodies are scanned as they arrive, 64 KiB at a time, while the proxy holds
 * them: the upstream never sees a body that gets blocked, and the plugin's memory does not grow
 * with the body. Failures fail closed: an exception answers 500 rather than letting the request
 * through unchecked.
 */
public final class RequestBlockPlugin {
  static final Log LOG = Log.of("request-block");
  private static final int SLICE = 64 * 1024;

  private RequestBlockPlugin() {}

  public static void main(String[] args) {
    ProxyWasm.setFailurePolicy(FailurePolicy.FAIL_CLOSED);
    ProxyWasm.setRootContext(id -> new Root());
  }

  static final class Root implements RootContext {
    private RuleMatcher<RequestBlockConfig> rules = RuleMatcher.empty();

    @Override
    public StartStatus onConfigure(int size) {
      Optional<RuleMatcher<RequestBlockConfig>> parsed =
          RuleMatcher.configure(this, RequestBlockConfig::parseChecked, LOG);
      parsed.ifPresent(m -> rules = m);
      return StartStatus.of(parsed.isPresent());
    }

    @Override
    public HttpContext createHttpContext(int contextId) {
      return new Blocker(rules);
    }
  }

  static final class Blocker implements HttpContext {
    private final RuleMatcher<RequestBlockConfig> rules;
    private RequestBlockConfig config;
    private BodyScanner scanner;
    private boolean blocked;

    Blocker(RuleMatcher<RequestBlockConfig> rules) {
      this.rules = rules;
    }

    @Override
    public HeaderAction onRequestHeaders(int numHeaders, boolean endOfStream) {
      Optional<MatchedConfig<RequestBlockConfig>> matched = rules.matchCurrentRequest();
      if (matched.isEmpty()) {
        return HeaderAction.CONTINUE;
      }
      config = matched.get().config();
      if (config.checksPath()) {
        Optional<String> path = getHttpRequestHeader(":path");
        if (path.isEmpty()) {
          LOG.warn("get path failed");
        } else if (pathBlocked(path.get())) {
          return block();
        }
      }
      if (!config.blockHeaders().isEmpty() && headersBlocked(getHttpRequestHeaders())) {
        return block();
      }
      if (!config.blockBodies().isEmpty() && !endOfStream) {
        scanner = new BodyScanner(config.blockBodies(), config.caseSensitive());
        // hold the headers: nothing goes upstream until the body is known to be clean
        return HeaderAction.STOP_ITERATION;
      }
      return HeaderAction.CONTINUE;
    }

    /**
     * The raw path (what Higress's plugin matches), then, with normalisation, its other forms:
     * normalisation only ever adds matches.
     */
    private boolean pathBlocked(String raw) {
      if (config.blockEscapedSlashes() && PathNormalizer.hasEscapedSlash(raw)) {
        return true;
      }
      if (!config.checksUrls()) {
        return false;
      }
      boolean cs = config.caseSensitive();
      if (!config.normalizePath()) {
        return urlBlocked(RequestBlockConfig.fold(raw, cs));
      }
      for (String form : PathNormalizer.forms(raw)) {
        if (urlBlocked(RequestBlockConfig.fold(form, cs))) {
          return true;
        }
      }
      return false;
    }

    /**
     * With normalisation an exact pattern without {@code ?} is compared with the path without its
     * query ({@code /web/info?x} is {@code /web/info} to the backend); Higress compares the whole.
     */
    private boolean urlBlocked(String url) {
      int q = config.normalizePath() ? url.indexOf('?') : -1;
      String path = q < 0 ? url : url.substring(0, q);
      for (String exact : config.blockExactUrls()) {
        if (exact.equals(url) || (q >= 0 && exact.equals(path) && exact.indexOf('?') < 0)) {
          return true;
        }
      }
      for (String part : config.blockUrls()) {
        if (url.contains(part)) {
          return true;
        }
      }
      for (Pattern p : config.blockRegexpUrls()) {
        if (p.matcher(url).find()) {
          return true;
        }
      }
      return false;
    }

    /**
     * Headers as the anchor sees them: {@code name\nvalue} for every entry, joined by {@code \n}.
     */
    private boolean headersBlocked(HeaderMap headers) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < headers.size(); i++) {
        if (i > 0) {
          sb.append('\n');
        }
        sb.append(headers.name(i)).append('\n').append(headers.value(i));
      }
      String all = RequestBlockConfig.fold(sb.toString(), config.caseSensitive());
      for (String part : config.blockHeaders()) {
        if (all.contains(part)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public DataAction onRequestBody(int bodySize, boolean endOfStream) {
      if (scanner == null || blocked) {
        return DataAction.CONTINUE;
      }
      // the proxy buffers the body for us; read only what is new, a slice at a time
      while (scanner.scanned() < bodySize) {
        int n = Math.min(SLICE, bodySize - scanner.scanned());
        byte[] slice = getHttpRequestBody(scanner.scanned(), n).orElse(new byte[0]);
        if (slice.length == 0) {
          break;
        }
        if (scanner.feed(slice)) {
          block();
          return DataAction.STOP_ITERATION_AND_BUFFER;
        }
      }
      return endOfStream ? DataAction.CONTINUE : DataAction.STOP_ITERATION_AND_BUFFER;
    }

    private HeaderAction block() {
      blocked = true;
      sendHttpResponse(config.blockedCode(), HeaderMap.empty(), config.blockedMessage());
      return HeaderAction.STOP_ITERATION;
    }
  }
}
