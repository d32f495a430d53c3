package io.rustless.operator.customresource;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** Either a name from the builder image's catalogue or a git source; exactly one is set. */
@ValidationRule(
    value = "has(self.extension) != has(self.git)",
    message = "set exactly one of extension or git")
public class ExtensionSource {

  @JsonPropertyDescription(
      "Name of an extension in the builder image's catalogue (a folder under extensions/).")
  private String extension;

  @JsonPropertyDescription("A git repository holding a Rustless extension.")
  private GitSource git;

  public ExtensionSource() {}

  public ExtensionSource(String extension, GitSource git) {
    this.extension = extension;
    this.git = git;
  }

  public String getExtension() {
    return extension;
  }

  public void setExtension(String extension) {
    this.extension = extension;
  }

  public GitSource getGit() {
    return git;
  }

  public void setGit(GitSource git) {
    this.git = git;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExtensionSource other
        && Objects.equals(extension, other.extension)
        && Objects.equals(git, other.git);
  }

  @Override
  public int hashCode() {
    return Objects.hash(extension, git);
  }
}
