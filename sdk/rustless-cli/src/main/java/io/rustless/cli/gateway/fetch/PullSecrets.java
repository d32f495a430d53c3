package io.rustless.cli.gateway.fetch;

import io.rustless.cli.ToolException;
import io.rustless.cli.gateway.resource.KubeObject;
import io.rustless.cli.gateway.resource.ResourceSnapshot;
import io.rustless.cli.oci.DockerConfig;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * A WasmPlugin's {@code imagePullSecret}, found as Istio finds it ({@code
 * pilot/pkg/credentials/kube/secrets.go GetDockerCredential}, lines 196–208): a Secret in the
 * WasmPlugin's namespace, of type {@code kubernetes.io/dockerconfigjson}, with its docker config
 * under {@code .dockerconfigjson}. In a file, {@code stringData} is accepted too (the API server
 * turns it into {@code data}).
 */
final class PullSecrets {
  static final String TYPE = "kubernetes.io/dockerconfigjson";
  static final String KEY = ".dockerconfigjson";

  private PullSecrets() {}

  /**
   * The docker config of secret {@code namespace/name}; a {@link FetchException} saying why not.
   */
  static DockerConfig find(ResourceSnapshot resources, String namespace, String name) {
    String what = "secret " + namespace + "/" + name;
    KubeObject secret =
        resources
            .secret(namespace, name)
            .orElseThrow(() -> new FetchException(what + " not found"));
    Object type = secret.body().get("type");
    if (!TYPE.equals(type)) {
      throw new FetchException(
          "type of " + what + " is " + (type == null ? "not set" : type) + ", not " + TYPE);
    }
    byte[] json = null;
    if (secret.body().get("data") instanceof Map<?, ?> data
        && data.get(KEY) instanceof String b64) {
      try {
        json = Base64.getDecoder().decode(b64.strip());
      } catch (IllegalArgumentException e) {
        throw new FetchException(what + ": data." + KEY + " is not base64");
      }
    } else if (secret.body().get("stringData") instanceof Map<?, ?> sd
        && sd.get(KEY) instanceof String text) {
      json = text.getBytes(StandardCharsets.UTF_8);
    }
    if (json == null) {
      throw new FetchException("cannot find docker config at " + what + " (no " + KEY + ")");
    }
    try {
      return DockerConfig.parse(json, what);
    } catch (ToolException e) {
      throw new FetchException(e.getMessage(), e);
    }
  }
}
