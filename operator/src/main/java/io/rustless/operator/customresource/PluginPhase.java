package io.rustless.operator.customresource;

/** Where in the Higress filter chain the plugin runs ({@code WasmPlugin.spec.phase}). */
public enum PluginPhase {
  UNSPECIFIED_PHASE,
  AUTHN,
  AUTHZ,
  STATS
}
