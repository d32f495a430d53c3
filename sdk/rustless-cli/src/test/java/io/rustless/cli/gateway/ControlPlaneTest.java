package io.rustless.cli.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustless.cli.ExitCode;
import io.rustless.cli.ToolException;
import io.rustless.cli.fixture.FixtureWasm;
import io.rustless.cli.gateway.GatewayConfig.Active;
import io.rustless.cli.gateway.GatewayConfig.ChainEntry;
import io.rustless.cli.gateway.GatewayConfig.Unavailable;
import io.rustless.cli.gateway.fetch.ModuleFetcher;
import io.rustless.cli.gateway.higress.IngressRoutes;
import io.rustless.cli.gateway.higress.PluginDeployment;
import io.rustless.cli.gateway.resource.ResourceSnapshot;
import io.rustless.cli.gateway.resource.YamlResources;
import io.rustless.cli.oci.RegistryAccess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reload model: what each kind of change, good or bad, does to the configuration requests get.
 * Modules are real files fetched by the real fetcher; the loader here stands in for the runtime
 * (which the gateway tests exercise end to end) and refuses a configuration that says {@code
 * "refuse": true}, as a plugin's {@code proxy_on_configure} would.
 */
class ControlPlaneTest {
  private static final String NS = "higress-system";

  @TempDir static Path tmp;
  static Path module;

  final List<String> log = new CopyOnWriteArrayList<>();
  final List<Plugin> loaded = new CopyOnWriteArrayList<>();
  final java.util.concurrent.atomic.AtomicInteger loadAttempts =
      new java.util.concurrent.atomic.AtomicInteger();
  ControlPlane<Plugin> plane;

  /** What the stand-in loader gives. */
  static final class Plugin implements LoadedPlugin {
    final PluginDeployment deployment;
    volatile boolean retired;

    Plugin(PluginDeployment deployment) {
      this.deployment = deployment;
    }

    @Override
    public void retire() {
      if (retired) {
        throw new AssertionError("retired twice: " + deployment.key());
      }
      retired = true;
    }
  }

  @BeforeAll
  static void module() throws Exception {
    module = tmp.resolve("plugin.wasm");
    Files.copy(FixtureWasm.path(), module);
  }

  @BeforeEach
  void start() {
    ModuleFetcher fetcher =
        ModuleFetcher.builder()
            .registryAccess(RegistryAccess.builder().plainHttp(true).environment(Map.of()).build())
            .build();
    plane =
        new ControlPlane<>(
            NS,
            IngressRoutes.Options.defaults(NS),
            fetcher,
            (d, m) -> {
              loadAttempts.incrementAndGet();
              if (d.configuration().contains("\"refuse\":true")) {
                throw new ToolException(
                    ExitCode.PLUGIN, "the plugin refused its configuration (proxy_on_configure)");
              }
              Plugin p = new Plugin(d);
              loaded.add(p);
              return p;
            },
            log::add,
            Duration.ofMillis(200));
  }

  @AfterEach
  void stop() {
    plane.close();
  }

  private GatewayConfig<Plugin> apply(String yaml) throws InterruptedException {
    long g = plane.submit(new ResourceSnapshot(YamlResources.parse(yaml, "test"), List.of()));
    assertThat(plane.awaitApplied(g, Duration.ofSeconds(30))).isTrue();
    return plane.current();
  }

  static String plugin(String name, String extra) {
    return "---\napiVersion: extensions.higress.io/v1alpha1\nkind: WasmPlugin\nmetadata:\n  name: "
        + name
        + "\n  namespace: "
        + NS
        + "\nspec:\n  url: file://"
        + module
        + "\n  "
        + extra.strip().replace("\n", "\n  ")
        + "\n";
  }

  private static List<String> names(GatewayConfig<Plugin> c) {
    return c.chain().stream().map(e -> e.deployment().name()).toList();
  }

  private static Plugin plugin(GatewayConfig<Plugin> c, String name) {
    for (ChainEntry<Plugin> e : c.chain()) {
      if (e.deployment().name().equals(name) && e instanceof Active<Plugin> a) {
        return a.plugin();
      }
    }
    throw new AssertionError(name + " is not active in " + c.chain());
  }

  private ControlPlane.State state(String name) {
    return plane.statuses().stream()
        .filter(s -> s.key().equals(NS + "/" + name))
        .findFirst()
        .orElseThrow()
        .state();
  }

  @Test
  void loadsAndOrdersThePlugins() throws Exception {
    GatewayConfig<Plugin> c =
        apply(
            plugin("say-hello", "phase: UNSPECIFIED_PHASE\npriority: 10\ndefaultConfig: {name: A}")
                + plugin("request-block", "phase: AUTHZ\npriority: 320\ndefaultConfig: {x: 1}"));
    assertThat(names(c)).containsExactly("request-block", "say-hello");
    assertThat(c.generation()).isEqualTo(1);
    assertThat(log)
        .anySatisfy(
            l ->
                assertThat(l)
                    .isEqualTo(
                        "chain: request-block (AUTHZ 320) -> say-hello (UNSPECIFIED_PHASE 10)"));
    assertThat(state("say-hello")).isEqualTo(ControlPlane.State.ACTIVE);
  }

