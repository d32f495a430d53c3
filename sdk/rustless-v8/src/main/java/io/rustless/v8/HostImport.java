package io.rustless.v8;

/** A host function offered to modules as {@code module.name}. */
public record HostImport(String module, String name, FunctionType type, HostFunction function) {
  public HostImport {
    if (module.indexOf('\n') >= 0 || name.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("bad import name " + module + "." + name);
    }
  }
}
