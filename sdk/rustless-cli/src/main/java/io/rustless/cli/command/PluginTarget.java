package io.rustless.cli.command;

import io.rustless.cli.RustlessCli;
import io.rustless.cli.UsageException;
import io.rustless.cli.project.Extension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What run, serve and push act on: an extension (by name, or its folder) with its built module, or
 * a {@code .wasm} file on its own.
 */
record PluginTarget(Path wasm, Optional<Extension> extension) {

  static PluginTarget resolve(String arg, RustlessCli cli) {
    Path asPath = Path.of(arg);
    if (arg.endsWith(".wasm")) {
      if (!Files.isRegularFile(asPath)) {
        throw new UsageException(arg + " does not exist");
      }
      return new PluginTarget(asPath, Optional.empty());
    }
    Extension e;
    if (arg.contains("/") && Files.isRegularFile(asPath.resolve("pom.xml"))) {
      Path dir = asPath.toAbsolutePath().normalize();
      e = new Extension(dir.getFileName().toString(), dir);
    } else {
      e = cli.workspace().extension(arg);
    }
    if (!Files.isRegularFile(e.wasm())) {
      throw new UsageException(
          e.wasm() + " does not exist: build it first with 'rustless build " + e.name() + "'");
    }
    return new PluginTarget(e.wasm(), Optional.of(e));
  }

  String name() {
    return extension.map(Extension::name).orElse(wasm.getFileName().toString());
  }
}
