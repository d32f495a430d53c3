package io.rustless.cli.gateway.higress;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The order in which a request meets the plugins, as Istio builds the gateway's HTTP filter chain
 * from what Higress's controller gives it (higress-group/istio @ 1dbd773, alibaba/higress @
 * 4e0d6914):
 *
 * <ol>
 *   <li>All WasmPlugins are first sorted by creation time, ties by {@code name.namespace} ({@code
 *       pilot/pkg/model/push_context.go} line 1941 calls {@code sortConfigByCreationTime}, {@code
 *       pilot/pkg/model/config.go} lines 348–360). Higress hands them over without a creation time
 *       ({@code pkg/ingress/config/ingress_config.go} lines 719–724 set only kind, name and
 *       namespace), so this is the name order; the WasmPlugin's own creation time plays no part.
 *   <li>They are grouped by phase and each group is stably sorted by priority, higher first, a
 *       missing priority counting as the lowest int32 ({@code push_context.go} lines 1982–1996).
 *   <li>The groups are appended to the chain AUTHN, AUTHZ, STATS, then UNSPECIFIED_PHASE ({@code
 *       pilot/pkg/networking/core/v1alpha3/listener_builder.go} lines 465, 467, 474, 475).
 * </ol>
 */
public final class ChainOrder {
  private static final Comparator<PluginDeployment> NAME =
      Comparator.comparing(d -> d.name() + "." + d.namespace());

  private static final Comparator<PluginDeployment> CHAIN =
      Comparator.<PluginDeployment>comparingInt(d -> d.phase().chainPosition())
          .thenComparing(
              Comparator.<PluginDeployment>comparingInt(d -> d.priority().orElse(Integer.MIN_VALUE))
                  .reversed());

  private ChainOrder() {}

  /** {@code plugins} in the order a request meets them. */
  public static List<PluginDeployment> order(Collection<PluginDeployment> plugins) {
    List<PluginDeployment> sorted = new ArrayList<>(plugins);
    sorted.sort(NAME);
    // List.sort is stable: within a phase and priority, the name order stays.
    sorted.sort(CHAIN);
    return sorted;
  }
}
