package io.rustless.operator.customresource;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** A Rustless extension in a git repository. */
public class GitSource {

  @Required
  @JsonPropertyDescription(
      "Clone URL of the repository (http or https, without credentials: use secretRef).")
  private String repository;

  @Required
  @JsonPropertyDescription(
      "Commit, tag or branch to build. A branch or tag is resolved to a commit by the operator and"
          + " checked again every interval; the commit is shown in status.resolvedCommit.")
  private String revision;

  @JsonPropertyDescription("Folder of the extension inside the repository (default: the root).")
  private String path;

  @JsonPropertyDescription(
      "Secret of type kubernetes.io/basic-auth (keys username and password, e.g. a token) in this"
          + " namespace, for a private repository. Mounted into the build pod; never copied into"
          + " status or arguments.")
  private SecretReference secretRef;

  @Pattern("^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$") @JsonPropertyDescription(
      "How often a branch or tag is resolved again, e.g. 5m or 1h30m. Default: the operator's"
          + " (5m).")
  private String interval;

  public GitSource() {}

  public GitSource(String repository, String revision, String path) {
    this.repository = repository;
    this.revision = revision;
    this.path = path;
  }

  public String getRepository() {
    return repository;
  }

  public void setRepository(String repository) {
    this.repository = repository;
  }

  public String getRevision() {
    return revision;
  }

  public void setRevision(String revision) {
    this.revision = revision;
  }

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }

  public SecretReference getSecretRef() {
    return secretRef;
  }

  public void setSecretRef(SecretReference secretRef) {
    this.secretRef = secretRef;
  }

  public String getInterval() {
    return interval;
  }

  public void setInterval(String interval) {
    this.interval = interval;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GitSource other
        && Objects.equals(repository, other.repository)
        && Objects.equals(revision, other.revision)
        && Objects.equals(path, other.path)
        && Objects.equals(secretRef, other.secretRef)
        && Objects.equals(interval, other.interval);
  }

  @Override
  public int hashCode() {
    return Objects.hash(repository, revision, path, secretRef, interval);
  }
}
