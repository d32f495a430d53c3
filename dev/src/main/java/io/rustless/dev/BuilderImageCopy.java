package io.rustless.dev;

import io.rustless.kubelet.ProcessImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The builder image as this machine can stand in for it when podman cannot run it: the same
 * launcher ({@code docker/rustless-launcher.sh}, the image's {@code rustless} command), the same
 * clean sources as the image's {@code /opt/rustless/src} (what {@code docker/builder.Dockerfile}
 * copies: the root and module poms, {@code sdk/}, {@code extensions/}, without build output) and
 * the checkout's CLI jar in place of {@code /opt/rustless/rustless.jar}. Maven runs with this
 * machine's local repository (the image has its own, filled when it is built).
 */
final class BuilderImageCopy {

  private static final Set<String> SKIPPED = Set.of("target", ".git", "node_modules");

  private BuilderImageCopy() {}

  /** Copies the sources under {@code into} and describes the image for a process kubelet. */
  static ProcessImage prepare(String image, Path checkout, Path into) {
    Path launcher = checkout.resolve("docker/rustless-launcher.sh");
    Path jar = checkout.resolve("sdk/rustless-cli/target/rustless.jar");
    if (!Files.isRegularFile(launcher)) {
      throw new DevException(checkout + " is not a Rustless checkout: no " + launcher);
    }
    if (!Files.isRegularFile(jar)) {
      throw new DevException(
          jar
              + " is missing: build it with mvn -B -pl sdk/rustless-cli -am package -DskipTests"
              + " (./rustless does)");
    }
    Path src = into.resolve("src");
    try {
      deleteRecursively(src);
      Files.createDirectories(src);
      Files.copy(checkout.resolve("pom.xml"), src.resolve("pom.xml"));
      try (var modules = Files.list(checkout)) {
        for (Path m : (Iterable<Path>) modules::iterator) {
          Path pom = m.resolve("pom.xml");
          String name = m.getFileName().toString();
          if (!Files.isRegularFile(pom) || SKIPPED.contains(name)) {
            continue;
          }
          if (name.equals("sdk") || name.equals("extensions")) {
            copyTree(m, src.resolve(name));
          } else {
            Files.createDirectories(src.resolve(name));
            Files.copy(pom, src.resolve(name).resolve("pom.xml"));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the sources to " + src, e);
    }
    return new ProcessImage(
        image,
        Map.of("rustless", List.of("/bin/sh", launcher.toString())),
        Map.of("RUSTLESS_REPO", src.toString(), "RUSTLESS_JAR", jar.toString()));
  }

  private static void copyTree(Path from, Path to) throws IOException {
    Files.walkFileTree(
        from,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            if (!dir.equals(from) && SKIPPED.contains(dir.getFileName().toString())) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            Files.createDirectories(to.resolve(from.relativize(dir).toString()));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.copy(
                file,
                to.resolve(from.relativize(file).toString()),
                StandardCopyOption.REPLACE_EXISTING);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
