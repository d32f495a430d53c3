package io.rustless.cli.gateway.resource;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One Kubernetes object as the gateway reads it, from a YAML file or from the API: its identity and
 * its body as plain JSON-like values ({@code Map}, {@code List}, {@code String}, {@code Boolean},
 * {@code Number}, {@code null}), deeply immutable.
 *
 * @param origin where it came from, for messages ({@code dir/plugins.yaml, document 2}, {@code
 *     Kubernetes API})
 */
public record KubeObject(
    String apiVersion,
    String kind,
    String namespace,
    String name,
    Optional<Instant> creationTimestamp,
    String resourceVersion,
    Map<String, Object> body,
    String origin) {

  /** The namespace of an object that names none, as {@code kubectl apply} would put it. */
  public static final String DEFAULT_NAMESPACE = "default";

  public KubeObject {
    Objects.requireNonNull(apiVersion);
    Objects.requireNonNull(kind);
    Objects.requireNonNull(namespace);
    Objects.requireNonNull(name);
    Objects.requireNonNull(creationTimestamp);
    Objects.requireNonNull(resourceVersion);
    body = freeze(body);
    Objects.requireNonNull(origin);
  }

  /**
   * Reads the identity of {@code body} (apiVersion, kind, metadata.name/namespace/…); a {@link
   * ResourceException} if it is not a Kubernetes object.
   */
  public static KubeObject of(Map<String, Object> body, String origin) {
    String apiVersion = requiredString(body, "apiVersion", origin);
    String kind = requiredString(body, "kind", origin);
    Object meta = body.get("metadata");
    if (!(meta instanceof Map<?, ?> metadata)) {
      throw new ResourceException(origin + ": " + kind + " has no metadata");
    }
    Object name = metadata.get("name");
    if (!(name instanceof String n) || n.isBlank()) {
      throw new ResourceException(origin + ": " + kind + " has no metadata.name");
    }
    Object ns = metadata.get("namespace");
    String namespace = ns instanceof String s && !s.isBlank() ? s : DEFAULT_NAMESPACE;
    Optional<Instant> created = Optional.empty();
    Object ts = metadata.get("creationTimestamp");
    if (ts instanceof String t && !t.isBlank()) {
      try {
        created = Optional.of(Instant.parse(t));
      } catch (DateTimeParseException e) {
        throw new ResourceException(
            origin
                + ": "
                + kind
                + " "
                + namespace
                + "/"
                + n
                + ": metadata.creationTimestamp '"
                + t
                + "' is not an RFC 3339 time");
      }
    }
    Object rv = metadata.get("resourceVersion");
    return new KubeObject(
        apiVersion, kind, namespace, n, created, rv == null ? "" : rv.toString(), body, origin);
  }

  private static String requiredString(Map<String, Object> body, String key, String origin) {
    Object v = body.get(key);
    if (!(v instanceof String s) || s.isBlank()) {
      throw new ResourceException(origin + ": not a Kubernetes object (no " + key + ")");
    }
    return s;
  }

  /** {@code namespace/name}. */
  public String key() {
    return namespace + "/" + name;
  }

  /** {@code WasmPlugin higress-system/say-hello}, for messages. */
  public String describe() {
    return kind + " " + key();
  }

  /** True if this is {@code kind} in API group {@code group} ("" for the core group). */
  public boolean is(String group, String kindName) {
    if (!kind.equals(kindName)) {
      return false;
    }
    int slash = apiVersion.indexOf('/');
    String g = slash < 0 ? "" : apiVersion.substring(0, slash);
    return g.equals(group);
  }

  /** {@code metadata}, empty if absent. */
  public Map<String, Object> metadata() {
    return map(body.get("metadata"));
  }

  /** {@code metadata.annotations}, empty if absent. */
  public Map<String, Object> annotations() {
    return map(metadata().get("annotations"));
  }

  /** {@code spec}, empty if absent. */
  public Map<String, Object> spec() {
    return map(body.get("spec"));
  }

  /** True if the body has a {@code spec} that is not an object. */
  public boolean hasMalformedSpec() {
    Object spec = body.get("spec");
    return spec != null && !(spec instanceof Map);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  /** A deeply unmodifiable copy; map keys become strings (YAML allows others, JSON does not). */
  static Map<String, Object> freeze(Map<?, ?> in) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : in.entrySet()) {
      out.put(String.valueOf(e.getKey()), freezeValue(e.getValue()));
    }
    return Collections.unmodifiableMap(out);
  }

  private static Object freezeValue(Object v) {
    if (v instanceof Map<?, ?> m) {
      return freeze(m);
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (Object item : l) {
        out.add(freezeValue(item));
      }
      return Collections.unmodifiableList(out);
    }
    return v;
  }
}
