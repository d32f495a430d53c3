package io.rustless.operator.customresource;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A Rustless extension to build, publish as an OCI image and serve through a Higress {@code
 * WasmPlugin}.
 */
@Group(RustlessWasmPluginSource.GROUP)
@Version(RustlessWasmPluginSource.VERSION)
@Kind(RustlessWasmPluginSource.KIND)
@Plural("rustlesswasmpluginsources")
@Singular("rustlesswasmpluginsource")
@ShortNames("rwps")
@AdditionalPrinterColumn(name = "Extension", jsonPath = ".spec.source.extension")
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
// The generator orders columns by JSONPath: single quotes put Reason after Ready.
@AdditionalPrinterColumn(
    name = "Reason",
    jsonPath = ".status.conditions[?(@.type=='Ready')].reason")
@AdditionalPrinterColumn(name = "Digest", jsonPath = ".status.lastGoodDigest", priority = 1)
@AdditionalPrinterColumn(name = "WasmPlugin", jsonPath = ".status.wasmPlugin.name", priority = 1)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class RustlessWasmPluginSource
    extends CustomResource<RustlessWasmPluginSourceSpec, RustlessWasmPluginSourceStatus>
    implements Namespaced {

  public static final String GROUP = "rustless.io";
  public static final String VERSION = "v1alpha1";
  public static final String KIND = "RustlessWasmPluginSource";
}
