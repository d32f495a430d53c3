package io.rustless.v8;

import java.util.ArrayList;
import java.util.List;

/** A module compiled in a {@link V8Engine}; instantiate it as often as needed. */
public final class V8Module {
  private final V8Engine engine;
  private final int id;
  private final String digest;
  private final int size;
  private final List<String> importedFunctions = new ArrayList<>();
  private final List<String> exports = new ArrayList<>();

  V8Module(V8Engine engine, int id, String digest, int size, String description) {
    this.engine = engine;
    this.id = id;
    this.digest = digest;
    this.size = size;
    for (String line : description.split("\n")) {
      String[] p = line.split(" ", 4);
      if (p[0].equals("import") && p.length == 4 && p[1].equals("function")) {
        importedFunctions.add(p[2] + "." + p[3]);
      } else if (p[0].equals("export") && p.length >= 3) {
        exports.add(p[2]);
      }
    }
  }

  int id() {
    return id;
  }

  /** SHA-256 of the module's bytes, hex. */
  public String digest() {
    return digest;
  }

  public int size() {
    return size;
  }

  /** The functions the module imports, as {@code module.name}. */
  public List<String> importedFunctions() {
    return List.copyOf(importedFunctions);
  }

  /** The names the module exports (functions, memory, …). */
  public List<String> exports() {
    return List.copyOf(exports);
  }

  /**
   * A new instance: the host functions bound, the start function run. A module import the host does
   * not provide fails with a {@link WasmException} of kind {@code LINK} naming it.
   */
  public V8Instance instantiate(List<HostImport> imports) {
    return engine.instantiate(this, imports);
  }
}
