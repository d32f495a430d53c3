package io.rustless.sdk.higress.rules;

import io.rustless.sdk.api.RootContext;
import io.rustless.sdk.higress.Log;
import io.rustless.sdk.higress.config.ConfigParser;
import io.rustless.sdk.higress.config.ConfigReader;
import io.rustless.sdk.higress.config.InvalidConfigException;
import io.rustless.sdk.higress.config.RuleConfigParser;
import io.rustless.sdk.higress.json.Json;
import io.rustless.sdk.higress.json.JsonException;
import io.rustless.sdk.higress.json.JsonObject;
import io.rustless.sdk.higress.json.JsonValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

/**
 * The Higress plugin configuration: a global configuration plus ordered {@code _rules_}, as the
 * Higress controller writes them from a WasmPlugin's {@code defaultConfig} and {@code matchRules}.
 *
 * <pre>{@code
 * {"name": "Alice",                                  ← global (every key but _rules_)
 *  "_rules_": [
 *    {"_match_domain_": ["*.example.com"], "name": "Bob"},   ← rule 0
 *    {"_match_route_": ["default/echo"], "name": "Carol"}]}  ← rule 1
 * }</pre>
 *
 * <p>Per request the first matching rule wins, else the global configuration applies, else nothing.
 * Rules are parsed on their own, not merged with the global configuration.
 *
 * <p>Stricter than the Rust SDK, on purpose: a global part that fails to parse fails the whole
 * configuration (Rust silently drops it when rules exist), and an empty configuration is parsed as
 * {@code {}} (so plugins whose fields all have defaults need none). Looser where the Rust SDK is
 * wrong: one rule may combine match kinds (route + domain, route + service), which the controller
 * emits for a matchRule with both {@code ingress} and {@code domain}; all of them must match.
 */
public final class RuleMatcher<C> {
  static final String RULES = "_rules_";
  static final String MATCH_ROUTE = "_match_route_";
  static final String MATCH_ROUTE_PREFIX = "_match_route_prefix_";
  static final String MATCH_DOMAIN = "_match_domain_";
  static final String MATCH_SERVICE = "_match_service_";

  private final C global;
  private final List<Rule<C>> rules;
  private final List<String> unknownKeys;

  /** The rules as matched per request, in order. */
  private final CompiledRule[] compiled;

  /**
   * The answers, made once: matching runs on every request, and an answer is the same object each
   * time its rule matches (index {@code rules.size()} is the global configuration's).
   */
  private final Optional<MatchedConfig<C>>[] matches;

  private final Optional<C>[] configs;

  @SuppressWarnings({"unchecked", "rawtypes"}) // arrays of a generic type
  private RuleMatcher(C global, List<Rule<C>> rules, List<String> unknownKeys) {
    this.global = global;
    this.rules = Collections.unmodifiableList(rules);
    this.unknownKeys = Collections.unmodifiableList(unknownKeys);
    int n = rules.size();
    compiled = new CompiledRule[n];
    matches = new Optional[n + 1];
    configs = new Optional[n + 1];
    for (int i = 0; i < n; i++) {
      compiled[i] = new CompiledRule(rules.get(i));
      matches[i] = Optional.of(new MatchedConfig<>(i, rules.get(i).config()));
      configs[i] = Optional.ofNullable(rules.get(i).config());
    }
    matches[n] =
        global == null
            ? Optional.empty()
            : Optional.of(new MatchedConfig<>(MatchedConfig.GLOBAL, global));
    configs[n] = Optional.ofNullable(global);
  }

  /** A matcher with no configuration: nothing matches. */
  public static <C> RuleMatcher<C> empty() {
    return new RuleMatcher<>(null, new ArrayList<>(), new ArrayList<>());
  }

  /**
   * Parses a plugin configuration.
   *
   * @throws InvalidConfigException naming the field: {@code _rules_[1].name: …} for a rule, the
   *     bare field name for the global part
   */
  public static <C> RuleMatcher<C> parse(JsonValue config, ConfigParser<C> parser) {
    return parse(config, parser, (rule, global) -> parser.parse(rule));
  }

  /**
   * Parses a plugin configuration whose rules are read knowing the global configuration (e.g. a
   * rule that lists allowed consumers of a globally configured set).
   */
  public static <C> RuleMatcher<C> parse(
      JsonValue config, ConfigParser<C> parser, RuleConfigParser<C> ruleParser) {
    if (!config.isObject()) {
      throw new InvalidConfigException(
          "", "the configuration must be a JSON object, not " + config.describeType());
    }
    JsonObject root = config.asObject();
    List<String> unknown = new ArrayList<>();
    C global = null;
    boolean hasGlobal = false;
    for (String key : root.keys()) {
      if (!key.equals(RULES)) {
        hasGlobal = true;
        break;
      }
    }
    List<ConfigReader> ruleReaders = ConfigReader.of(root).getObjectList(RULES);
    if (hasGlobal || ruleReaders.isEmpty()) {
      ConfigReader reader = ConfigReader.of(root);
      global = parser.parse(reader);
      unknown.addAll(reader.unknownKeys());
    }
    List<Rule<C>> rules = new ArrayList<>(ruleReaders.size());
    for (ConfigReader r : ruleReaders) {
      List<String> routes = matchList(r, MATCH_ROUTE);
      List<String> prefixes = matchList(r, MATCH_ROUTE_PREFIX);
      List<String> domains = matchList(r, MATCH_DOMAIN);
      List<String> services = matchList(r, MATCH_SERVICE);
      if (routes.isEmpty() && prefixes.isEmpty() && domains.isEmpty() && services.isEmpty()) {
        throw r.error(
            MATCH_ROUTE,
            "a rule needs at least one non-empty "
                + MATCH_ROUTE
                + ", "
                + MATCH_ROUTE_PREFIX
                + ", "
                + MATCH_DOMAIN
                + " or "
                + MATCH_SERVICE);
      }
      C ruleConfig = ruleParser.parse(r, global);
      rules.add(new Rule<>(routes, prefixes, domains, services, ruleConfig));
    }
    for (ConfigReader r : ruleReaders) {
      unknown.addAll(r.unknownKeys());
    }
    return new RuleMatcher<>(global, rules, unknown);
  }

