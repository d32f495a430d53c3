package io.rustless.operator.build;

import java.util.List;

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

  /** An extension in a git repository. {@code path} is empty for the repository root. */
  record Git(String repository, String revision, String path) implements SourceRef {
    public Git {
      path = path == null ? "" : path.replaceAll("^/+|/+$", "");
    }

    @Override
    public String canonical() {
      return "git:" + repository + "#" + revision + ":" + path;
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
          "--git", repository, "--revision", revision, "--path", path.isEmpty() ? "." : path);
    }
  }
}
