package io.rustless.sdk.host;

/** Metric kinds, with their proxy-wasm ABI codes. */
public enum MetricType {
  COUNTER(0),
  GAUGE(1),
  HISTOGRAM(2);

  private final int code;

  MetricType(int code) {
    this.code = code;
  }

  /** The ABI code. */
  public int code() {
    return code;
  }
}
