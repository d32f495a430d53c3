package io.rustless.extensions.aidatamasking;

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
import io.rustless.sdk.host.HeapLimitException;
import io.rustless.sdk.lang.Utf8;
import java.util.Locale;
import java.util.Optional;

/**
 * Keeps sensitive data away from a model and from its answers: blocks requests (and answers) that
 * contain deny words, masks what {@code replace_roles} match before the request goes upstream, and
 * puts the originals back in the answer, streamed or not. See the README.
 *
 * <p>Failures inside the plugin fail closed (a local 500): unmasked data never passes because of a
 * bug.
 */
public final class AiDataMaskingPlugin {
  static final Log LOG = Log.of("ai-data-masking");
  private static final byte[] TOO_LARGE = Utf8.encode("request body too large to inspect\n");

  private AiDataMaskingPlugin() {}

  public static void main(String[] args) {
    ProxyWasm.setFailurePolicy(FailurePolicy.FAIL_CLOSED);
    ProxyWasm.setRootContext(id -> new Root());
  }

  static final class Root implements RootContext {
    private RuleMatcher<AiDataMaskingConfig> rules = RuleMatcher.empty();

    @Override
    public StartStatus onConfigure(int pluginConfigurationSize) {
      DenyWords.clearCache();
      Optional<RuleMatcher<AiDataMaskingConfig>> parsed =
          RuleMatcher.configure(this, AiDataMaskingConfig::parse, LOG);
      parsed.ifPresent(m -> rules = m);
      return StartStatus.of(parsed.isPresent());
    }

    @Override
    public HttpContext createHttpContext(int contextId) {
      return new Masking(rules);
    }
  }

  /** How a response body is handled. */
  private enum Mode {
    NONE,
    BUFFER,
    SSE,
    RAW_STREAM,
    UNDECIDED,
    /** The answer was cut (a chunk too large to inspect): nothing more passes. */
    CUT
  }

  static final class Masking implements HttpContext {
    private final RuleMatcher<AiDataMaskingConfig> rules;
    private final Exchange exchange = new Exchange();
    private AiDataMaskingConfig config;
    private Mode mode = Mode.NONE;
    private OpenAiStream sse;
    private RawStream raw;

    Masking(RuleMatcher<AiDataMaskingConfig> rules) {
      this.rules = rules;
    }

    @Override
    public HeaderAction onRequestHeaders(int numHeaders, boolean endOfStream) {
      config = rules.matchCurrentRequest().map(MatchedConfig::config).orElse(null);
      if (config == null) {
        return HeaderAction.CONTINUE;
      }
      if (!config.deny().isEmpty() || config.restores()) {
        // an encoded answer could not be checked or restored: ask the upstream for plain text
        removeHttpRequestHeader("accept-encoding");
      }
      if (endOfStream) {
        return HeaderAction.CONTINUE;
      }
      removeHttpRequestHeader("content-length");
      return HeaderAction.STOP_ITERATION;
    }

    @Override
    public DataAction onRequestBody(int bodySize, boolean endOfStream) {
      if (config == null) {
        return DataAction.CONTINUE;
      }
      if (!endOfStream) {
        return DataAction.STOP_ITERATION_AND_BUFFER;
      }
      Bodies.Verdict v;
      try {
        byte[] body = getHttpRequestBody(0, bodySize).orElse(new byte[0]);
        v = Bodies.request(config, body, exchange, LOG);
      } catch (HeapLimitException e) {
        LOG.warn("request refused (413): a body of " + bodySize + " bytes is too large to inspect");
        sendHttpResponse(413, HeaderMap.of("content-type", "text/plain; charset=utf-8"), TOO_LARGE);
        return DataAction.STOP_ITERATION_AND_BUFFER;
      }
      if (v.block) {
        block();
        return DataAction.STOP_ITERATION_AND_BUFFER;
      }
      if (v.body != null) {
        setHttpRequestBody(v.body);
      }
      return DataAction.CONTINUE;
    }

    /** The local reply for a blocked request, shaped like the request. */
    private void block() {
      String type;
      String body;
      if (!exchange.openAi) {
        type = config.denyContentType();
        body = config.denyRawMessage();
      } else if (exchange.stream) {
        type = Replies.SSE_CONTENT_TYPE;
        body = Replies.openAiStream(config.denyMessage());
      } else {
        type = "application/json";
        body = Replies.openAi(config.denyMessage());
      }
      sendHttpResponse(config.denyCode(), HeaderMap.of("content-type", type), body);
    }

