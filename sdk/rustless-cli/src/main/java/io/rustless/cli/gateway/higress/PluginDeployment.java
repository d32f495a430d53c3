package io.rustless.cli.gateway.higress;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What Higress's controller makes of one WasmPlugin: the Istio WasmPlugin that the gateway's Envoy
 * then loads. Everything a gateway needs to fetch the module, configure it and place it in the
 * chain.
 *
 * @param namespace the WasmPlugin's namespace (the controller's)
 * @param name the WasmPlugin's name
 * @param url as written; no scheme means {@code oci://}
 * @param rootId {@code pluginName}, the root context id the module is started with
 * @param configuration the JSON the plugin's {@code proxy_on_configure} reads; empty when there is
 *     none (Istio sends none for an empty Struct)
 * @param resourceVersion changes with every change of the WasmPlugin (drives pull policy Always)
 * @param notes what the user should know about this translation (Higress quirks it reproduces)
 */
public record PluginDeployment(
    String namespace,
    String name,
    String url,
    String sha256,
    PullPolicy pullPolicy,
    String imagePullSecret,
    String rootId,
    PluginPhase phase,
    Optional<Integer> priority,
    FailStrategy failStrategy,
    List<WasmPluginSpec.EnvVar> env,
    String configuration,
    String resourceVersion,
    List<String> notes) {

  public PluginDeployment {
    Objects.requireNonNull(namespace);
    Objects.requireNonNull(name);
    Objects.requireNonNull(url);
    Objects.requireNonNull(sha256);
    Objects.requireNonNull(pullPolicy);
    Objects.requireNonNull(imagePullSecret);
    Objects.requireNonNull(rootId);
    Objects.requireNonNull(phase);
    Objects.requireNonNull(priority);
    Objects.requireNonNull(failStrategy);
    env = List.copyOf(env);
    Objects.requireNonNull(configuration);
    Objects.requireNonNull(resourceVersion);
    notes = List.copyOf(notes);
  }

  /** {@code namespace.name}: the filter's name in Envoy ({@code extensions.go} line 163). */
  public String resourceName() {
    return namespace + "." + name;
  }

  /** {@code namespace/name}. */
  public String key() {
    return namespace + "/" + name;
  }

  /**
   * True if {@code other} loads the same module the same way: only configuration, order or failure
   * policy differ (those apply without fetching the module again).
   */
  public boolean sameModule(PluginDeployment other) {
    return url.equals(other.url)
        && sha256.equals(other.sha256)
        && imagePullSecret.equals(other.imagePullSecret)
        && pullPolicy == other.pullPolicy;
  }
}
