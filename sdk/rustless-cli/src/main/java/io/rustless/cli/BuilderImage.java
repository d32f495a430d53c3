package io.rustless.cli;

import java.util.List;

/**
 * The contract between the operator's build Job and the builder image ({@code
 * docker/builder.Dockerfile}): the image, where credentials are mounted, and the command lines. The
 * operator can build its Job from these instead of repeating the strings.
 */
public final class BuilderImage {
  /** The image the operator runs unless told otherwise. */
  public static final String DEFAULT_IMAGE = "ghcr.io/rustless/builder:0.1.0";

  /** DOCKER_CONFIG in the Job: a directory holding the push secret's config.json. */
  public static final String DOCKER_CONFIG_DIR = "/var/run/rustless/docker";

  /** Where Kubernetes reads the termination message from. */
  public static final String TERMINATION_LOG = "/dev/termination-log";

  private BuilderImage() {}

  /** The Job's arguments (after the entrypoint) to publish a catalogue extension. */
  public static List<String> publishExtension(String extension, String image) {
    return List.of(
        "publish",
        "--extension",
        extension,
        "--offline",
        "--image",
        image,
        "--termination-log",
        TERMINATION_LOG);
  }

  /** The Job's arguments to publish the extension at {@code path} of a git revision. */
  public static List<String> publishGit(
      String repository, String revision, String path, String image) {
    return List.of(
        "publish",
        "--git",
        repository,
        "--revision",
        revision,
        "--path",
        path,
        "--offline",
        "--image",
        image,
        "--termination-log",
        TERMINATION_LOG);
  }
}
