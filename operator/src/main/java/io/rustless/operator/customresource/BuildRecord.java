package io.rustless.operator.customresource;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/**
 * A finished build Job, kept in status so that retries and backoff survive the Job's deletion
 * (history limits, ttlSecondsAfterFinished).
 */
public class BuildRecord {

  @JsonPropertyDescription("Job name.")
  private String job;

  @JsonPropertyDescription("Build key the Job built.")
  private String buildKey;

  @JsonPropertyDescription("Attempt number for this build key, from 1.")
  private Integer attempt;

  @JsonPropertyDescription("Spec generation that started the Job.")
  private Long generation;

  @JsonPropertyDescription("Succeeded or Failed.")
  private String result;

  @JsonPropertyDescription("When the operator saw the Job finish (RFC 3339).")
  private String finishedAt;

  public BuildRecord() {}

  public BuildRecord(
      String job,
      String buildKey,
      Integer attempt,
      Long generation,
      String result,
      String finishedAt) {
    this.job = job;
    this.buildKey = buildKey;
    this.attempt = attempt;
    this.generation = generation;
    this.result = result;
    this.finishedAt = finishedAt;
  }

  public String getJob() {
    return job;
  }

  public void setJob(String job) {
    this.job = job;
  }

  public String getBuildKey() {
    return buildKey;
  }

  public void setBuildKey(String buildKey) {
    this.buildKey = buildKey;
  }

  public Integer getAttempt() {
    return attempt;
  }

  public void setAttempt(Integer attempt) {
    this.attempt = attempt;
  }

  public Long getGeneration() {
    return generation;
  }

  public void setGeneration(Long generation) {
    this.generation = generation;
  }

  public String getResult() {
    return result;
  }

  public void setResult(String result) {
    this.result = result;
  }

  public String getFinishedAt() {
    return finishedAt;
  }

  public void setFinishedAt(String finishedAt) {
    this.finishedAt = finishedAt;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BuildRecord other
        && Objects.equals(job, other.job)
        && Objects.equals(buildKey, other.buildKey)
        && Objects.equals(attempt, other.attempt)
        && Objects.equals(generation, other.generation)
        && Objects.equals(result, other.result)
        && Objects.equals(finishedAt, other.finishedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(job, buildKey, attempt, generation, result, finishedAt);
  }
}
