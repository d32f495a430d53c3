package io.rustless.cli.gateway.resource;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Kubernetes objects from YAML (or JSON) files, as {@code kubectl apply -f} reads them: several
 * documents per file ({@code ---}), {@code kind: List} with {@code items}, a directory meaning its
 * {@code .yaml}, {@code .yml} and {@code .json} files (not its subdirectories).
 *
 * <p>Scalars are read as kubectl's YAML-to-JSON conversion reads them: an unquoted date stays a
 * string (SnakeYAML would make it a {@link Date}); YAML 1.1 booleans ({@code yes}, {@code on}) are
 * booleans, as in {@code sigs.k8s.io/yaml}. Duplicate keys are an error, as in recent kubectl.
 */
public final class YamlResources {
  private static final Set<String> EXTENSIONS = Set.of(".yaml", ".yml", ".json");

  private YamlResources() {}

  /** The files {@code path} stands for: itself, or a directory's YAML and JSON files, sorted. */
  public static List<Path> files(Path path) {
    if (Files.isDirectory(path)) {
      try (Stream<Path> s = Files.list(path)) {
        return s.filter(Files::isRegularFile)
            .filter(YamlResources::isResourceFile)
            .sorted()
            .toList();
      } catch (IOException e) {
        throw new ResourceException("cannot list " + path + ": " + e.getMessage(), e);
      }
    }
    if (!Files.exists(path)) {
      throw new ResourceException(path + " does not exist");
    }
    return List.of(path);
  }

  private static boolean isResourceFile(Path p) {
    String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.startsWith(".")) {
      return false; // editors' swap and backup files
    }
    return EXTENSIONS.stream().anyMatch(name::endsWith);
  }

  /** The objects in {@code file}; a {@link ResourceException} naming the line if it is not YAML. */
  public static List<KubeObject> read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ResourceException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return read(bytes, file.toString());
  }

  /** The objects in {@code bytes} (UTF-8 YAML); {@code origin} names them in messages. */
  public static List<KubeObject> read(byte[] bytes, String origin) {
    return parse(decode(bytes, origin), origin);
  }

  /** The objects in {@code text}; {@code origin} names it in messages. */
  public static List<KubeObject> parse(String text, String origin) {
    List<KubeObject> out = new ArrayList<>();
    int document = 0;
    try {
      for (Object doc : yaml().loadAll(text)) {
        document++;
        if (doc == null) {
          continue; // an empty document, e.g. a trailing ---
        }
        String where = origin + ", document " + document;
        if (!(doc instanceof Map<?, ?> map)) {
          throw new ResourceException(where + ": not a Kubernetes object (a YAML mapping)");
        }
        Map<String, Object> body = normalise(map);
        if ("List".equals(body.get("kind")) && body.get("items") instanceof List<?> items) {
          int i = 0;
          for (Object item : items) {
            String itemWhere = where + ", items[" + i++ + "]";
            if (!(item instanceof Map<?, ?> m)) {
              throw new ResourceException(itemWhere + ": not a Kubernetes object");
            }
            out.add(KubeObject.of(normalise(m), itemWhere));
          }
          continue;
        }
        out.add(KubeObject.of(body, where));
      }
    } catch (MarkedYAMLException e) {
      throw new ResourceException(origin + ": not valid YAML: " + oneLine(e), e);
    } catch (YAMLException e) {
      throw new ResourceException(origin + ": not valid YAML: " + e.getMessage(), e);
    }
    return out;
  }

  private static String decode(byte[] bytes, String origin) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new ResourceException(origin + ": not UTF-8 text", e);
    }
  }

  private static String oneLine(MarkedYAMLException e) {
    StringBuilder sb = new StringBuilder();
    if (e.getProblemMark() != null) {
      sb.append("line ")
          .append(e.getProblemMark().getLine() + 1)
          .append(", column ")
          .append(e.getProblemMark().getColumn() + 1)
          .append(": ");
    }
    sb.append(e.getProblem() == null ? e.getMessage() : e.getProblem());
    if (e.getContext() != null) {
      sb.append(" (").append(e.getContext()).append(')');
    }
    return sb.toString().replace('\n', ' ');
  }

  private static Yaml yaml() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(50);
    options.setNestingDepthLimit(100);
    options.setCodePointLimit(16 << 20);
    DumperOptions dump = new DumperOptions();
    return new Yaml(
        new SafeConstructor(options), new Representer(dump), dump, options, new KubectlResolver());
  }

  /** YAML 1.1 implicit types without timestamps (kubectl keeps dates as strings). */
  private static final class KubectlResolver extends Resolver {
    @Override
    protected void addImplicitResolvers() {
      addImplicitResolver(Tag.BOOL, BOOL, "yYnNtTfFoO");
      addImplicitResolver(Tag.INT, INT, "-+0123456789");
      addImplicitResolver(Tag.FLOAT, FLOAT, "-+0123456789.");
      addImplicitResolver(Tag.MERGE, MERGE, "<");
      addImplicitResolver(Tag.NULL, NULL, "~nN\0");
      addImplicitResolver(Tag.NULL, EMPTY, null);
      addImplicitResolver(Tag.YAML, YAML, "!&*");
    }
  }

  /** String keys, and the few values SnakeYAML makes from explicit tags turned into JSON ones. */
  static Map<String, Object> normalise(Map<?, ?> in) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : in.entrySet()) {
      out.put(String.valueOf(e.getKey()), normaliseValue(e.getValue()));
    }
    return out;
  }

  private static Object normaliseValue(Object v) {
    if (v instanceof Map<?, ?> m) {
      return normalise(m);
    }
    if (v instanceof Iterable<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object item : l) {
        out.add(normaliseValue(item));
      }
      return out;
    }
    if (v instanceof Date d) {
      return Instant.ofEpochMilli(d.getTime()).toString();
    }
    if (v instanceof byte[] b) {
      return Base64.getEncoder().encodeToString(b);
    }
    return v;
  }
}
