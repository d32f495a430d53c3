package io.rustless.dev.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.AttributeSet;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

/**
 * fabric8's CRUD dispatcher (the mock server's in-memory store: objects keyed by their attributes,
 * resourceVersion, generation, status subresource, finalizers) with every change also handed to a
 * {@link WatchHub}, which serves watches with resourceVersion semantics over HTTP and websockets.
 * Writes are also made to do what the real API server does that the mock does not: a Secret's
 * {@code stringData} is merged into {@code data}.
 */
final class KubeStore extends KubernetesCrudDispatcher {
  private final WatchHub hub;

  KubeStore(WatchHub hub) {
    this.hub = Objects.requireNonNull(hub);
  }

  /** The mock's attribute extractor, to match watches as the store matches lists. */
  KubernetesAttributesExtractor extractor() {
    return (KubernetesAttributesExtractor) attributeExtractor;
  }

  /** The current JSON of the object at {@code path}, or null. */
  String current(String objectPath) {
    var response = handleGet(objectPath);
    if (response.code() != 200 || response.getBody() == null) {
      return null;
    }
    return new String(response.getBody().getBytes(), StandardCharsets.UTF_8);
  }

  // Called by the mock's handlers under its write lock, so events are published in order.
  @Override
  public void processEvent(
      String path,
      AttributeSet pathAttributes,
      AttributeSet oldAttributes,
      GenericKubernetesResource resource,
      String newState) {
    String before = oldAttributes == null ? null : map.get(oldAttributes);
    String after = newState == null ? null : normalise(newState);
    super.processEvent(path, pathAttributes, oldAttributes, resource, after);
    if (Objects.equals(before, after)) {
      return;
    }
    AttributeSet newAttributes = null;
    if (after != null) {
      newAttributes =
          resource != null && after.equals(newState)
              ? extractor().extract(resource)
              : extractor().fromResource(after);
      if (!newAttributes.containsKey(KubernetesAttributesExtractor.PLURAL)) {
        newAttributes = AttributeSet.merge(pathAttributes, newAttributes);
      }
    }
    if (after == null) {
      // The real API server gives a deletion its own resourceVersion; the mock does not.
      String rv = String.valueOf(requestResourceVersion());
      hub.publish(WatchHub.Type.DELETED, withResourceVersion(before, rv), rv, oldAttributes, null);
    } else if (before == null) {
      hub.publish(WatchHub.Type.ADDED, after, resourceVersion(after), null, newAttributes);
    } else {
      hub.publish(
          WatchHub.Type.MODIFIED, after, resourceVersion(after), oldAttributes, newAttributes);
    }
  }

  private static String resourceVersion(String json) {
    JsonNode n = Serialization.unmarshal(json, JsonNode.class);
    return n.path("metadata").path("resourceVersion").asText("0");
  }

  private static String withResourceVersion(String json, String rv) {
    ObjectNode n = (ObjectNode) Serialization.unmarshal(json, JsonNode.class);
    JsonNode meta = n.get("metadata");
    if (meta instanceof ObjectNode m) {
      m.put("resourceVersion", rv);
    }
    return Serialization.asJson(n);
  }

  /** What the API server does on every write and the mock does not. */
  private static String normalise(String json) {
    if (!json.contains("\"stringData\"")) {
      return json;
    }
    JsonNode n = Serialization.unmarshal(json, JsonNode.class);
    if (!(n instanceof ObjectNode o)
        || !"Secret".equals(o.path("kind").asText())
        || !"v1".equals(o.path("apiVersion").asText())
        || !(o.get("stringData") instanceof ObjectNode stringData)) {
      return json;
    }
    ObjectNode data = o.get("data") instanceof ObjectNode d ? d : o.putObject("data");
    for (Map.Entry<String, JsonNode> e : stringData.properties()) {
      data.put(
          e.getKey(),
          Base64.getEncoder()
              .encodeToString(e.getValue().asText().getBytes(StandardCharsets.UTF_8)));
    }
    o.remove("stringData");
    return Serialization.asJson(o);
  }
}
