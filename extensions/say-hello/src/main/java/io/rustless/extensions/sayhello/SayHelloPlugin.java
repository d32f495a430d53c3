package io.rustless.extensions.sayhello;

import io.rustless.sdk.api.HeaderAction;
import io.rustless.sdk.api.HttpContext;
import io.rustless.sdk.api.ProxyWasm;
import io.rustless.sdk.api.RootContext;
import io.rustless.sdk.api.StartStatus;
import io.rustless.sdk.higress.Log;
import io.rustless.sdk.higress.rules.RuleMatcher;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.sdk.lang.Utf8;
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
  private static final Greeting WORLD = Greeting.of(new SayHelloConfig("World"));

  private SayHelloPlugin() {}

  public static void main(String[] args) {
    ProxyWasm.setRootContext(id -> new Root());
  }

  /** The reply body for {@code name}, encoded once per configuration rather than per request. */
  static byte[] greeting(String name) {
    return Utf8.encode("Hello, " + name + "!");
  }

  /** A configuration with its reply body. */
  record Greeting(SayHelloConfig config, byte[] body) {
    static Greeting of(SayHelloConfig config) {
      return new Greeting(config, greeting(config.name()));
    }
  }

  static final class Root implements RootContext {
    private RuleMatcher<Greeting> rules = RuleMatcher.empty();

    @Override
    public StartStatus onConfigure(int pluginConfigurationSize) {
      Optional<RuleMatcher<Greeting>> parsed =
          RuleMatcher.configure(this, c -> Greeting.of(SayHelloConfig.parse(c)), LOG);
      parsed.ifPresent(m -> rules = m);
      return StartStatus.of(parsed.isPresent());
    }

    @Override
    public HttpContext createHttpContext(int contextId) {
      return new Greeter(rules);
    }
  }

  static final class Greeter implements HttpContext {
    private final RuleMatcher<Greeting> rules;

    Greeter(RuleMatcher<Greeting> rules) {
      this.rules = rules;
    }

    @Override
    public HeaderAction onRequestHeaders(int numHeaders, boolean endOfStream) {
      Greeting greeting = rules.configForCurrentRequest().orElse(WORLD);
      sendHttpResponse(200, HEADERS, greeting.body());
      return HeaderAction.STOP_ITERATION;
    }
  }
}
