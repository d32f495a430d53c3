package io.rustless.operator.status;

import io.rustless.operator.customresource.WasmPluginReference;

/** What the gateway serves for a source after this reconcile. */
public sealed interface Publication {

  /** The WasmPlugin serves the current spec at {@code digest}. */
  record Published(WasmPluginReference wasmPlugin, String digest) implements Publication {}

  /**
   * The WasmPlugin keeps serving an earlier good build or config, while the current spec is being
   * built, is invalid, or failed.
   */
  record ServingPrevious(WasmPluginReference wasmPlugin, String digest) implements Publication {}

  /** Nothing serves yet. */
  record NotPublished(String message) implements Publication {}

  /** A WasmPlugin of that name exists and is not this operator's: it is never touched. */
  record NameTaken(WasmPluginReference wasmPlugin) implements Publication {}

  /**
   * The WasmPlugin that served broke the current policy and was deleted (now, or by an earlier
   * reconcile while the spec still breaks it).
   *
   * @param message what was deleted and why
   */
  record Revoked(String message) implements Publication {}
}
