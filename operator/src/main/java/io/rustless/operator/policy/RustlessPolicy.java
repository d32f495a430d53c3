package io.rustless.operator.policy;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The platform team's grant, cluster-scoped so that only cluster administrators write it: which
 * namespaces may create {@code RustlessWasmPluginSource}s, and which domains, services and global
 * plugins those sources may attach to. A namespace no policy selects may create none. Ingresses
 * need no grant: a source may attach to those of its own namespace only.
 */
@Group(RustlessPolicy.GROUP)
@Version(RustlessPolicy.VERSION)
@Kind(RustlessPolicy.KIND)
@Plural("rustlesspolicies")
@Singular("rustlesspolicy")
@ShortNames("rwpolicy")
@AdditionalPrinterColumn(name = "Namespaces", jsonPath = ".spec.namespaces")
@AdditionalPrinterColumn(name = "Global", jsonPath = ".spec.allowGlobalPlugins")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class RustlessPolicy extends CustomResource<RustlessPolicySpec, Void> {

  public static final String GROUP = "rustless.io";
  public static final String VERSION = "v1alpha1";
  public static final String KIND = "RustlessPolicy";
}
