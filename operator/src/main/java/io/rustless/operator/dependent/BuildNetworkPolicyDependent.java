package io.rustless.operator.dependent;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResourceConfigBuilder;
import io.rustless.operator.Names;
import io.rustless.operator.build.BuildNetworkPolicySettings;
import io.rustless.operator.customresource.RustlessWasmPluginSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The NetworkPolicy around a source's build pods (when the operator is configured with one): no
 * ingress; egress to DNS and the configured peers only (registry, git host, Maven mirror). Owned by
 * the source, same namespace, so it goes with it.
 */
public final class BuildNetworkPolicyDependent
    extends CRUDKubernetesDependentResource<NetworkPolicy, RustlessWasmPluginSource> {

  public static final String NAME = "build-network-policy";

  private final BuildNetworkPolicySettings settings;

  public BuildNetworkPolicyDependent(BuildNetworkPolicySettings settings) {
    super(NetworkPolicy.class, NAME);
    this.settings = settings;
    configureWith(
        new KubernetesDependentResourceConfigBuilder<NetworkPolicy>()
            .withKubernetesDependentInformerConfig(
                InformerConfiguration.builder(NetworkPolicy.class)
                    .withLabelSelector(Names.BUILD_SELECTOR)
                    .build())
            .build());
  }

  @Override
  protected NetworkPolicy desired(
      RustlessWasmPluginSource primary, Context<RustlessWasmPluginSource> context) {
    return desired(primary, settings);
  }

  /** The policy for {@code source}'s build pods. */
  public static NetworkPolicy desired(
      RustlessWasmPluginSource source, BuildNetworkPolicySettings settings) {
    var egress = new ArrayList<NetworkPolicyEgressRule>();
    if (settings.allowDns()) {
      egress.add(
          new NetworkPolicyEgressRuleBuilder()
              .addNewTo()
              .withNamespaceSelector(new LabelSelectorBuilder().build())
              .withPodSelector(
                  new LabelSelectorBuilder().withMatchLabels(Map.of("k8s-app", "kube-dns")).build())
              .endTo()
              .withPorts(
                  new NetworkPolicyPortBuilder()
                      .withProtocol("UDP")
                      .withPort(new IntOrString(53))
                      .build(),
                  new NetworkPolicyPortBuilder()
                      .withProtocol("TCP")
                      .withPort(new IntOrString(53))
                      .build())
              .build());
    }
    egress.addAll(settings.egress());
    return new NetworkPolicyBuilder()
        .withNewMetadata()
        .withName(Names.buildNetworkPolicyName(source))
        .withNamespace(source.getMetadata().getNamespace())
        .withLabels(
            Map.of(
                Names.MANAGED_BY_LABEL, Names.OPERATOR,
                Names.COMPONENT_LABEL, Names.BUILD_COMPONENT,
                Names.SOURCE_LABEL, Names.sourceLabel(source)))
        .endMetadata()
        .withNewSpec()
        .withPodSelector(
            new LabelSelectorBuilder()
                .withMatchLabels(
                    Map.of(
                        Names.MANAGED_BY_LABEL, Names.OPERATOR,
                        Names.COMPONENT_LABEL, Names.BUILD_COMPONENT,
                        Names.SOURCE_LABEL, Names.sourceLabel(source)))
                .build())
        .withPolicyTypes(List.of("Ingress", "Egress"))
        .withEgress(egress)
        .endSpec()
        .build();
  }
}
