package io.rustless.cli.gateway.higress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rustless.cli.gateway.resource.KubeObject;
import io.rustless.cli.gateway.resource.YamlResources;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The controller translation as a table: each case is a WasmPlugin {@code spec} and what Higress
 * makes of it, and names where that behaviour is read. "ic" is alibaba/higress {@code
 * pkg/ingress/config/ingress_config.go} @ 4e0d6914; "ext" is higress-group/istio {@code
 * pilot/pkg/model/extensions.go} @ 1dbd773; "crd" is Higress's WasmPlugin CRD schema ({@code
 * api/kubernetes/customresourcedefinitions.gen.yaml}).
 */
class HigressControllerTest {
  private static final String NS = "higress-system";

  /** What the translation gives: a configuration, no plugin, or a refusal. */
  sealed interface Expect {}

  record Config(String json) implements Expect {}

  record NoPlugin() implements Expect {}

  record Refused(String message) implements Expect {}

  record Case(String name, String source, String spec, Expect expect) {
    @Override
    public String toString() {
      return name + " [" + source + "]";
    }
  }

  static Stream<Case> table() {
    return Stream.of(
        new Case(
            "defaultConfig is the configuration",
            "ic 1030-1032",
            """
            defaultConfig:
              name: Alice
            """,
            new Config("{\"name\":\"Alice\"}")),
        new Case(
            "pluginConfig is used verbatim; defaultConfig and matchRules are ignored",
            "ic 1027-1029",
            """
            pluginConfig:
              name: Raw
            defaultConfig:
              name: Alice
            matchRules:
              - domain: [foo.com]
                config: {name: Foo}
            """,
            new Config("{\"name\":\"Raw\"}")),
        new Case(
            "an ingress rule becomes _match_route_, after the global part",
            "ic 1064-1085, 1130-1139",
            """
            defaultConfig:
              name: Alice
            matchRules:
              - ingress: [default/lucy, lucy2]
                config:
                  name: Lucy
            """,
            new Config(
                "{\"_rules_\":[{\"_match_route_\":[\"default/lucy\",\"lucy2\"],\"name\":\"Lucy\"}],"
                    + "\"name\":\"Alice\"}")),
        new Case(
            "a domain rule becomes _match_domain_",
            "ic 1105-1121",
            """
            defaultConfig: {name: Alice}
            matchRules:
              - domain: ["*.example.com", foo.com]
                config: {name: Foo}
            """,
            new Config(
                "{\"_rules_\":[{\"_match_domain_\":[\"*.example.com\",\"foo.com\"],\"name\":\"Foo\"}],"
                    + "\"name\":\"Alice\"}")),
        new Case(
            "a service rule becomes _match_service_",
            "ic 1086-1104",
            """
            defaultConfig: {name: Alice}
            matchRules:
              - service: [httpbin.default.svc.cluster.local:8080, qwen.dns]
                config: {name: Svc}
            """,
            new Config(
                "{\"_rules_\":[{\"_match_service_\":[\"httpbin.default.svc.cluster.local:8080\","
                    + "\"qwen.dns\"],\"name\":\"Svc\"}],\"name\":\"Alice\"}")),
        new Case(
            "a rule with ingress, domain and service keeps all three conditions",
            "ic 1064-1121",
            """
            matchRules:
              - ingress: [r1]
                domain: [d.com]
                service: [s.dns]
                config: {x: 1}
            """,
            new Config(
                "{\"_rules_\":[{\"_match_domain_\":[\"d.com\"],\"_match_route_\":[\"r1\"],"
                    + "\"_match_service_\":[\"s.dns\"],\"x\":1}]}")),
        new Case(
            "rules keep their order",
            "ic 1041, 1122-1125",
            """
            matchRules:
              - domain: [b.com]
                config: {n: 1}
              - domain: [a.com]
                config: {n: 2}
            """,
            new Config(
                "{\"_rules_\":[{\"_match_domain_\":[\"b.com\"],\"n\":1},"
                    + "{\"_match_domain_\":[\"a.com\"],\"n\":2}]}")),
        new Case(
            "a configDisable rule is left out",
            "ic 1042-1044",
            """
            defaultConfig: {name: Alice}
            matchRules:
              - domain: [off.com]
                configDisable: true
                config: {name: Off}
              - domain: [on.com]
                config: {name: Bob}
            """,
            new Config(
                "{\"_rules_\":[{\"_match_domain_\":[\"on.com\"],\"name\":\"Bob\"}],"
                    + "\"name\":\"Alice\"}")),
        new Case(
            "a rule without config is its conditions only",
            "ic 1045-1049",
            """
            defaultConfig: {name: Alice}
            matchRules:
              - ingress: [bare]
            """,
            new Config("{\"_rules_\":[{\"_match_route_\":[\"bare\"]}],\"name\":\"Alice\"}")),
        new Case(
            "a rule with no condition refuses the whole WasmPlugin",
            "ic 1127",
            """
            defaultConfig: {name: Alice}
            matchRules:
              - domain: [ok.com]
                config: {name: Ok}
              - config: {name: Nowhere}
            """,
            new Refused("invalid match rule has no match condition, rule:spec.matchRules[1]")),
        new Case(
            "a _match_route_ written inside config is not a condition",
            "ic 1054, 1122-1127",
            """
            matchRules:
              - config:
                  _match_route_: [sneaky]
            """,
            new Refused("invalid match rule has no match condition")),
        new Case(
            "a condition overwrites the same key written inside config",
            "ic 1076 (Fields[\"_match_route_\"] = …)",
            """
            matchRules:
              - ingress: [real]
                config:
                  _match_route_: [written]
            """,
            new Config("{\"_rules_\":[{\"_match_route_\":[\"real\"]}]}")),
        new Case(
            "defaultConfigDisable with rules: an empty global part plus _rules_",
            "ic 1030-1039",
            """
            defaultConfigDisable: true
            defaultConfig: {name: Alice}
            matchRules:
              - domain: [foo.com]
                config: {name: Foo}
            """,
            new Config("{\"_rules_\":[{\"_match_domain_\":[\"foo.com\"],\"name\":\"Foo\"}]}")),
        new Case(
            "defaultConfigDisable and no rules: no plugin",
            "ic 1141-1143",
            """
            defaultConfigDisable: true
            defaultConfig: {name: Alice}
            """,
            new NoPlugin()),
        new Case(
            "defaultConfigDisable and every rule disabled: no plugin",
            "ic 1041-1044, 1141-1143",
            """
            defaultConfigDisable: true
            matchRules:
              - domain: [foo.com]
                configDisable: true
                config: {name: Foo}
            """,
            new NoPlugin()),
        new Case(
            "no configuration at all: the plugin runs with none",
            "ic 1030-1034; ext 139-149",
            """
            phase: AUTHN
            """,
            new Config("")),
        new Case(
            "an empty defaultConfig reaches the plugin as no configuration",
            "ext 140 (len(PluginConfig.Fields) > 0)",
            """
            defaultConfig: {}
            """,
            new Config("")),
        new Case(
            "an empty pluginConfig still wins over defaultConfig, and is no configuration",
            "ic 1027-1029; ext 140",
            """
            pluginConfig: {}
            defaultConfig: {name: Alice}
            """,
            new Config("")),
        new Case(
            "the defaultConfig's own _rules_ stay when no matchRule is left",
            "ic 1130-1139 (written only when a rule is left)",
            """
            defaultConfig:
              _rules_: [{_match_domain_: [x.com], name: X}]
            matchRules:
              - domain: [foo.com]
                configDisable: true
            """,
            new Config("{\"_rules_\":[{\"_match_domain_\":[\"x.com\"],\"name\":\"X\"}]}")),
        new Case(
            "matchRules replace the defaultConfig's own _rules_",
            "ic 1132 (Fields[\"_rules_\"] = …)",
            """
            defaultConfig:
              _rules_: [{_match_domain_: [x.com], name: X}]
            matchRules:
              - domain: [foo.com]
                config: {name: Foo}
            """,
            new Config("{\"_rules_\":[{\"_match_domain_\":[\"foo.com\"],\"name\":\"Foo\"}]}")),
        new Case(
            "routeType GRPC replaces each ingress name by GRPC",
            "ic 1059-1067 (path.Join(rule.GetRouteType().String()))",
            """
            matchRules:
              - ingress: [grpc-a, grpc-b]
                routeType: GRPC
                config: {n: 1}
            """,
            new Config("{\"_rules_\":[{\"_match_route_\":[\"GRPC\",\"GRPC\"],\"n\":1}]}")),
        new Case(
            "numbers travel as float64, keys in sorted order",
            "google/protobuf/struct.proto number_value; istio protomarshal.ToJSON (jsonpb)",
            """
            defaultConfig:
              z: 10
              a: 1.50
              m: 9007199254740993
              e: 1.0e+21
              small: 0.0000001
              neg: -2
              nested: {y: true, b: null, list: [3, "x"]}
            """,
            new Config(
                "{\"a\":1.5,\"e\":1e+21,\"m\":9007199254740992,\"neg\":-2,"
                    + "\"nested\":{\"b\":null,\"list\":[3,\"x\"],\"y\":true},\"small\":1e-7,"
                    + "\"z\":10}")),
        new Case(
            "an unquoted date stays a string, as kubectl sends it",
            "sigs.k8s.io/yaml (YAML to JSON as kubectl converts)",
            """
            defaultConfig:
              since: 2024-01-02
            """,
            new Config("{\"since\":\"2024-01-02\"}")),
        new Case(
            "YAML 1.1 words are booleans, as kubectl reads them (quote them to keep them)",
            "sigs.k8s.io/yaml (go-yaml v2 resolves yes/no/on/off)",
            """
            defaultConfig:
              a: on
              b: "on"
              c: No
            """,
            new Config("{\"a\":true,\"b\":\"on\",\"c\":false}")),
        new Case(
            "an unsupported phase is refused as the API server refuses it",
            "crd: phase enum",
            """
            phase: authn
            """,
            new Refused(
                "spec.phase: Unsupported value: \"authn\": supported values:"
                    + " \"UNSPECIFIED_PHASE\", \"AUTHN\", \"AUTHZ\", \"STATS\"")),
        new Case(
            "a priority that is not an integer is refused",
            "crd: priority type integer",
            """
            priority: high
            """,
            new Refused("spec.priority: Invalid value: \"string\": must be of type integer")),
        new Case(
            "a misspelt field is refused, as kubectl apply --validate=strict does",
            "kubectl apply default field validation (Strict)",
            """
            defualtConfig: {name: Alice}
            """,
            new Refused("unknown field \"spec.defualtConfig\"")),
        new Case(
            "a config that is not an object is refused",
            "crd: defaultConfig type object",
            """
            defaultConfig: [a, b]
            """,
            new Refused("spec.defaultConfig: Invalid value: \"array\": must be of type object")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void translatesAsHigressDoes(Case c) {
    KubeObject plugin = plugin(NS, "p", c.spec());
    if (c.expect() instanceof Config cfg) {
      HigressController.Translation t = HigressController.translate(plugin, NS);
      assertThat(t).isInstanceOf(HigressController.Deployed.class);
      assertThat(((HigressController.Deployed) t).deployment().configuration())
          .isEqualTo(cfg.json());
    } else if (c.expect() instanceof NoPlugin) {
      assertThat(HigressController.translate(plugin, NS))
          .isInstanceOf(HigressController.Disabled.class);
    } else if (c.expect() instanceof Refused r) {
      assertThatThrownBy(() -> HigressController.translate(plugin, NS))
          .isInstanceOf(InvalidResourceException.class)
          .hasMessageStartingWith("WasmPlugin higress-system/p is invalid: ")
          .hasMessageContaining(r.message());
    }
  }

  @Test
  void onlyWasmPluginsOfTheControllerNamespaceAreUsed() {
    // ic 1152: AddOrUpdateWasmPlugin returns for any other namespace.
    KubeObject elsewhere = plugin("default", "p", "defaultConfig: {name: Alice}\n");
    HigressController.Translation t = HigressController.translate(elsewhere, NS);
    assertThat(t).isInstanceOf(HigressController.Ignored.class);
    assertThat(((HigressController.Ignored) t).why())
        .contains("namespace default")
        .contains("higress-system");
  }

  @Test
  void copiesWhatTheIstioWasmPluginCarries() {
    // ic 1000-1026: url, sha256, pull policy and secret, pluginName, phase, priority, failStrategy,
    // vmConfig are copied.
    KubeObject plugin =
        plugin(
            NS,
            "full",
            """
            url: oci://registry.example.com/p:1
            sha256: abc
            imagePullPolicy: Always
            imagePullSecret: pull
            pluginName: root
            phase: AUTHZ
            priority: 320
            failStrategy: FAIL_OPEN
            vmConfig:
              env:
                - {name: A, value: "1"}
                - {name: HOME, valueFrom: HOST}
            defaultConfig: {k: v}
            """);
    PluginDeployment d =
        ((HigressController.Deployed) HigressController.translate(plugin, NS)).deployment();
    assertThat(d.url()).isEqualTo("oci://registry.example.com/p:1");
    assertThat(d.sha256()).isEqualTo("abc");
    assertThat(d.pullPolicy()).isEqualTo(PullPolicy.Always);
    assertThat(d.imagePullSecret()).isEqualTo("pull");
    assertThat(d.rootId()).isEqualTo("root");
    assertThat(d.phase()).isEqualTo(PluginPhase.AUTHZ);
    assertThat(d.priority()).contains(320);
    assertThat(d.failStrategy()).isEqualTo(FailStrategy.FAIL_OPEN);
    assertThat(d.env())
        .containsExactly(
            new WasmPluginSpec.EnvVar("A", "1", WasmPluginSpec.EnvValueSource.INLINE),
            new WasmPluginSpec.EnvVar("HOME", "", WasmPluginSpec.EnvValueSource.HOST));
    assertThat(d.resourceName()).isEqualTo("higress-system.full");
  }

  @Test
  void defaultsAreTheProtoDefaults() {
    // wasmplugin.proto: FAIL_CLOSE = 0, UNSPECIFIED_PHASE = 0, UNSPECIFIED_POLICY = 0; priority is
    // a nullable Int32Value.
    PluginDeployment d =
        ((HigressController.Deployed)
                HigressController.translate(plugin(NS, "d", "url: oci://r.io/p:1\n"), NS))
            .deployment();
    assertThat(d.failStrategy()).isEqualTo(FailStrategy.FAIL_CLOSE);
    assertThat(d.phase()).isEqualTo(PluginPhase.UNSPECIFIED_PHASE);
    assertThat(d.pullPolicy()).isEqualTo(PullPolicy.UNSPECIFIED_POLICY);
    assertThat(d.priority()).isEmpty();
  }

  @Test
  void everyRefusedFieldIsNamedAtOnce() {
    KubeObject plugin =
        plugin(
            NS,
            "bad",
            """
            phase: first
            failStrategy: maybe
            matchRules:
              - domain: example.com
            """);
    assertThatThrownBy(() -> HigressController.translate(plugin, NS))
        .isInstanceOfSatisfying(
            InvalidResourceException.class,
            e ->
                assertThat(e.errors())
                    .containsExactlyInAnyOrder(
                        "spec.phase: Unsupported value: \"first\": supported values:"
                            + " \"UNSPECIFIED_PHASE\", \"AUTHN\", \"AUTHZ\", \"STATS\"",
                        "spec.failStrategy: Unsupported value: \"maybe\": supported values:"
                            + " \"FAIL_CLOSE\", \"FAIL_OPEN\"",
                        "spec.matchRules[0].domain: Invalid value: \"string\": must be of type"
                            + " array"));
  }

  @Test
  void notesTheGrpcQuirk() {
    PluginDeployment d =
        ((HigressController.Deployed)
                HigressController.translate(
                    plugin(NS, "g", "matchRules:\n  - ingress: [a]\n    routeType: GRPC\n"), NS))
            .deployment();
    assertThat(d.notes()).anySatisfy(n -> assertThat(n).contains("routeType is GRPC"));
  }

  static KubeObject plugin(String namespace, String name, String spec) {
    String indented = spec.strip().replace("\n", "\n  ");
    String yaml =
        "apiVersion: extensions.higress.io/v1alpha1\nkind: WasmPlugin\nmetadata:\n  name: "
            + name
            + "\n  namespace: "
            + namespace
            + "\nspec:\n  "
            + indented
            + "\n";
    List<KubeObject> objects = YamlResources.parse(yaml, "test");
    assertThat(objects).hasSize(1);
    return objects.get(0);
  }
}
