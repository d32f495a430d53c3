package io.rustless.operator.higress;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Higress {@code extensions.higress.io/v1alpha1 WasmPlugin}: only the fields this operator writes.
 * Typed so that informers need no API discovery; its CRD belongs to Higress (a copy for tests is in
 * {@code crds/}).
 */
@Group(WasmPlugin.GROUP)
@Version(WasmPlugin.VERSION)
@Kind(WasmPlugin.KIND)
@Plural(WasmPlugin.PLURAL)
public class WasmPlugin extends CustomResource<WasmPluginSpec, Void> implements Namespaced {

  public static final String GROUP = "extensions.higress.io";
  public static final String VERSION = "v1alpha1";
  public static final String KIND = "WasmPlugin";
  public static final String PLURAL = "wasmplugins";
}
