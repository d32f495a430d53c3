package io.rustless.cli.project;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One extension folder: {@code pom.xml}, sources, {@code README.md}, {@code spec.yaml}, and after a
 * build {@code target/plugin.wasm}.
 *
 * @param name the folder's name, which is also the plugin's name
 * @param dir the folder
 */
public record Extension(String name, Path dir) {

  public Path pom() {
    return dir.resolve("pom.xml");
  }

  /** Where {@code rustless:wasm} writes the module. */
  public Path wasm() {
    return dir.resolve("target").resolve("plugin.wasm");
  }

  public Optional<Path> spec() {
    return existing(dir.resolve("spec.yaml"));
  }

  public Optional<Path> readme() {
    return existing(dir.resolve("README.md"));
  }

  /** The configuration {@code run} and {@code serve} use when none is given. */
  public Optional<Path> demoConfig() {
    return existing(dir.resolve("src/demo/config.json"));
  }

  /** The sample requests {@code run} sends when none are given. */
  public Optional<Path> demoRequests() {
    return existing(dir.resolve("src/demo/requests.txt"));
  }

  private static Optional<Path> existing(Path p) {
    return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
  }
}
