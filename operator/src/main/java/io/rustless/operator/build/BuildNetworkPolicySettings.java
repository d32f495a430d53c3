package io.rustless.operator.build;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;

/**
 * The NetworkPolicy the operator puts around each source's build pods, when enabled: no ingress,
 * and egress only to DNS (the cluster DNS pods) and the peers listed (the registry, the git host, a
 * Maven mirror), as Kubernetes egress rules. In JSON (the chart's {@code buildNetworkPolicy}
 * value): {@code {"allowDns": true, "egress": [{"to": [{"ipBlock": {"cidr": "10.0.0.0/8"}}],
 * "ports": [{"port": 443, "protocol": "TCP"}]}]}}.
 *
 * @param allowDns allow UDP and TCP port 53 to pods labelled {@code k8s-app=kube-dns} in any
 *     namespace
 * @param egress further egress rules, verbatim
 */
public record BuildNetworkPolicySettings(boolean allowDns, List<NetworkPolicyEgressRule> egress) {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  @JsonCreator
  public BuildNetworkPolicySettings(
      @JsonProperty("allowDns") Boolean allowDns,
      @JsonProperty("egress") List<NetworkPolicyEgressRule> egress) {
    this(allowDns == null || allowDns, egress == null ? List.of() : List.copyOf(egress));
  }

  public BuildNetworkPolicySettings {
    egress = List.copyOf(egress);
  }

  /** Parses the JSON form; throws {@link IllegalArgumentException} saying what is wrong. */
  public static BuildNetworkPolicySettings parse(String json) {
    try {
      return JSON.unmarshal(json, BuildNetworkPolicySettings.class);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "build network policy is not {\"allowDns\": bool, \"egress\": [NetworkPolicyEgressRule]}: "
              + e.getMessage(),
          e);
    }
  }
}
