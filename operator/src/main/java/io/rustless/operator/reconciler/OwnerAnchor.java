package io.rustless.operator.reconciler;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.rustless.operator.RustlessOperatorException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The owner reference every WasmPlugin of this installation carries: a ClusterRole the chart
 * creates (cluster-scoped, so it may own objects in any namespace). {@code helm uninstall} deletes
 * it and Kubernetes' garbage collector then deletes the WasmPlugins; no finalizer, no hook, and
 * nothing depends on the operator still running. Looked up once (one GET), then remembered.
 */
final class OwnerAnchor implements Supplier<Optional<OwnerReference>> {

  private final KubernetesClient client;
  private final Optional<String> name;
  private volatile OwnerReference reference;

  OwnerAnchor(KubernetesClient client, Optional<String> name) {
    this.client = client;
    this.name = name;
  }

  @Override
  public Optional<OwnerReference> get() {
    if (name.isEmpty()) {
      return Optional.empty();
    }
    OwnerReference r = reference;
    if (r == null) {
      ClusterRole anchor = client.rbac().clusterRoles().withName(name.get()).get();
      if (anchor == null) {
        throw new RustlessOperatorException(
            "the owner anchor ClusterRole "
                + name.get()
                + " does not exist (RUSTLESS_OWNER_ANCHOR; the chart creates it): refusing to"
                + " write WasmPlugins that uninstalling would leave behind");
      }
      r =
          new OwnerReferenceBuilder()
              .withApiVersion("rbac.authorization.k8s.io/v1")
              .withKind("ClusterRole")
              .withName(anchor.getMetadata().getName())
              .withUid(anchor.getMetadata().getUid())
              .withBlockOwnerDeletion(false)
              .withController(false)
              .build();
      reference = r;
    }
    return Optional.of(r);
  }
}
