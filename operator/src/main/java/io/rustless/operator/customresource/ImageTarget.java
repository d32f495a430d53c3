package io.rustless.operator.customresource;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** Where the build pushes the plugin image. */
public class ImageTarget {

  @Required
  @JsonPropertyDescription(
      "OCI repository without tag or digest, e.g. registry.example.com/plugins/say-hello.")
  private String repository;

  @Required
  @JsonPropertyDescription(
      "Secret of type kubernetes.io/dockerconfigjson, in this namespace, used by the build Job to"
          + " push.")
  private String pushSecret;

  public ImageTarget() {}

  public ImageTarget(String repository, String pushSecret) {
    this.repository = repository;
    this.pushSecret = pushSecret;
  }

  public String getRepository() {
    return repository;
  }

  public void setRepository(String repository) {
    this.repository = repository;
  }

  public String getPushSecret() {
    return pushSecret;
  }

  public void setPushSecret(String pushSecret) {
    this.pushSecret = pushSecret;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageTarget other
        && Objects.equals(repository, other.repository)
        && Objects.equals(pushSecret, other.pushSecret);
  }

  @Override
  public int hashCode() {
    return Objects.hash(repository, pushSecret);
  }
}
