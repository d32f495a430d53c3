package io.rustless.sdk.api;

/** The outcome of {@link RootContext#onVmStart} and {@link RootContext#onConfigure}. */
public enum StartStatus {
  OK,
  /**
   * The host refuses the VM or the configuration; Envoy then applies the plugin's fail strategy.
   */
  FAILED;

  /** {@link #OK} if {@code ok}, else {@link #FAILED}. */
  public static StartStatus of(boolean ok) {
    return ok ? OK : FAILED;
  }
}
