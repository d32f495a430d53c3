package io.rustless.operator.podman;

import io.rustless.kubelet.Podman;
import io.rustless.testservices.DebianRegistry;
import io.rustless.testservices.ProgramPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What tests that run containers need, and what happens when it is missing: outside CI they are
 * skipped with a message that says how to get it; in CI ({@code RUSTLESS_CONTAINER_TESTS=required},
 * which .ci/run sets) they fail, so that a missing image or a machine that refuses containers can
 * never pass as a green run.
 */
public final class ContainerTests {

  /** {@code required}: fail instead of skipping. */
  public static final String ENV = "RUSTLESS_CONTAINER_TESTS";

  /** The user {@link #registry()} requires, and its password. */
  public static final String REGISTRY_USER = "ci";

  public static final String REGISTRY_PASSWORD = "s3cret";

  private static final Map<String, Optional<String>> PROBED = new ConcurrentHashMap<>();

  private ContainerTests() {}

  public static boolean required() {
    return "required".equals(System.getenv(ENV));
  }

  /**
   * The builder image that docker/build-images.sh tags for this version (surefire passes it as
   * {@code rustless.builderImage}).
   */
  public static String builderImage() {
    return Optional.ofNullable(System.getProperty("rustless.builderImage"))
        .filter(s -> !s.isBlank())
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "system property rustless.builderImage is not set (operator/pom.xml sets it)"));
  }

  /**
   * The operator image that docker/build-images.sh tags for this version (surefire passes it as
   * {@code rustless.operatorImage}).
   */
  public static String operatorImage() {
    return Optional.ofNullable(System.getProperty("rustless.operatorImage"))
        .filter(s -> !s.isBlank())
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "system property rustless.operatorImage is not set (operator/pom.xml sets it)"));
  }

  /** podman, able to run {@code image} here; skips or fails the test otherwise. */
  public static Podman podmanRunning(String image) {
    Optional<Podman> podman = Podman.find();
    if (podman.isEmpty()) {
      unavailable("podman is not installed (apt-get install -y podman buildah runc)");
    }
    Optional<String> problem = PROBED.computeIfAbsent(image, i -> probe(podman.get(), i));
    problem.ifPresent(ContainerTests::unavailable);
    return podman.get();
  }

  /**
   * Debian's docker-registry on 127.0.0.1 requiring {@link #REGISTRY_USER}, for the images' pushes;
   * skips or fails the test when it or htpasswd (apache2-utils) is missing. Close it after.
   */
  public static DebianRegistry registry() {
    return DebianRegistry.builder()
        .htpasswd(REGISTRY_USER, REGISTRY_PASSWORD)
        .programs(ProgramPolicy.skipUnless(required(), ENV + "=required"))
        .start();
  }

  /** A file a build of this checkout makes; skips or fails the test when it is missing. */
  public static Path built(Path file, String howToMake) {
    if (!Files.isRegularFile(file)) {
      unavailable(file.toAbsolutePath().normalize() + " does not exist: " + howToMake);
    }
    return file;
  }

  private static Optional<String> probe(Podman podman, String image) {
    if (!podman.imageExists(image)) {
      return Optional.of(
          "the image "
              + image
              + " is not in the local container storage"
              + Podman.STORAGE_DRIVER.map(d -> " (driver " + d + ")").orElse("")
              + ": build it with docker/build-images.sh");
    }
    var args = new java.util.ArrayList<String>(List.of("run", "--rm"));
    args.addAll(podman.runOptions());
    args.addAll(List.of("--network", "host", "--entrypoint", "[\"true\"]", image));
    Podman.Result r = podman.exec(args, Duration.ofMinutes(2));
    return r.ok()
        ? Optional.empty()
        : Optional.of("podman cannot run a container of " + image + " here: " + r);
  }

  private static void unavailable(String why) {
    if (required()) {
      Assertions.fail(ENV + "=required, but " + why);
    }
    Assumptions.abort("skipped (" + ENV + " is not 'required'): " + why);
  }
}
