package io.rustless.operator.build;

import java.util.List;
import java.util.Optional;

/** What to build: an extension of the builder image's catalogue, or an extension in git. */
public sealed interface SourceRef {

  /** Canonical text for the build key. */
  String canonical();

  /** Start of the image tag: the extension name or the last path segment. */
  String tagStem();

  /** The {@code rustless publish} arguments that select the source. */
  List<String> publishArgs();

  /** An extension the builder image carries, built by name. */
  record Extension(String name) implements SourceRef {
    @Override
    public String canonical() {
      return "extension:" + name;
    }

    @Override
    public String tagStem() {
      return name;
    }

    @Override
    public List<String> publishArgs() {
      return List.of("--extension", name);
    }
  }

  /**
   * An extension in a git repository. {@code path} is empty for the repository root; {@code commit}
   * is what {@code revision} resolved to (empty until resolved); {@code secretName} names the
   * basic-auth Secret for a private repository.
   */
  record Git(
      String repository,
      String revision,
      String path,
      Optional<String> secretName,
      Optional<String> commit)
      implements SourceRef {
    public Git {
      path = path == null ? "" : path.replaceAll("^/+|/+$", "");
      secretName = secretName == null ? Optional.empty() : secretName;
      commit = commit == null ? Optional.empty() : commit;
    }

    public Git(String repository, String revision, String path) {
      this(repository, revision, path, Optional.empty(), Optional.empty());
    }

    /** The same source at a resolved commit. */
    public Git at(String resolvedCommit) {
      return new Git(repository, revision, path, secretName, Optional.of(resolvedCommit));
    }

    /** The commit if resolved, else the revision as written. */
    public String buildRevision() {
      return commit.orElse(revision);
    }

    /**
     * Keyed by the commit, not the branch name: a new commit on the branch gives a new key (a
     * rebuild), and naming the same commit by branch or by id gives the same key.
     */
    @Override
    public String canonical() {
      return "git:" + repository + "#" + buildRevision() + ":" + path;
    }

    @Override
    public String tagStem() {
      String from =
          path.isEmpty() ? repository.replaceAll("/+$", "").replaceAll("\\.git$", "") : path;
      int slash = Math.max(from.lastIndexOf('/'), from.lastIndexOf(':'));
      return from.substring(slash + 1);
    }

    @Override
    public List<String> publishArgs() {
      return List.of(
          "--git",
          repository,
          "--revision",
          buildRevision(),
          "--path",
          path.isEmpty() ? "." : path);
    }
  }
}
