package io.rustless.cli.gateway.higress;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustless.cli.gateway.resource.KubeObject;
import io.rustless.cli.gateway.resource.YamlResources;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The order a request meets the plugins in (sources in {@link ChainOrder}). */
class ChainOrderTest {
  private static final String NS = "higress-system";

  @Test
  void phasesRunAuthnAuthzStatsThenUnspecified() {
    // listener_builder.go 465, 467, 474, 475: not the enum's numeric order (UNSPECIFIED_PHASE = 0).
    List<PluginDeployment> chain =
        ChainOrder.order(
            List.of(
                deployment("a-unspecified", "UNSPECIFIED_PHASE", null, null),
                deployment("b-stats", "STATS", null, null),
                deployment("c-authz", "AUTHZ", null, null),
                deployment("d-authn", "AUTHN", null, null)));
    assertThat(names(chain)).containsExactly("d-authn", "c-authz", "b-stats", "a-unspecified");
  }

  @Test
  void higherPriorityFirstWithinAPhase() {
    // push_context.go 1982-1996: iPriority > jPriority.
    List<PluginDeployment> chain =
        ChainOrder.order(
            List.of(
                deployment("low", "AUTHZ", 10, null),
                deployment("high", "AUTHZ", 320, null),
                deployment("negative", "AUTHZ", -5, null)));
    assertThat(names(chain)).containsExactly("high", "low", "negative");
  }

  @Test
  void noPriorityCountsAsTheLowest() {
    // push_context.go 1985-1992: a nil priority is math.MinInt32.
    List<PluginDeployment> chain =
        ChainOrder.order(
            List.of(
                deployment("unset", "STATS", null, null),
                deployment("min-plus-one", "STATS", Integer.MIN_VALUE + 1, null)));
    assertThat(names(chain)).containsExactly("min-plus-one", "unset");
  }

  @Test
  void tiesGoByNameThenNamespaceNotByCreationTime() {
    // config.go 348-360 sorts by creation time, then name.namespace; Higress hands the plugins to
    // Istio without a creation time (ingress_config.go 719-724), so the name decides, whatever the
    // WasmPlugins' own creation times.
    List<PluginDeployment> chain =
        ChainOrder.order(
            List.of(
                deployment("zeta", "AUTHN", 5, "2020-01-01T00:00:00Z"),
                deployment("alpha", "AUTHN", 5, "2024-01-01T00:00:00Z"),
                deployment("mid", "AUTHN", 5, null)));
    assertThat(names(chain)).containsExactly("alpha", "mid", "zeta");
  }

  @Test
  void theOrderDoesNotDependOnTheInputOrder() {
    List<PluginDeployment> all = new ArrayList<>();
    String[] phases = {"AUTHN", "AUTHZ", "STATS", "UNSPECIFIED_PHASE"};
    for (int i = 0; i < 24; i++) {
      all.add(deployment("p" + (char) ('a' + i), phases[i % 4], i % 3 == 0 ? null : i % 5, null));
    }
    List<String> expected = names(ChainOrder.order(all));
    Random random = new Random(7);
    for (int round = 0; round < 20; round++) {
      Collections.shuffle(all, random);
      assertThat(names(ChainOrder.order(all))).isEqualTo(expected);
    }
    // And it is the documented order: phase by phase, priority descending, then name.
    assertThat(expected.subList(0, 6)).containsExactly("pe", "pi", "pq", "pu", "pa", "pm");
  }

  @Test
  void theReadmeScenarioRunsRequestBlockBeforeSayHello() {
    // request-block (AUTHZ, 320) before say-hello (UNSPECIFIED_PHASE, 10), though s < r would not
    // put it first by name and 10 < 320 would not either: the phase decides.
    List<PluginDeployment> chain =
        ChainOrder.order(
            List.of(
                deployment("say-hello", "UNSPECIFIED_PHASE", 10, null),
                deployment("request-block", "AUTHZ", 320, null)));
    assertThat(names(chain)).containsExactly("request-block", "say-hello");
  }

  private static List<String> names(List<PluginDeployment> chain) {
    return chain.stream().map(PluginDeployment::name).toList();
  }

  private static PluginDeployment deployment(
      String name, String phase, Integer priority, String created) {
    String yaml =
        "apiVersion: extensions.higress.io/v1alpha1\n"
            + "kind: WasmPlugin\n"
            + "metadata:\n"
            + "  name: "
            + name
            + "\n  namespace: "
            + NS
            + "\n"
            + (created == null ? "" : "  creationTimestamp: \"" + created + "\"\n")
            + "spec:\n"
            + "  url: oci://registry.example.com/p:1\n"
            + "  phase: "
            + phase
            + "\n"
            + (priority == null ? "" : "  priority: " + priority + "\n");
    KubeObject o = YamlResources.parse(yaml, "test").get(0);
    return ((HigressController.Deployed) HigressController.translate(o, NS)).deployment();
  }
}
