package io.rustless.operator.customresource;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.Objects;

/** How the build Job runs. Every field is optional; the operator fills in defaults. */
public class BuildSettings {

  @JsonPropertyDescription(
      "Builder image (JDK, Maven, the Rustless repo and the rustless CLI). Default: the"
          + " operator's configured builder image; another one must be in the operator's"
          + " allowedBuilderImages.")
  private String builderImage;

  @Min(1) @JsonPropertyDescription("Build deadline in seconds (Job activeDeadlineSeconds). Default 1800.")
  private Long timeoutSeconds;

  @JsonPropertyDescription("Resources of the build container. Default: 500m CPU, 1Gi/2Gi memory.")
  private ResourceRequirements resources;

  @Min(0) @JsonPropertyDescription("Succeeded build Jobs to keep. Default 1.")
  private Integer successfulBuildsHistoryLimit;

  @Min(0) @JsonPropertyDescription("Failed build Jobs to keep. Default 3.")
  private Integer failedBuildsHistoryLimit;

  @Min(0) @JsonPropertyDescription(
      "Seconds a finished build Job (and its pod's log) is kept once the operator has recorded its"
          + " result; the operator deletes it then (never before the result is recorded). Default"
          + " 86400 (one day).")
  private Integer ttlSecondsAfterFinished;

  public String getBuilderImage() {
    return builderImage;
  }

  public void setBuilderImage(String builderImage) {
    this.builderImage = builderImage;
  }

  public Long getTimeoutSeconds() {
    return timeoutSeconds;
  }

  public void setTimeoutSeconds(Long timeoutSeconds) {
    this.timeoutSeconds = timeoutSeconds;
  }

  public ResourceRequirements getResources() {
    return resources;
  }

  public void setResources(ResourceRequirements resources) {
    this.resources = resources;
  }

  public Integer getSuccessfulBuildsHistoryLimit() {
    return successfulBuildsHistoryLimit;
  }

  public void setSuccessfulBuildsHistoryLimit(Integer successfulBuildsHistoryLimit) {
    this.successfulBuildsHistoryLimit = successfulBuildsHistoryLimit;
  }

  public Integer getFailedBuildsHistoryLimit() {
    return failedBuildsHistoryLimit;
  }

  public void setFailedBuildsHistoryLimit(Integer failedBuildsHistoryLimit) {
    this.failedBuildsHistoryLimit = failedBuildsHistoryLimit;
  }

  public Integer getTtlSecondsAfterFinished() {
    return ttlSecondsAfterFinished;
  }

  public void setTtlSecondsAfterFinished(Integer ttlSecondsAfterFinished) {
    this.ttlSecondsAfterFinished = ttlSecondsAfterFinished;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BuildSettings other
        && Objects.equals(builderImage, other.builderImage)
        && Objects.equals(timeoutSeconds, other.timeoutSeconds)
        && Objects.equals(resources, other.resources)
        && Objects.equals(successfulBuildsHistoryLimit, other.successfulBuildsHistoryLimit)
        && Objects.equals(failedBuildsHistoryLimit, other.failedBuildsHistoryLimit)
        && Objects.equals(ttlSecondsAfterFinished, other.ttlSecondsAfterFinished);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        builderImage,
        timeoutSeconds,
        resources,
        successfulBuildsHistoryLimit,
        failedBuildsHistoryLimit,
        ttlSecondsAfterFinished);
  }
}
