package io.rustless.operator.customresource;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** A Rustless extension in a git repository. */
public class GitSource {

  @Required
  @JsonPropertyDescription("Clone URL of the repository.")
  private String repository;

  @Required
  @JsonPropertyDescription(
      "Commit, tag or branch to build. A commit gives a reproducible build key; a branch is "
          + "resolved by the builder at build time.")
  private String revision;

  @JsonPropertyDescription("Folder of the extension inside the repository (default: the root).")
  private String path;

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

  @Override
  public boolean equals(Object o) {
    return o instanceof GitSource other
        && Objects.equals(repository, other.repository)
        && Objects.equals(revision, other.revision)
        && Objects.equals(path, other.path);
  }

  @Override
  public int hashCode() {
    return Objects.hash(repository, revision, path);
  }
}
