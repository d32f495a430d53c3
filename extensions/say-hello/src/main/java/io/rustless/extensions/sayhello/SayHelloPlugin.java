package io.rustless.extensions.sayhello;

import io.rustless.sdk.api.HeaderAction;
import io.rustless.sdk.api.HttpContext;
import io.rustless.sdk.api.ProxyWasm;
import io.rustless.sdk.api.RootContext;
import io.rustless.sdk.api.StartStatus;
import io.rustless.sdk.higress.Log;
import io.rustless.sdk.higress.rules.RuleMatcher;
import io.rustless.sdk.host.HeaderMap;
import java.util.Optional;

/**
 * Answers every request itself: {@code Hello, <name>!} with the name of the configuration that
 * matches the request (a {@code _match_domain_}/{@code _match_route_} rule, else the global one),
 * or {@code Hello, World!} when none does.
 */
public final class SayHelloPlugin {
  static final Log LOG = Log.of("say-hello");
  private static final HeaderMap HEADERS =
      HeaderMap.of("content-type", "text/plain; charset=utf-8");

  private SayHelloPlugin() {}

  public static void main(String[] args) {
    ProxyWasm.setRootContext(id -> new Root());
  }

  static final class Root implements RootContext {
    private RuleMatcher<SayHelloConfig> rules = RuleMatcher.empty();

    @Override
    public StartStatus onConfigure(int pluginConfigurationSize) {
      Optional<RuleMatcher<SayHelloConfig>> parsed =
          RuleMatcher.configure(this, SayHelloConfig::parse, LOG);
      parsed.ifPresent(m -> rules = m);
      return StartStatus.of(parsed.isPresent());
    }

    @Override
    public HttpContext createHttpContext(int contextId) {
      return new Greeter(rules);
    }
  }

  static final class Greeter implements HttpContext {
    private final RuleMatcher<SayHelloConfig> rules;

    Greeter(RuleMatcher<SayHelloConfig> rules) {
      this.rules = rules;
    }

    @Override
    public HeaderAction onRequestHeaders(int numHeaders, boolean endOfStream) {
      String name = rules.matchCurrentRequest().map(m -> m.config().name()).orElse("World");
      sendHttpResponse(200, HEADERS, "Hello, " + name + "!");
      return HeaderAction.STOP_ITERATION;
    }
  }
}
