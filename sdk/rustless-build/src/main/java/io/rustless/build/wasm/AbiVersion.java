package io.rustless.build.wasm;

/** The proxy-wasm ABI versions a Rustless module can declare, with their marker exports. */
public enum AbiVersion {
  /**
   * Higress's extended ABI (what Higress's own SDKs export): 0.2.1 plus Redis and other Higress
   * host functions, and a header callback's STOP_ITERATION is honoured instead of being turned into
   * STOP_ALL_ITERATION_AND_WATERMARK. Only Higress's Envoy loads it.
   */
  V0_2_100("0.2.100", "proxy_abi_version_0_2_100"),
  /** The upstream ABI that plain Envoy and Istio load. */
  V0_2_1("0.2.1", "proxy_abi_version_0_2_1");

  private final String version;
  private final String marker;

  AbiVersion(String version, String marker) {
    this.version = version;
    this.marker = marker;
  }

  public String version() {
    return version;
  }

  /** The name of the marker export. */
  public String marker() {
    return marker;
  }

  /** The ABI for {@code "0.2.100"} or {@code "0.2.1"}. */
  public static AbiVersion parse(String s) {
    for (AbiVersion v : values()) {
      if (v.version.equals(s)) {
        return v;
      }
    }
    throw new IllegalArgumentException(
        "unknown proxy-wasm ABI version '" + s + "' (use 0.2.100 for Higress, 0.2.1 for Envoy)");
  }
}
