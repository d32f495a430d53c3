package io.rustless.testing.docs;

import io.rustless.sdk.higress.config.ConfigParser;
import io.rustless.sdk.higress.config.ConfigReader;
import io.rustless.sdk.higress.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * An extension's {@code README.md} and {@code spec.yaml}, read so that a test can hold them to the
 * code: every example must configure the plugin, the README's configuration table must agree with
 * the spec, and every documented default must be the code's default. (Higress's own request-block
 * README documents {@code case_sensitive} as defaulting to true while the code defaults to false;
 * this is the check that would have caught it.)
 */
public final class ExtensionDocs {
  private static final Pattern FENCE = Pattern.compile("(?ms)^```(\\w*)\\s*\\n(.*?)^```");
  private static final Set<String> PHASES = Set.of("AUTHN", "AUTHZ", "STATS", "UNSPECIFIED_PHASE");

  private final Path readme;
  private final Path specFile;
  private final String readmeText;
  private final Map<String, Object> spec;

  private ExtensionDocs(Path dir) {
    this.readme = dir.resolve("README.md");
    this.specFile = dir.resolve("spec.yaml");
    try {
      this.readmeText = Files.readString(readme);
      this.spec = yaml().load(Files.readString(specFile));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (spec == null) {
      throw new AssertionError(specFile + " is empty");
    }
  }

  /** The docs of the extension in {@code dir} (default: the current directory). */
  public static ExtensionDocs of(Path dir) {
    return new ExtensionDocs(dir);
  }

  /** The docs of the extension whose tests are running (Maven runs them from its directory). */
  public static ExtensionDocs current() {
    return new ExtensionDocs(Path.of(""));
  }

  private static Yaml yaml() {
    return new Yaml(new SafeConstructor(new LoaderOptions()));
  }

  // ---- spec.yaml ----------------------------------------------------------------------------

  /** One property of the configuration schema. */
  public record Field(String name, String type, boolean required, Object defaultValue) {}

  /** Checks the console's required structure and returns nothing if it is well formed. */
  public void assertSpecWellFormed() {
    require(Objects.equals(String.valueOf(spec.get("apiVersion")), "1.0.0"), "apiVersion: 1.0.0");
    Map<String, Object> info = map(spec, "info");
    for (String key : List.of("name", "title", "category", "version", "description")) {
      require(info.get(key) instanceof String, "info." + key + " (a string)");
    }
    Map<String, Object> s = map(spec, "spec");
    require(PHASES.contains(String.valueOf(s.get("phase"))), "spec.phase in " + PHASES);
    require(s.get("priority") instanceof Integer, "spec.priority (an integer)");
    Map<String, Object> schema = map(map(s, "configSchema"), "openAPIV3Schema");
    require("object".equals(schema.get("type")), "configSchema.openAPIV3Schema.type: object");
    require(schema.get("properties") instanceof Map, "configSchema.openAPIV3Schema.properties");
    require(schema.get("example") instanceof Map, "configSchema.openAPIV3Schema.example");
  }

  /** The global configuration schema's properties, in order. */
  public List<Field> configFields() {
    return fields(schema("configSchema"));
  }

  /** The spec's global example, as JSON. */
  public String configExample() {
    return JsonText.of(schema("configSchema").get("example"));
  }

  /** The spec's per-route example (if there is a route schema), as JSON. */
  public java.util.Optional<String> routeConfigExample() {
    Map<String, Object> s = map(spec, "spec");
    if (!(s.get("routeConfigSchema") instanceof Map)) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(JsonText.of(schema("routeConfigSchema").get("example")));
  }

  /**
   * The schema of top-level configuration field {@code name} (its {@code properties} for an object,
   * {@code items} for an array), for holding a README's sub-table to it.
   */
  @SuppressWarnings("unchecked")
  public Map<String, Object> configProperty(String name) {
    Object p = ((Map<String, Object>) schema("configSchema").get("properties")).get(name);
    if (!(p instanceof Map)) {
      throw new AssertionError(specFile + " has no configuration field " + name);
    }
    return (Map<String, Object>) p;
  }

  /**
   * {@code routeConfig} (a JSON object) as a plugin configuration with one {@code _rules_} entry
   * for route {@code r}, as the Higress controller builds one from a WasmPlugin's matchRules.
   */
  public static String asRouteRule(String routeConfig) {
    String body = routeConfig.strip();
    if (!body.startsWith("{") || !body.endsWith("}")) {
      throw new IllegalArgumentException("not a JSON object: " + routeConfig);
    }
    String members = body.substring(1, body.length() - 1).strip();
    return "{\"_rules_\": [{\"_match_route_\": [\"r\"]"
        + (members.isEmpty() ? "" : ", " + members)
        + "}]}";
  }

  private Map<String, Object> schema(String which) {
    return map(map(map(spec, "spec"), which), "openAPIV3Schema");
  }

  @SuppressWarnings("unchecked")
  private static List<Field> fields(Map<String, Object> schema) {
    List<Object> required = (List<Object>) schema.getOrDefault("required", List.of());
    List<Field> out = new ArrayList<>();
    Map<String, Object> props = (Map<String, Object>) schema.get("properties");
    for (Map.Entry<String, Object> e : props.entrySet()) {
      Map<String, Object> p = (Map<String, Object>) e.getValue();
      out.add(
          new Field(
              e.getKey(),
              String.valueOf(p.get("type")),
              required.contains(e.getKey()),
              p.get("default")));
    }
    return out;
  }

  // ---- README -------------------------------------------------------------------------------

  /** Every {@code WasmPlugin} in the README's YAML blocks, with its derived configuration. */
  @SuppressWarnings("unchecked")
  public List<WasmPluginExample> wasmPluginExamples() {
    List<WasmPluginExample> out = new ArrayList<>();
    Matcher m = FENCE.matcher(readmeText);
    int block = 0;
    while (m.find()) {
      if (!m.group(1).equals("yaml")) {
        continue;
      }
      block++;
      for (Object doc : yaml().loadAll(m.group(2))) {
        if (doc instanceof Map<?, ?> resource && "WasmPlugin".equals(resource.get("kind"))) {
          out.add(
              WasmPluginExample.of(
                  (Map<String, Object>) resource, readme + " yaml block " + block));
        }
      }
    }
    if (out.isEmpty()) {
      throw new AssertionError(readme + " has no WasmPlugin example");
    }
    return out;
  }

  /** The rows of the README's configuration table (the one whose header starts "| Name |"). */
  public List<Field> readmeConfigTable() {
    List<Field> out = new ArrayList<>();
    for (List<String> cells : readmeTable("| Name |")) {
      if (cells.size() < 4) {
        throw new AssertionError(readme + ": short configuration table row: " + cells);
      }
      String def = unquote(cells.get(3));
      out.add(
          new Field(
              unquote(cells.get(0)),
              cells.get(1),
              cells.get(2).equalsIgnoreCase("yes"),
              def.equals("-") ? null : def));
    }
    return out;
  }

  /**
   * The body rows of the first README table whose header line starts with {@code header}: each
   * row's cells, trimmed (backticks kept).
   */
  public List<List<String>> readmeTable(String header) {
    List<List<String>> out = new ArrayList<>();
    boolean inTable = false;
    for (String line : readmeText.split("\n")) {
      String t = line.trim();
      if (!inTable) {
        inTable = t.startsWith(header);
        continue;
      }
      if (!t.startsWith("|")) {
        break;
      }
      String[] cells = t.substring(1).split("\\|");
      if (cells[0].trim().startsWith("---")) {
        continue;
      }
      List<String> row = new ArrayList<>(cells.length);
      for (String cell : cells) {
        row.add(cell.trim());
      }
      out.add(row);
    }
    if (out.isEmpty()) {
      throw new AssertionError(readme + " has no table with a '" + header + "' header");
    }
    return out;
  }

  /**
   * Fails unless the README table under {@code header} (name, type, required, default) lists
   * exactly the properties of {@code schema}, a nested object schema from spec.yaml ({@code
   * properties}, {@code required}), in order, with their types, required flags and defaults; with
   * {@code defaults} (the record the code parses from {@code {}}), also that every documented
   * default is what the code yields.
   */
  @SuppressWarnings("unchecked")
  public void assertReadmeTableMatchesSchema(
      String header, Map<String, Object> schema, Record defaults) {
    Map<String, Map<String, Object>> props =
        (Map<String, Map<String, Object>>) schema.get("properties");
    List<String> required = (List<String>) schema.getOrDefault("required", List.of());
    List<String> names = new ArrayList<>();
    for (List<String> cells : readmeTable(header)) {
      String name = unquote(cells.get(0));
      names.add(name);
      Map<String, Object> p = props.get(name);
      if (p == null) {
        continue; // reported below with the whole list
      }
      String where = readme + " " + header + " " + name + ": ";
      if (!unquote(cells.get(1)).equals(p.get("type"))) {
        throw new AssertionError(where + "type " + cells.get(1) + ", spec " + p.get("type"));
      }
      if (unquote(cells.get(2)).equals("yes") != required.contains(name)) {
        throw new AssertionError(where + "required " + cells.get(2) + ", spec " + required);
      }
      String documented = unquote(cells.get(3));
      String def = p.containsKey("default") ? String.valueOf(p.get("default")) : "-";
      if (!(documented.equals("\"\"") ? "" : documented).equals(def)) {
        throw new AssertionError(where + "default " + documented + ", spec " + def);
      }
      if (defaults != null && p.containsKey("default")) {
        String actual = String.valueOf(component(defaults, name));
        if (!actual.equals(def)) {
          throw new AssertionError(where + "documented default " + def + ", code " + actual);
        }
      }
    }
    if (!names.equals(new ArrayList<>(props.keySet()))) {
      throw new AssertionError(
          readme + " " + header + " lists " + names + ", spec.yaml has " + props.keySet());
    }
  }

  private static String unquote(String cell) {
    return cell.trim().replace("`", "");
  }

  /** Fails unless the README table and the spec list the same fields, types, flags, defaults. */
  public void assertReadmeTableMatchesSpec() {
    Map<String, Field> specFields = new LinkedHashMap<>();
    for (Field f : configFields()) {
      specFields.put(f.name(), f);
    }
    Map<String, Field> table = new LinkedHashMap<>();
    for (Field f : readmeConfigTable()) {
      table.put(f.name(), f);
    }
    if (!specFields.keySet().equals(table.keySet())) {
      throw new AssertionError(
          "README fields "
              + table.keySet()
              + " differ from spec.yaml fields "
              + specFields.keySet());
    }
    for (Field s : specFields.values()) {
      Field r = table.get(s.name());
      if (!r.type().equals(s.type())) {
        throw new AssertionError(
            s.name() + ": README says type " + r.type() + ", spec.yaml " + s.type());
      }
      if (r.required() != s.required()) {
        throw new AssertionError(
            s.name() + ": README says required=" + r.required() + ", spec.yaml " + s.required());
      }
      String specDefault = s.defaultValue() == null ? null : JsonText.of(s.defaultValue());
      String readmeDefault =
          r.defaultValue() == null ? null : normalise(r.defaultValue().toString());
      if (!Objects.equals(specDefault == null ? null : normalise(specDefault), readmeDefault)) {
        throw new AssertionError(
            s.name()
                + ": README default "
                + r.defaultValue()
                + " differs from spec.yaml default "
                + specDefault);
      }
    }
  }

  private static String normalise(String v) {
    String t = v.trim();
    if (t.startsWith("\"") && t.endsWith("\"") && t.length() >= 2) {
      t = t.substring(1, t.length() - 1);
    }
    return t;
  }

  /**
   * Fails unless every default in spec.yaml is what {@code parser} yields when the field is left
   * out of {@code minimalConfig} (a configuration with only the required fields). Record components
   * are matched to fields by name: {@code blocked_code} ↔ {@code blockedCode()}.
   */
  public <C extends Record> void assertDefaultsMatch(ConfigParser<C> parser, String minimalConfig) {
    C config = parser.parse(ConfigReader.of(Json.parse(minimalConfig).asObject()));
    for (Field f : configFields()) {
      if (f.defaultValue() == null) {
        continue;
      }
      Object actual = component(config, f.name());
      String want = JsonText.of(f.defaultValue());
      String got = JsonText.of(actual);
      if (!want.equals(got)) {
        throw new AssertionError(
            f.name() + ": spec.yaml documents default " + want + " but the code yields " + got);
      }
    }
  }

  private static Object component(Record r, String field) {
    String camel = camel(field);
    for (RecordComponent c : r.getClass().getRecordComponents()) {
      if (c.getName().equals(camel)) {
        try {
          return c.getAccessor().invoke(r);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    throw new AssertionError(
        r.getClass().getSimpleName() + " has no component " + camel + " for field " + field);
  }

  static String camel(String snake) {
    StringBuilder sb = new StringBuilder();
    boolean up = false;
    for (char c : snake.toCharArray()) {
      if (c == '_' || c == '-') {
        up = true;
      } else {
        sb.append(up ? Character.toUpperCase(c) : c);
        up = false;
      }
    }
    return sb.toString();
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> map(Map<String, Object> parent, String key) {
    Object v = parent.get(key);
    if (!(v instanceof Map)) {
      throw new AssertionError(specFile + ": missing or malformed '" + key + "'");
    }
    return (Map<String, Object>) v;
  }

  private void require(boolean ok, String what) {
    if (!ok) {
      throw new AssertionError(specFile + " must have " + what);
    }
  }
}
