package io.rustless.operator.customresource;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What the operator observed and did. Written only by the operator. */
public class RustlessWasmPluginSourceStatus {

  @JsonPropertyDescription("The spec generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "ConfigValid, Built, Published and Ready; Reconciling while work is in progress or a retry is"
          + " pending, Stalled when it cannot go on without a change (kstatus conventions).")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription(
      "Build key of the current spec: source, extension, SDK, builder image and target repository.")
  private String buildKey;

  @JsonPropertyDescription("Manifest digest built for the current build key, once built.")
  private String digest;

  @JsonPropertyDescription("Digest of the last successful build: the one the WasmPlugin serves.")
  private String lastGoodDigest;

  @JsonPropertyDescription("Image reference (repository@digest) of the last successful build.")
  private String lastGoodImage;

  @JsonPropertyDescription("Build key of the last successful build.")
  private String lastGoodBuildKey;

  @JsonPropertyDescription("The Higress WasmPlugin this source publishes.")
  private WasmPluginReference wasmPlugin;

  @JsonPropertyDescription("The build Job running now, if any.")
  private String currentBuildJob;

  @JsonPropertyDescription("The last build Job that finished.")
  private BuildRecord lastBuild;

  @JsonPropertyDescription("The commit the git revision resolved to (git sources).")
  private String resolvedCommit;

  @JsonPropertyDescription(
      "Value of the rustless.io/requested-at annotation the operator last acted on.")
  private String lastHandledReconcileAt;

  public static RustlessWasmPluginSourceStatus copyOf(RustlessWasmPluginSourceStatus s) {
    var c = new RustlessWasmPluginSourceStatus();
    if (s == null) {
      return c;
    }
    c.observedGeneration = s.observedGeneration;
    c.conditions = new ArrayList<>();
    if (s.conditions != null) {
      s.conditions.forEach(x -> c.conditions.add(Conditions.copy(x)));
    }
    c.buildKey = s.buildKey;
    c.digest = s.digest;
    c.lastGoodDigest = s.lastGoodDigest;
    c.lastGoodImage = s.lastGoodImage;
    c.lastGoodBuildKey = s.lastGoodBuildKey;
    c.wasmPlugin = s.wasmPlugin;
    c.currentBuildJob = s.currentBuildJob;
    c.lastBuild = s.lastBuild;
    c.resolvedCommit = s.resolvedCommit;
    c.lastHandledReconcileAt = s.lastHandledReconcileAt;
    return c;
  }

  public Optional<Condition> condition(String type) {
    return conditions == null
        ? Optional.empty()
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public String getBuildKey() {
    return buildKey;
  }

  public void setBuildKey(String buildKey) {
    this.buildKey = buildKey;
  }

  public String getDigest() {
    return digest;
  }

  public void setDigest(String digest) {
    this.digest = digest;
  }

  public String getLastGoodDigest() {
    return lastGoodDigest;
  }

  public void setLastGoodDigest(String lastGoodDigest) {
    this.lastGoodDigest = lastGoodDigest;
  }

  public String getLastGoodImage() {
    return lastGoodImage;
  }

  public void setLastGoodImage(String lastGoodImage) {
    this.lastGoodImage = lastGoodImage;
  }

  public String getLastGoodBuildKey() {
    return lastGoodBuildKey;
  }

  public void setLastGoodBuildKey(String lastGoodBuildKey) {
    this.lastGoodBuildKey = lastGoodBuildKey;
  }

  public WasmPluginReference getWasmPlugin() {
    return wasmPlugin;
  }

  public void setWasmPlugin(WasmPluginReference wasmPlugin) {
    this.wasmPlugin = wasmPlugin;
  }

  public String getCurrentBuildJob() {
    return currentBuildJob;
  }

  public void setCurrentBuildJob(String currentBuildJob) {
    this.currentBuildJob = currentBuildJob;
  }

  public BuildRecord getLastBuild() {
    return lastBuild;
  }

  public void setLastBuild(BuildRecord lastBuild) {
    this.lastBuild = lastBuild;
  }

  public String getResolvedCommit() {
    return resolvedCommit;
  }

  public void setResolvedCommit(String resolvedCommit) {
    this.resolvedCommit = resolvedCommit;
  }

  public String getLastHandledReconcileAt() {
    return lastHandledReconcileAt;
  }

  public void setLastHandledReconcileAt(String lastHandledReconcileAt) {
    this.lastHandledReconcileAt = lastHandledReconcileAt;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RustlessWasmPluginSourceStatus other
        && Objects.equals(observedGeneration, other.observedGeneration)
        && Objects.equals(conditions, other.conditions)
        && Objects.equals(buildKey, other.buildKey)
        && Objects.equals(digest, other.digest)
        && Objects.equals(lastGoodDigest, other.lastGoodDigest)
        && Objects.equals(lastGoodImage, other.lastGoodImage)
        && Objects.equals(lastGoodBuildKey, other.lastGoodBuildKey)
        && Objects.equals(wasmPlugin, other.wasmPlugin)
        && Objects.equals(currentBuildJob, other.currentBuildJob)
        && Objects.equals(lastBuild, other.lastBuild)
        && Objects.equals(resolvedCommit, other.resolvedCommit)
        && Objects.equals(lastHandledReconcileAt, other.lastHandledReconcileAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        observedGeneration,
        conditions,
        buildKey,
        digest,
        lastGoodDigest,
        lastGoodImage,
        lastGoodBuildKey,
        wasmPlugin,
        currentBuildJob,
        lastBuild,
        resolvedCommit,
        lastHandledReconcileAt);
  }
}
