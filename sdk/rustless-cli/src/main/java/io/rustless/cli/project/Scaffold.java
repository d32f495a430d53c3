package io.rustless.cli.project;

import io.rustless.cli.UsageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Creates a new extension from the template kept in this jar's resources ({@code
 * io/rustless/cli/template}): pom, plugin class, config record, tests (dual-mode and docs), README,
 * spec.yaml and a demo, then adds it to {@code extensions/pom.xml}.
 */
public final class Scaffold {
  /** Long enough for real names; short enough that no template line outgrows 100 columns. */
  public static final int MAX_NAME_LENGTH = 30;

  private static final String TEMPLATE = "/io/rustless/cli/template/";
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
  private static final Pattern PARENT_VERSION =
      Pattern.compile("(?s)<parent>.*?<version>([^<]+)</version>.*?</parent>");
  private static final Pattern MODULES = Pattern.compile("(?s)([ \\t]*)<modules>(.*?)</modules>");
  private static final Pattern MODULE = Pattern.compile("([ \\t]*)<module>([^<]+)</module>");
  private static final Set<String> JAVA_KEYWORDS =
      Set.of(
          "abstract",
          "assert",
          "boolean",
          "break",
          "byte",
          "case",
          "catch",
          "char",
          "class",
          "const",
          "continue",
          "default",
          "do",
          "double",
          "else",
          "enum",
          "extends",
          "false",
          "final",
          "finally",
          "float",
          "for",
          "goto",
          "if",
          "implements",
          "import",
          "instanceof",
          "int",
          "interface",
          "long",
          "native",
          "new",
          "null",
          "package",
          "private",
          "protected",
          "public",
          "return",
          "short",
          "static",
          "strictfp",
          "super",
          "switch",
          "synchronized",
          "this",
          "throw",
          "throws",
          "transient",
          "true",
          "try",
          "void",
          "volatile",
          "while");

  private final Workspace workspace;

  public Scaffold(Workspace workspace) {
    this.workspace = workspace;
  }

  /** What was created. */
  public record Created(Extension extension, String pluginClass, List<Path> files) {}

  /** Checks {@code name}; returns it or throws a usage error saying what a name may be. */
  public static String validateName(String name) {
    if (name == null || name.isEmpty()) {
      throw new UsageException("the extension needs a name, e.g. 'rustless new my-plugin'");
    }
    if (!NAME.matcher(name).matches()) {
      throw new UsageException(
          "'"
              + name
              + "' is not a valid extension name: use lower-case letters, digits and single"
              + " dashes, starting with a letter (e.g. my-plugin)");
    }
    if (name.length() > MAX_NAME_LENGTH) {
      throw new UsageException(
          "'" + name + "' is too long: at most " + MAX_NAME_LENGTH + " characters");
    }
    if (JAVA_KEYWORDS.contains(packageSegment(name))) {
      throw new UsageException(
          "'"
              + name
              + "' would make the Java package name '"
              + packageSegment(name)
              + "', a"
              + " keyword: choose another name");
    }
    return name;
  }

  static String packageSegment(String name) {
    return name.replace("-", "");
  }

  /** {@code my-plugin} → {@code MyPlugin}. */
  static String className(String name) {
    StringBuilder sb = new StringBuilder();
    for (String part : name.split("-")) {
      sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return sb.toString();
  }

  /** {@code my-plugin} → {@code My Plugin}. */
  static String title(String name) {
    List<String> words = new ArrayList<>();
    for (String part : name.split("-")) {
      words.add(Character.toUpperCase(part.charAt(0)) + part.substring(1));
    }
    return String.join(" ", words);
  }

  /** Generates {@code extensions/<name>} and registers it as a module. */
  public Created create(String name) {
    validateName(name);
    Path dir = workspace.extensionsDir().resolve(name);
    if (Files.exists(dir)) {
      throw new UsageException(dir + " already exists: choose another name or delete it first");
    }
    Path parentPom = workspace.extensionsDir().resolve("pom.xml");
    if (!Files.isRegularFile(parentPom)) {
      throw new UsageException(parentPom + " is missing: the extensions need their parent pom");
    }
    String parentText = read(parentPom);
    Matcher version = PARENT_VERSION.matcher(parentText);
    if (!version.find()) {
      throw new UsageException(parentPom + " has no <parent> version to inherit");
    }
    String updatedParent = withModule(parentText, name);

    Map<String, String> values = new LinkedHashMap<>();
    String pkg = "io.rustless.extensions." + packageSegment(name);
    values.put("__PACKAGE_PATH__", pkg.replace('.', '/'));
    values.put("__PACKAGE__", pkg);
    values.put("__CLASS__", className(name));
    values.put("__TITLE__", title(name));
    values.put("__VERSION__", version.group(1).trim());
    values.put("__NAME__", name);

    List<Path> written = new ArrayList<>();
    try {
      for (String line : resource("files.txt").split("\n")) {
        String entry = line.strip();
        if (entry.isEmpty() || entry.startsWith("#")) {
          continue;
        }
        String[] parts = entry.split("\\s+");
        Path target = dir.resolve(substitute(parts[1], values));
        Files.createDirectories(target.getParent());
        Files.writeString(target, substitute(resource(parts[0]), values), StandardCharsets.UTF_8);
        written.add(target);
      }
      Files.writeString(parentPom, updatedParent, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir + ": " + e.getMessage(), e);
    }
    return new Created(
        new Extension(name, dir), pkg + "." + className(name) + "Plugin", List.copyOf(written));
  }

  /** {@code pomText} with {@code <module>name</module>} added, in order if the list is sorted. */
  static String withModule(String pomText, String name) {
    Matcher block = MODULES.matcher(pomText);
    if (!block.find()) {
      throw new UsageException("extensions/pom.xml has no <modules> section to add the module to");
    }
    String body = block.group(2);
    List<String> names = new ArrayList<>();
    String indent = block.group(1) + "  ";
    Matcher m = MODULE.matcher(body);
    while (m.find()) {
      names.add(m.group(2).trim());
      indent = m.group(1);
    }
    if (names.contains(name)) {
      throw new UsageException("extensions/pom.xml already lists the module " + name);
    }
    boolean sorted = names.stream().sorted().toList().equals(names);
    List<String> next = new ArrayList<>(names);
    next.add(name);
    if (sorted) {
      next.sort(null);
    }
    StringBuilder sb = new StringBuilder("\n");
    for (String n : next) {
      sb.append(indent).append("<module>").append(n).append("</module>\n");
    }
    sb.append(block.group(1));
    return pomText.substring(0, block.start(2)) + sb + pomText.substring(block.end(2));
  }

  static String substitute(String text, Map<String, String> values) {
    String out = text;
    for (Map.Entry<String, String> e : values.entrySet()) {
      out = out.replace(e.getKey(), e.getValue());
    }
    return out;
  }

  private static String resource(String name) {
    try (InputStream in = Scaffold.class.getResourceAsStream(TEMPLATE + name)) {
      if (in == null) {
        throw new IllegalStateException("template resource " + name + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
    }
  }
}
