package io.rustless.kubelet;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link ProcessKubelet} runs in place of one container image: the image's name (pods asking
 * for another image stay Pending with {@code ErrImagePull}), the image's commands as local command
 * lines (a container's {@code command[0]} is looked up here, as a container runtime looks it up on
 * the image's {@code PATH}) and the image's environment ({@code ENV} lines), which the pod's own
 * env overrides. The process also inherits this JVM's environment ({@code PATH}, {@code JAVA_HOME},
 * {@code MAVEN_OPTS}…): the machine stands in for the image's file system.
 *
 * @param image the image reference this stands in for, e.g. {@code
 *     localhost/rustless/builder:0.1.0}
 * @param commands command name → the local command line that runs it
 * @param env the image's environment
 */
public record ProcessImage(
    String image, Map<String, List<String>> commands, Map<String, String> env) {

  public ProcessImage {
    Objects.requireNonNull(image, "image");
    commands = Map.copyOf(commands);
    env = Map.copyOf(env);
  }
}
