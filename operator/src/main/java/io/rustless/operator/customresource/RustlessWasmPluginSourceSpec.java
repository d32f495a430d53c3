package io.rustless.operator.customresource;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** What to build, where to push it and how to serve it. Defaults are applied by the operator. */
public class RustlessWasmPluginSourceSpec {

  @Required
  @JsonPropertyDescription("The extension to build: a catalogue name or a git source.")
  private ExtensionSource source;

  @Required
  @JsonPropertyDescription("The OCI repository the build pushes to, and the secret to push with.")
  private ImageTarget image;

  @JsonPropertyDescription("Build Job settings.")
  private BuildSettings build;

  @JsonPropertyDescription("The Higress WasmPlugin to create from the built image.")
  private WasmPluginSettings wasmPlugin;

  @JsonPropertyDescription(
      "Stop reconciling: no build starts and the WasmPlugin is left as it is until this is false"
          + " again (a running build Job finishes; its result is used on resume).")
  private Boolean suspend;

  public ExtensionSource getSource() {
    return source;
  }

  public void setSource(ExtensionSource source) {
    this.source = source;
  }

  public ImageTarget getImage() {
    return image;
  }

  public void setImage(ImageTarget image) {
    this.image = image;
  }

  public BuildSettings getBuild() {
    return build;
  }

  public void setBuild(BuildSettings build) {
    this.build = build;
  }

  public WasmPluginSettings getWasmPlugin() {
    return wasmPlugin;
  }

  public void setWasmPlugin(WasmPluginSettings wasmPlugin) {
    this.wasmPlugin = wasmPlugin;
  }

  public Boolean getSuspend() {
    return suspend;
  }

  public void setSuspend(Boolean suspend) {
    this.suspend = suspend;
  }

  /** {@code spec.suspend} is true. */
  public boolean suspended() {
    return Boolean.TRUE.equals(suspend);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RustlessWasmPluginSourceSpec other
        && Objects.equals(source, other.source)
        && Objects.equals(image, other.image)
        && Objects.equals(build, other.build)
        && Objects.equals(wasmPlugin, other.wasmPlugin)
        && Objects.equals(suspend, other.suspend);
  }

  @Override
  public int hashCode() {
    return Objects.hash(source, image, build, wasmPlugin, suspend);
  }
}
