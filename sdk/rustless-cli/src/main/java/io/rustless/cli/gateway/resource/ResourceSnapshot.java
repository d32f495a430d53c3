package io.rustless.cli.gateway.resource;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a resource source holds at one moment: the objects the gateway reads ({@code
 * WasmPlugin}, {@code Ingress}, {@code Secret}, {@code Service}) and what could not be read.
 *
 * @param problems one line each: a file that is not YAML, an object without a name; the objects of
 *     such a file are those of its last good version
 */
public record ResourceSnapshot(List<KubeObject> objects, List<String> problems) {
  public static final String HIGRESS_GROUP = "extensions.higress.io";
  public static final String NETWORKING_GROUP = "networking.k8s.io";

  public ResourceSnapshot {
    objects = List.copyOf(objects);
    problems = List.copyOf(problems);
  }

  public static ResourceSnapshot empty() {
    return new ResourceSnapshot(List.of(), List.of());
  }

  /** Every {@code extensions.higress.io} WasmPlugin, in any namespace. */
  public List<KubeObject> wasmPlugins() {
    return ofKind(HIGRESS_GROUP, Kinds.WASM_PLUGIN);
  }

  /** Every {@code networking.k8s.io} Ingress. */
  public List<KubeObject> ingresses() {
    return ofKind(NETWORKING_GROUP, Kinds.INGRESS);
  }

  public List<KubeObject> services() {
    return ofKind("", Kinds.SERVICE);
  }

  public Optional<KubeObject> secret(String namespace, String name) {
    return find("", Kinds.SECRET, namespace, name);
  }

  public Optional<KubeObject> service(String namespace, String name) {
    return find("", Kinds.SERVICE, namespace, name);
  }

  private List<KubeObject> ofKind(String group, String kind) {
    return objects.stream().filter(o -> o.is(group, kind)).toList();
  }

  private Optional<KubeObject> find(String group, String kind, String namespace, String name) {
    Objects.requireNonNull(namespace);
    Objects.requireNonNull(name);
    return objects.stream()
        .filter(o -> o.is(group, kind) && o.namespace().equals(namespace) && o.name().equals(name))
        .findFirst();
  }

  /** The kinds the gateway reads. */
  public static final class Kinds {
    public static final String WASM_PLUGIN = "WasmPlugin";
    public static final String INGRESS = "Ingress";
    public static final String SECRET = "Secret";
    public static final String SERVICE = "Service";

    private Kinds() {}

    /** True if {@code o} is one of the kinds the gateway reads (any version). */
    public static boolean read(KubeObject o) {
      return o.is(HIGRESS_GROUP, WASM_PLUGIN)
          || o.is(NETWORKING_GROUP, INGRESS)
          || o.is("", SECRET)
          || o.is("", SERVICE);
    }
  }
}
