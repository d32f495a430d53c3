package io.rustless.sdk.higress.wrapper;

import io.rustless.sdk.api.FailurePolicy;
import io.rustless.sdk.api.HttpContext;
import io.rustless.sdk.api.ProxyWasm;
import io.rustless.sdk.api.RootContext;
import io.rustless.sdk.api.StartStatus;
import io.rustless.sdk.higress.Log;
import io.rustless.sdk.higress.config.ConfigParser;
import io.rustless.sdk.higress.config.RuleConfigParser;
import io.rustless.sdk.higress.rules.MatchedConfig;
import io.rustless.sdk.higress.rules.RequestAttributes;
import io.rustless.sdk.higress.rules.RuleMatcher;
import java.util.Optional;

/**
 * A Higress plugin built from handlers, as Higress's wrappers do: the configuration is parsed once
 * (global + {@code _rules_}, errors name the field), every request gets the configuration that
 * matches it, and the handlers see complete headers, complete (buffered) or streaming bodies.
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *   HigressPlugin.builder("hello", HelloConfig::parse)
 *       .onRequestHeaders((ctx, config, headers) -> {
 *         ctx.sendHttpResponse(200, HeaderMap.empty(), "Hello, " + config.name() + "!");
 *         return HeaderAction.STOP_ITERATION;
 *       })
 *       .register();
 * }
 * }</pre>
 *
 * <p>A complete-body handler holds the headers (STOP_ITERATION) until the body has been read, which
 * needs Higress's ABI 0.2.100 (the default): under plain 0.2.1 Envoy would not deliver the body.
 */
public final class HigressPlugin<C> {
  private final String name;
  private final Log log;
  private final ConfigParser<C> parser;
  private final RuleConfigParser<C> ruleParser;
  final HeadersHandler<C> requestHeaders;
  final BodyHandler<C> requestBody;
  final StreamingBodyHandler<C> streamingRequestBody;
  final HeadersHandler<C> responseHeaders;
  final BodyHandler<C> responseBody;
  final StreamingBodyHandler<C> streamingResponseBody;
  final StreamDoneHandler<C> streamDone;
  private final FailurePolicy failurePolicy;
  private RuleMatcher<C> rules = RuleMatcher.empty();

  private HigressPlugin(Builder<C> b) {
    this.name = b.name;
    this.log = Log.of(b.name);
    this.parser = b.parser;
    this.ruleParser = b.ruleParser != null ? b.ruleParser : (rule, global) -> b.parser.parse(rule);
    this.requestHeaders = b.requestHeaders;
    this.requestBody = b.requestBody;
    this.streamingRequestBody = b.streamingRequestBody;
    this.responseHeaders = b.responseHeaders;
    this.responseBody = b.responseBody;
    this.streamingResponseBody = b.streamingResponseBody;
    this.streamDone = b.streamDone;
    this.failurePolicy = b.failurePolicy;
  }

  /** Starts a plugin named {@code name} whose configuration {@code parser} reads. */
  public static <C> Builder<C> builder(String name, ConfigParser<C> parser) {
    return new Builder<>(name, parser);
  }

  public String name() {
    return name;
  }

  Log log() {
    return log;
  }

  /** The configuration in force. */
  public RuleMatcher<C> rules() {
    return rules;
  }

  /**
   * The configuration the plugin whose root context is {@code root} applies to a request with these
   * attributes (the test kit's {@code getMatchConfig}); empty if none matches or {@code root} is
   * not a {@code HigressPlugin}'s.
   */
  public static Optional<MatchedConfig<?>> matchConfig(
      RootContext root, RequestAttributes request) {
    if (!(root instanceof HigressPlugin.Root)) {
      return Optional.empty();
    }
    return ((HigressPlugin<?>.Root) root).match(request);
  }

  private final class Root implements RootContext {
    @Override
    public StartStatus onConfigure(int pluginConfigurationSize) {
      Optional<RuleMatcher<C>> parsed = RuleMatcher.configure(this, parser, ruleParser, log);
      parsed.ifPresent(m -> rules = m);
      return StartStatus.of(parsed.isPresent());
    }

    @Override
    public HttpContext createHttpContext(int contextId) {
      return new RequestContext<>(HigressPlugin.this, rules, contextId);
    }

    Optional<MatchedConfig<?>> match(RequestAttributes request) {
      return rules.match(request).map(m -> m);
    }
  }

  /** Configures a {@link HigressPlugin}. */
  public static final class Builder<C> {
    private final String name;
    private final ConfigParser<C> parser;
    private RuleConfigParser<C> ruleParser;
    private HeadersHandler<C> requestHeaders;
    private BodyHandler<C> requestBody;
    private StreamingBodyHandler<C> streamingRequestBody;
    private HeadersHandler<C> responseHeaders;
    private BodyHandler<C> responseBody;
    private StreamingBodyHandler<C> streamingResponseBody;
    private StreamDoneHandler<C> streamDone;
    private FailurePolicy failurePolicy = FailurePolicy.FAIL_OPEN;

    private Builder(String name, ConfigParser<C> parser) {
      this.name = name;
      this.parser = parser;
    }

    /** Reads rules knowing the global configuration (Higress's override parsing). */
    public Builder<C> ruleConfig(RuleConfigParser<C> p) {
      this.ruleParser = p;
      return this;
    }

    public Builder<C> onRequestHeaders(HeadersHandler<C> h) {
      this.requestHeaders = h;
      return this;
    }

    /** The whole request body, buffered until its end (see the class comment). */
    public Builder<C> onRequestBody(BodyHandler<C> h) {
      this.requestBody = h;
      return this;
    }

    /** The request body chunk by chunk; excludes {@link #onRequestBody}. */
    public Builder<C> onStreamingRequestBody(StreamingBodyHandler<C> h) {
      this.streamingRequestBody = h;
      return this;
    }

    public Builder<C> onResponseHeaders(HeadersHandler<C> h) {
      this.responseHeaders = h;
      return this;
    }

    /** The whole response body, buffered until its end. */
    public Builder<C> onResponseBody(BodyHandler<C> h) {
      this.responseBody = h;
      return this;
    }

    /**
     * The response body chunk by chunk (e.g. server-sent events); excludes {@link #onResponseBody}.
     */
    public Builder<C> onStreamingResponseBody(StreamingBodyHandler<C> h) {
      this.streamingResponseBody = h;
      return this;
    }

    /** When the stream is complete. */
    public Builder<C> onStreamDone(StreamDoneHandler<C> h) {
      this.streamDone = h;
      return this;
    }

    public Builder<C> failurePolicy(FailurePolicy p) {
      this.failurePolicy = p;
      return this;
    }

    public HigressPlugin<C> build() {
      if (requestBody != null && streamingRequestBody != null) {
        throw new IllegalStateException("choose onRequestBody or onStreamingRequestBody, not both");
      }
      if (responseBody != null && streamingResponseBody != null) {
        throw new IllegalStateException(
            "choose onResponseBody or onStreamingResponseBody, not both");
      }
      return new HigressPlugin<>(this);
    }

    /** Builds the plugin and registers it with the host (call from {@code main}). */
    public HigressPlugin<C> register() {
      HigressPlugin<C> plugin = build();
      ProxyWasm.setFailurePolicy(plugin.failurePolicy);
      ProxyWasm.setRootContext(id -> plugin.new Root());
      return plugin;
    }
  }
}
