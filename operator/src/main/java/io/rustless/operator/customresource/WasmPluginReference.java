package io.rustless.operator.customresource;

import java.util.Objects;

/** Namespace and name of a Higress WasmPlugin. */
public class WasmPluginReference {

  private String namespace;
  private String name;

  public WasmPluginReference() {}

  public WasmPluginReference(String namespace, String name) {
    this.namespace = namespace;
    this.name = name;
  }

  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WasmPluginReference other
        && Objects.equals(namespace, other.namespace)
        && Objects.equals(name, other.name);
  }

  @Override
  public int hashCode() {
    return Objects.hash(namespace, name);
  }

  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
