package io.rustless.operator.higress;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The schema of {@code spec} in the cluster's WasmPlugin CRD, as installed by the Higress version
 * there. The API server prunes every field a structural schema does not declare, so a field our
 * WasmPlugin sets but this schema lacks (e.g. {@code matchRules[].service} on Higress 1.x) would
 * vanish silently; {@link #unsupportedFields} finds them before anything is written.
 */
public final class WasmPluginSchema {

  public static final String CRD_NAME = WasmPlugin.PLURAL + "." + WasmPlugin.GROUP;
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final String PRESERVE = "x-kubernetes-preserve-unknown-fields";

  private final JsonNode spec;

  private WasmPluginSchema(JsonNode spec) {
    this.spec = spec;
  }

  /** The schema of {@code spec} in the served {@code v1alpha1} version; empty if there is none. */
  public static Optional<WasmPluginSchema> from(CustomResourceDefinition crd) {
    if (crd == null || crd.getSpec() == null || crd.getSpec().getVersions() == null) {
      return Optional.empty();
    }
    return crd.getSpec().getVersions().stream()
        .filter(v -> WasmPlugin.VERSION.equals(v.getName()) && Boolean.TRUE.equals(v.getServed()))
        .findFirst()
        .filter(v -> v.getSchema() != null && v.getSchema().getOpenAPIV3Schema() != null)
        .map(v -> SERIALIZATION.convertValue(v.getSchema().getOpenAPIV3Schema(), JsonNode.class))
        .map(root -> new WasmPluginSchema(root.path("properties").path("spec")));
  }

  /** Paths below {@code spec} (e.g. {@code matchRules[0].service}) the API server would prune. */
  public List<String> unsupportedFields(WasmPluginSpec value) {
    var out = new ArrayList<String>();
    walk(SERIALIZATION.convertValue(value, JsonNode.class), spec, "", out);
    return out;
  }

  /** Whether the schema declares {@code spec.<field>} (a top-level field), for logs. */
  public boolean declares(String path) {
    JsonNode node = spec;
    for (String part : path.split("\\.")) {
      node = node.path("type").asText().equals("array") ? node.path("items") : node;
      node = node.path("properties").path(part);
      if (node.isMissingNode()) {
        return false;
      }
    }
    return true;
  }

  private static void walk(JsonNode value, JsonNode schema, String path, List<String> out) {
    if (value == null || value.isNull() || schema == null || schema.isMissingNode()) {
      return;
    }
    if (value.isObject()) {
      boolean preserve = schema.path(PRESERVE).asBoolean(false);
      JsonNode properties = schema.path("properties");
      JsonNode additional = schema.path("additionalProperties");
      for (Map.Entry<String, JsonNode> field : value.properties()) {
        String at = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
        JsonNode declared = properties.path(field.getKey());
        if (!declared.isMissingNode()) {
          walk(field.getValue(), declared, at, out);
        } else if (additional.isObject()) {
          walk(field.getValue(), additional, at, out);
        } else if (!preserve && !additional.asBoolean(false)) {
          out.add(at);
        }
      }
    } else if (value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        walk(value.get(i), schema.path("items"), path + "[" + i + "]", out);
      }
    }
  }
}
