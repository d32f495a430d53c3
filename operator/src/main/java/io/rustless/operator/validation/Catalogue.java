package io.rustless.operator.validation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The extensions the builder image can build by name, with their config schemas. The operator jar
 * carries {@code rustless/catalogue/<name>/spec.yaml} for every extension of the repository ({@link
 * #classpath()}); tests use {@link #directory(Path)} or {@link #of(Map)}.
 */
public final class Catalogue {

  /** The classpath folder the build copies {@code extensions/*}{@code /spec.yaml} into. */
  public static final String CLASSPATH_ROOT = "rustless/catalogue/";

  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  private final Function<String, Optional<String>> loader;
  private final Map<String, Optional<ExtensionSchema>> cache = new ConcurrentHashMap<>();

  private Catalogue(Function<String, Optional<String>> loader) {
    this.loader = loader;
  }

  /** Reads {@code rustless/catalogue/<name>/spec.yaml} from the operator's class loader. */
  public static Catalogue classpath() {
    ClassLoader cl = Catalogue.class.getClassLoader();
    return new Catalogue(
        name -> {
          try (InputStream in = cl.getResourceAsStream(CLASSPATH_ROOT + name + "/spec.yaml")) {
            return in == null
                ? Optional.empty()
                : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /** Reads {@code <dir>/<name>/spec.yaml}. */
  public static Catalogue directory(Path dir) {
    return new Catalogue(
        name -> {
          Path file = dir.resolve(name).resolve("spec.yaml");
          if (!Files.isRegularFile(file)) {
            return Optional.empty();
          }
          try {
            return Optional.of(Files.readString(file));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /** A fixed catalogue: extension name to spec.yaml text. */
  public static Catalogue of(Map<String, String> specYamlByName) {
    var copy = Map.copyOf(specYamlByName);
    return new Catalogue(name -> Optional.ofNullable(copy.get(name)));
  }

  /**
   * The extension's schemas, or empty when the catalogue has no such extension. A malformed
   * spec.yaml throws {@link CatalogueException}.
   */
  public Optional<ExtensionSchema> find(String extension) {
    if (extension == null || !NAME.matcher(extension).matches()) {
      return Optional.empty();
    }
    return cache.computeIfAbsent(
        extension, name -> loader.apply(name).map(yaml -> ExtensionSchema.parse(name, yaml)));
  }
}