  @Test
  void aNewConfigurationReplacesThePluginAndRetiresTheOld() throws Exception {
    Plugin v1 = plugin(apply(plugin("p", "defaultConfig: {name: One}")), "p");
    Plugin v2 = plugin(apply(plugin("p", "defaultConfig: {name: Two}")), "p");
    assertThat(v2).isNotSameAs(v1);
    assertThat(v2.deployment.configuration()).isEqualTo("{\"name\":\"Two\"}");
    assertThat(v1.retired).isTrue();
    assertThat(v2.retired).isFalse();
  }

  @Test
  void aChangeOfOrderOnlyKeepsTheLoadedPlugin() throws Exception {
    Plugin v1 = plugin(apply(plugin("p", "priority: 1\ndefaultConfig: {name: One}")), "p");
    GatewayConfig<Plugin> c = apply(plugin("p", "priority: 2\ndefaultConfig: {name: One}"));
    assertThat(plugin(c, "p")).isSameAs(v1);
    assertThat(c.chain().get(0).deployment().priority()).contains(2);
    assertThat(v1.retired).isFalse();
    assertThat(loaded).hasSize(1);
  }

  @Test
  void anInvalidChangeKeepsThePreviousVersionAndSaysWhy() throws Exception {
    Plugin v1 = plugin(apply(plugin("p", "defaultConfig: {name: One}")), "p");
    GatewayConfig<Plugin> c =
        apply(plugin("p", "defaultConfig: {name: Two}\nmatchRules:\n  - config: {name: Bad}"));
    assertThat(plugin(c, "p")).isSameAs(v1);
    assertThat(v1.retired).isFalse();
    assertThat(state("p")).isEqualTo(ControlPlane.State.PREVIOUS_VERSION);
    assertThat(log)
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith("error: WasmPlugin higress-system/p is invalid: ")
                    .contains("invalid match rule has no match condition")
                    .endsWith("; the previous version keeps serving"));
  }

  @Test
  void aConfigurationThePluginRefusesKeepsThePreviousVersion() throws Exception {
    Plugin v1 = plugin(apply(plugin("p", "defaultConfig: {name: One}")), "p");
    GatewayConfig<Plugin> c = apply(plugin("p", "defaultConfig: {refuse: true}"));
    assertThat(plugin(c, "p")).isSameAs(v1);
    assertThat(log)
        .anySatisfy(
            l -> assertThat(l).contains("refused its configuration").endsWith("keeps serving"));
    // Fixing it loads the fix.
    Plugin v3 = plugin(apply(plugin("p", "defaultConfig: {name: Three}")), "p");
    assertThat(v3.deployment.configuration()).contains("Three");
    assertThat(v1.retired).isTrue();
  }

  @Test
  void aModuleThatCannotBeFetchedKeepsThePreviousVersion() throws Exception {
    Plugin v1 = plugin(apply(plugin("p", "defaultConfig: {name: One}")), "p");
    String broken =
        plugin("p", "defaultConfig: {name: Two}")
            .replace("file://" + module, "file://" + tmp.resolve("missing.wasm"));
    GatewayConfig<Plugin> c = apply(broken);
    assertThat(plugin(c, "p")).isSameAs(v1);
    assertThat(log)
        .anySatisfy(
            l -> assertThat(l).contains("cannot read Wasm module").contains("missing.wasm"));
  }

  @Test
  void aPluginThatNeverLoadedFollowsItsFailStrategy() throws Exception {
    String missing = "file://" + tmp.resolve("missing.wasm");
    GatewayConfig<Plugin> c =
        apply(
            plugin("closed", "defaultConfig: {a: 1}").replace("file://" + module, missing)
                + plugin("open", "failStrategy: FAIL_OPEN\ndefaultConfig: {a: 1}")
                    .replace("file://" + module, missing));
    assertThat(c.chain()).hasSize(2).allSatisfy(e -> assertThat(e).isInstanceOf(Unavailable.class));
    Unavailable<Plugin> closed = (Unavailable<Plugin>) c.chain().get(0);
    Unavailable<Plugin> open = (Unavailable<Plugin>) c.chain().get(1);
    assertThat(closed.deployment().name()).isEqualTo("closed");
    assertThat(closed.failsOpen()).isFalse();
    assertThat(open.failsOpen()).isTrue();
    assertThat(closed.reason()).contains("missing.wasm");
    assertThat(log)
        .anySatisfy(l -> assertThat(l).endsWith("failStrategy FAIL_CLOSE: requests get 503"));
    assertThat(log)
        .anySatisfy(
            l -> assertThat(l).endsWith("failStrategy FAIL_OPEN: requests pass without it"));
    assertThat(state("closed")).isEqualTo(ControlPlane.State.UNAVAILABLE);
  }

  @Test
  void aModuleThatCouldNotBeFetchedIsTriedAgainUntilItLoads() throws Exception {
    Path later = tmp.resolve("later.wasm");
    GatewayConfig<Plugin> c =
        apply(plugin("p", "defaultConfig: {n: 1}").replace("file://" + module, "file://" + later));
    assertThat(c.chain().get(0)).isInstanceOf(Unavailable.class);
    // The module appears; nothing in the resources changes.
    Files.copy(module, later);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!(plane.current().chain().get(0) instanceof Active) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(plane.current().chain().get(0)).isInstanceOf(Active.class);
    assertThat(state("p")).isEqualTo(ControlPlane.State.ACTIVE);
    // A loaded plugin is not tried again.
    int attempts = loadAttempts.get();
    Thread.sleep(600);
    assertThat(loadAttempts.get()).isEqualTo(attempts);
  }

  @Test
  void anInvalidWasmPluginIsNotTriedAgain() throws Exception {
    apply(plugin("p", "matchRules:\n  - config: {n: 1}"));
    int lines = log.size();
    Thread.sleep(600);
    assertThat(log).hasSize(lines);
    assertThat(loadAttempts.get()).isZero();
  }

  @Test
  void disablingOrDeletingRemovesAndRetires() throws Exception {
    GatewayConfig<Plugin> c =
        apply(plugin("a", "defaultConfig: {n: 1}") + plugin("b", "defaultConfig: {n: 2}"));
    Plugin a = plugin(c, "a");
    Plugin b = plugin(c, "b");
    c =
        apply(
            plugin("a", "defaultConfigDisable: true\ndefaultConfig: {n: 1}")
                + plugin("b", "defaultConfig: {n: 2}"));
    assertThat(names(c)).containsExactly("b");
    assertThat(a.retired).isTrue();
    assertThat(state("a")).isEqualTo(ControlPlane.State.DISABLED);
    c = apply("");
    assertThat(c.chain()).isEmpty();
    assertThat(b.retired).isTrue();
    assertThat(log)
        .anySatisfy(l -> assertThat(l).isEqualTo("WasmPlugin higress-system/b: removed"));
  }

  @Test
  void anUnchangedPluginIsNotLoadedAgain() throws Exception {
    String yaml = plugin("p", "defaultConfig: {n: 1}");
    apply(yaml);
    apply(
        yaml
            + "---\napiVersion: v1\nkind: Secret\nmetadata: {name: unrelated, namespace: "
            + NS
            + "}\n");
    assertThat(loaded).hasSize(1);
  }

  @Test
  void fixingThePullSecretRetriesAPluginThatNeedsIt() throws Exception {
    String yaml =
        plugin("p", "imagePullSecret: pull\ndefaultConfig: {n: 1}")
            .replace("file://" + module, "oci://127.0.0.1:1/none/p:1");
    GatewayConfig<Plugin> c = apply(yaml);
    assertThat(((Unavailable<Plugin>) c.chain().get(0)).reason())
        .contains("missing image pulling secret: secret higress-system/pull not found");
    c =
        apply(
            yaml
                + "---\napiVersion: v1\nkind: Secret\nmetadata: {name: pull, namespace: "
                + NS
                + "}\ntype: kubernetes.io/dockerconfigjson\ndata: {.dockerconfigjson: e30=}\n");
    // The secret is found now; the fetch gets further (the registry is not there).
    assertThat(((Unavailable<Plugin>) c.chain().get(0)).reason())
        .doesNotContain("missing image pulling secret")
        .contains("cannot reach registry 127.0.0.1:1");
  }

  @Test
  void pluginsOutsideTheNamespaceAreIgnoredAndSaidSo() throws Exception {
    GatewayConfig<Plugin> c =
        apply(
            plugin("elsewhere", "defaultConfig: {n: 1}")
                .replace("namespace: " + NS, "namespace: default"));
    assertThat(c.chain()).isEmpty();
    assertThat(log)
        .anySatisfy(
            l ->
                assertThat(l)
                    .isEqualTo(
                        "WasmPlugin default/elsewhere: ignored: it is in namespace default; Higress"
                            + " uses only WasmPlugins in its own namespace, higress-system"));
  }

  @Test
  void resourceProblemsAndRoutesAreReported() throws Exception {
    long g =
        plane.submit(
            new ResourceSnapshot(
                YamlResources.parse(
                    """
                    apiVersion: networking.k8s.io/v1
                    kind: Ingress
                    metadata: {name: web, namespace: higress-system}
                    spec:
                      ingressClassName: higress
                      rules:
                        - host: a.com
                          http:
                            paths:
                              - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
                    """,
                    "t"),
                List.of("bad.yaml: not valid YAML: line 3")));
    plane.awaitApplied(g, Duration.ofSeconds(10));
    assertThat(plane.current().routes().match("a.com", "/").orElseThrow().name()).isEqualTo("web");
    assertThat(log)
        .contains(
            "error: bad.yaml: not valid YAML: line 3",
            "route web: a.com Prefix / -> outbound|80||web.higress-system.svc.cluster.local");
  }
}
