package io.rustless.extensions.demowasm;

import io.rustless.sdk.higress.config.ConfigReader;

/**
 * demo-wasm's configuration.
 *
 * @param test any text (logged; required, as in the anchor)
 * @param redis where the request counter lives
 * @param httpCall the service whose answer is put into the response
 */
public record DemoWasmConfig(String test, Redis redis, HttpCall httpCall) {

  /**
   * The Redis service.
   *
   * @param servicePort default 80 for a {@code .static} service, else 6379
   * @param timeoutMillis per-command timeout
   * @param database 0 unless set
   */
  public record Redis(
      String serviceName,
      int servicePort,
      String username,
      String password,
      int timeoutMillis,
      int database) {}

  /** The HTTP call made for every response (defaults: the anchor's httpbin.org call). */
  public record HttpCall(
      String serviceName, String domain, int port, String url, int timeoutMillis) {}

  public static DemoWasmConfig parse(ConfigReader c) {
    ConfigReader r = c.requireObject("redis");
    String service = r.requireString("service_name");
    if (service.isEmpty()) {
      throw r.error("service_name", "must not be empty");
    }
    Redis redis =
        new Redis(
            service,
            r.getInt("service_port", service.endsWith(".static") ? 80 : 6379, 1, 65535),
            r.getString("username", ""),
            r.getString("password", ""),
            r.getInt("timeout", 1000, 1, 600_000),
            r.getInt("database", 0, 0, 65535));
    HttpCall call =
        c.optObject("http_call")
            .map(
                h ->
                    new HttpCall(
                        h.getString("service_name", "httpbin"),
                        h.getString("domain", "httpbin.org"),
                        h.getInt("port", 80, 1, 65535),
                        h.getString("url", "http://httpbin.org/post"),
                        h.getInt("timeout", 5000, 1, 600_000)))
            .orElse(new HttpCall("httpbin", "httpbin.org", 80, "http://httpbin.org/post", 5000));
    return new DemoWasmConfig(c.requireString("test"), redis, call);
  }
}
