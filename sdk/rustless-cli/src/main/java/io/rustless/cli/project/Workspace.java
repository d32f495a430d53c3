package io.rustless.cli.project;

import io.rustless.cli.UsageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** A Rustless checkout: the directory holding {@code pom.xml} and {@code extensions/}. */
public final class Workspace {
  private final Path root;

  private Workspace(Path root) {
    this.root = root;
  }

  /** The checkout at or above {@code start}, if any. */
  public static Optional<Workspace> find(Path start) {
    for (Path p = start.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
      if (isRoot(p)) {
        return Optional.of(new Workspace(p));
      }
    }
    return Optional.empty();
  }

  /**
   * The checkout at {@code repo} if given (it must be one), else the one at or above the current
   * directory.
   */
  public static Workspace locate(Optional<Path> repo) {
    if (repo.isPresent()) {
      Path p = repo.get().toAbsolutePath().normalize();
      if (!isRoot(p)) {
        throw new UsageException(
            p + " is not a Rustless checkout (it needs pom.xml and an extensions/ folder)");
      }
      return new Workspace(p);
    }
    Path cwd = Path.of("").toAbsolutePath();
    return find(cwd)
        .orElseThrow(
            () ->
                new UsageException(
                    "not inside a Rustless checkout (no folder with pom.xml and extensions/ at or"
                        + " above "
                        + cwd
                        + "): cd into one or pass --repo"));
  }

  private static boolean isRoot(Path p) {
    return Files.isDirectory(p.resolve("extensions")) && Files.isRegularFile(p.resolve("pom.xml"));
  }

  public Path root() {
    return root;
  }

  public Path extensionsDir() {
    return root.resolve("extensions");
  }

  /** Every extension (a folder under extensions/ with a pom.xml), by name. */
  public List<Extension> extensions() {
    try (Stream<Path> s = Files.list(extensionsDir())) {
      return s.filter(p -> Files.isRegularFile(p.resolve("pom.xml")))
          .sorted()
          .map(p -> new Extension(p.getFileName().toString(), p))
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The extension called {@code name}, or a usage error that lists the known ones. */
  public Extension extension(String name) {
    for (Extension e : extensions()) {
      if (e.name().equals(name)) {
        return e;
      }
    }
    List<String> known = extensions().stream().map(Extension::name).toList();
    throw new UsageException(
        "unknown extension '"
            + name
            + "' (known: "
            + (known.isEmpty() ? "none" : String.join(", ", known))
            + ")");
  }

  /** The module path Maven's {@code -pl} takes for {@code e}, relative to the root. */
  public String modulePath(Extension e) {
    return root.relativize(e.dir().toAbsolutePath().normalize()).toString().replace('\\', '/');
  }
}