  /**
   * Reads the plugin configuration of {@code root} (only possible in {@code onConfigure}) and
   * parses it. Problems are logged at ERROR with the field's path and give an empty result; fields
   * nobody read are logged at WARN.
   */
  public static <C> Optional<RuleMatcher<C>> configure(
      RootContext root, ConfigParser<C> parser, Log log) {
    return configure(root, parser, (rule, global) -> parser.parse(rule), log);
  }

  /** {@link #configure(RootContext, ConfigParser, Log)} with rules read knowing the global one. */
  public static <C> Optional<RuleMatcher<C>> configure(
      RootContext root, ConfigParser<C> parser, RuleConfigParser<C> ruleParser, Log log) {
    byte[] bytes = root.getPluginConfiguration().orElse(new byte[0]);
    JsonValue json;
    try {
      json = isBlank(bytes) ? JsonObject.builder().build() : Json.parse(bytes);
    } catch (JsonException e) {
      log.error("invalid configuration: " + e.getMessage());
      return Optional.empty();
    }
    try {
      RuleMatcher<C> matcher = parse(json, parser, ruleParser);
      for (String key : matcher.unknownKeys) {
        log.warn("configuration field " + key + " is not used by this plugin");
      }
      return Optional.of(matcher);
    } catch (InvalidConfigException e) {
      log.error("invalid configuration: " + e.getMessage());
      return Optional.empty();
    }
  }

  private static boolean isBlank(byte[] bytes) {
    for (byte b : bytes) {
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return false;
      }
    }
    return true;
  }

  private static List<String> matchList(ConfigReader r, String key) {
    List<String> out = new ArrayList<>();
    for (String s : r.getStringList(key)) {
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }

  /**
   * A matcher whose rule configurations are {@code merge(rule, global)}; unchanged if there is no
   * global configuration (the Rust SDK's {@code override_config}).
   */
  public RuleMatcher<C> override(BinaryOperator<C> merge) {
    if (global == null) {
      return this;
    }
    List<Rule<C>> merged = new ArrayList<>(rules.size());
    for (Rule<C> r : rules) {
      merged.add(
          new Rule<>(
              r.routes(),
              r.routePrefixes(),
              r.domains(),
              r.services(),
              merge.apply(r.config(), global)));
    }
    return new RuleMatcher<>(global, merged, new ArrayList<>(unknownKeys));
  }

  /** A matcher with {@code f} applied to the global and every rule configuration. */
  public RuleMatcher<C> rewrite(UnaryOperator<C> f) {
    List<Rule<C>> rewritten = new ArrayList<>(rules.size());
    for (Rule<C> r : rules) {
      rewritten.add(
          new Rule<>(
              r.routes(), r.routePrefixes(), r.domains(), r.services(), f.apply(r.config())));
    }
    return new RuleMatcher<>(
        global == null ? null : f.apply(global), rewritten, new ArrayList<>(unknownKeys));
  }

  /** The global configuration, if there is one. */
  public Optional<C> globalConfig() {
    return Optional.ofNullable(global);
  }

  /** The rules, in order. */
  public List<Rule<C>> rules() {
    return rules;
  }

  /** Configuration fields present but not read by the parser, with their paths. */
  public List<String> unknownKeys() {
    return unknownKeys;
  }

  /** The configuration for {@code request}: the first matching rule, else the global one. */
  public Optional<MatchedConfig<C>> match(RequestAttributes request) {
    return matches[indexOf(request)];
  }

  /** The configuration for the request whose callback is running. */
  public Optional<MatchedConfig<C>> matchCurrentRequest() {
    return match(RequestAttributes.current());
  }

  /**
   * The configuration for the request whose callback is running, without saying which rule chose
   * it: {@code matchCurrentRequest().map(MatchedConfig::config)}, with nothing made per request.
   */
  public Optional<C> configForCurrentRequest() {
    return configs[indexOf(RequestAttributes.current())];
  }

  /** The first rule that matches {@code request}, else {@code rules.size()} (the global one). */
  private int indexOf(RequestAttributes request) {
    CompiledRule[] c = compiled;
    for (int i = 0; i < c.length; i++) {
      if (c[i].matches(request)) {
        return i;
      }
    }
    return c.length;
  }
}