    private boolean responseNeedsWork() {
      boolean applies = (exchange.openAi && config.denyOpenai()) || config.denyRaw();
      return applies && (!config.deny().isEmpty() || !exchange.restore.isEmpty());
    }

    @Override
    public HeaderAction onResponseHeaders(int numHeaders, boolean endOfStream) {
      if (config == null || !responseNeedsWork()) {
        return HeaderAction.CONTINUE;
      }
      String encoding = getHttpResponseHeader("content-encoding").orElse("").trim();
      if (!encoding.isEmpty() && !encoding.equalsIgnoreCase("identity")) {
        LOG.warn("response not inspected: it is encoded (" + encoding + ")");
        return HeaderAction.CONTINUE;
      }
      if (endOfStream) {
        return HeaderAction.CONTINUE;
      }
      removeHttpResponseHeader("content-length");
      String type = getHttpResponseHeader("content-type").orElse("").toLowerCase(Locale.ROOT);
      boolean openAi = exchange.openAi && config.denyOpenai();
      if (type.contains("text/event-stream")) {
        mode = openAi ? Mode.SSE : Mode.RAW_STREAM;
      } else if (type.contains("json") || !exchange.stream) {
        mode = Mode.BUFFER;
        return HeaderAction.STOP_ITERATION; // hold the headers: a blocked answer changes its type
      } else {
        mode = Mode.UNDECIDED;
      }
      return HeaderAction.CONTINUE;
    }

    @Override
    public DataAction onResponseBody(int bodySize, boolean endOfStream) {
      switch (mode) {
        case NONE:
          return DataAction.CONTINUE;
        case BUFFER:
          return bufferedResponse(bodySize, endOfStream);
        case CUT:
          setHttpResponseBody(new byte[0]);
          return DataAction.CONTINUE;
        default:
          return streamedResponse(bodySize, endOfStream);
      }
    }

    private DataAction bufferedResponse(int bodySize, boolean endOfStream) {
      if (!endOfStream) {
        return DataAction.STOP_ITERATION_AND_BUFFER;
      }
      Bodies.Verdict v;
      try {
        byte[] body = getHttpResponseBody(0, bodySize).orElse(new byte[0]);
        v = Bodies.response(config, body, exchange, LOG);
      } catch (HeapLimitException e) {
        LOG.warn("response blocked: a body of " + bodySize + " bytes is too large to inspect");
        v = Bodies.Verdict.block();
      }
      if (v.block) {
        boolean openAi = exchange.openAi;
        setHttpResponseBody(
            Utf8.encode(openAi ? Replies.openAi(config.denyMessage()) : config.denyRawMessage()));
        setHttpResponseHeader(
            "content-type", openAi ? "application/json" : config.denyContentType());
      } else if (v.body != null) {
        setHttpResponseBody(v.body);
      }
      return DataAction.CONTINUE;
    }

    private DataAction streamedResponse(int bodySize, boolean endOfStream) {
      byte[] out;
      try {
        byte[] chunk = getHttpResponseBody(0, bodySize).orElse(new byte[0]);
        if (mode == Mode.UNDECIDED) {
          boolean events = startsWith(chunk, "data:") || startsWith(chunk, ":");
          mode = events && exchange.openAi && config.denyOpenai() ? Mode.SSE : Mode.RAW_STREAM;
        }
        if (mode == Mode.SSE) {
          if (sse == null) {
            sse = new OpenAiStream(config, exchange.restore, LOG);
          }
          out = sse.onChunk(chunk, endOfStream);
        } else {
          if (raw == null) {
            raw = new RawStream(config, exchange.restore, LOG);
          }
          out = raw.onChunk(chunk, endOfStream);
        }
      } catch (HeapLimitException e) {
        LOG.warn("response stream cut: a chunk of " + bodySize + " bytes is too large to inspect");
        mode = Mode.CUT;
        out = new byte[0];
      }
      setHttpResponseBody(out);
      return DataAction.CONTINUE;
    }

    private static boolean startsWith(byte[] b, String prefix) {
      if (b.length < prefix.length()) {
        return false;
      }
      for (int i = 0; i < prefix.length(); i++) {
        if (b[i] != prefix.charAt(i)) {
          return false;
        }
      }
      return true;
    }
  }
}
