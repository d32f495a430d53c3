package io.rustless.operator;

import io.rustless.operator.build.BuildKey;
import io.rustless.operator.build.SourceRef;
import io.rustless.operator.customresource.RustlessWasmPluginSource;
import io.rustless.operator.customresource.WasmPluginReference;
import io.rustless.operator.customresource.WasmPluginSettings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/** Every name, label and annotation the operator derives, in one place. */
public final class Names {

  public static final String OPERATOR = "rustless-operator";

  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";

  /** Which operator installation (Helm release) wrote a WasmPlugin: the orphan sweep's scope. */
  public static final String INSTANCE_LABEL = "app.kubernetes.io/instance";

  public static final String COMPONENT_LABEL = "app.kubernetes.io/component";
  public static final String BUILD_COMPONENT = "build";

  /** Source name, hashed when longer than a label value may be. For selection only. */
  public static final String SOURCE_LABEL = "rustless.io/source";

  /** The source's namespace, on its WasmPlugin (which lives in the gateway's). */
  public static final String SOURCE_NAMESPACE_LABEL = "rustless.io/source-namespace";

  /**
   * Set it to any new value (e.g. a timestamp) to have the source reconciled now: branches resolved
   * again, a failed or stalled build retried at once (Flux's {@code requestedAt} pattern). The
   * value handled last is in {@code status.lastHandledReconcileAt}.
   */
  public static final String REQUESTED_AT_ANNOTATION = "rustless.io/requested-at";

  /** The build Job's name, on the Job's pods. */
  public static final String BUILD_JOB_LABEL = "rustless.io/build-job";

  public static final String SOURCE_NAME_ANNOTATION = "rustless.io/source-name";
  public static final String SOURCE_NAMESPACE_ANNOTATION = "rustless.io/source-namespace";
  public static final String BUILD_KEY_ANNOTATION = "rustless.io/build-key";
  public static final String ATTEMPT_ANNOTATION = "rustless.io/attempt";
  public static final String GENERATION_ANNOTATION = "rustless.io/generation";

  /** Selects everything this operator creates. */
  public static final String MANAGED_SELECTOR = MANAGED_BY_LABEL + "=" + OPERATOR;

  public static final String BUILD_SELECTOR =
      MANAGED_SELECTOR + "," + COMPONENT_LABEL + "=" + BUILD_COMPONENT;

  /**
   * The finalizer versions before 0.2 put on sources. No longer used (it made deleting a source
   * hang once the operator was gone); removed from sources that still carry it.
   */
  public static final String LEGACY_FINALIZER = "rustless.io/wasmplugin-cleanup";

  private static final int MAX_NAME = 253;

  private static final int MAX_LABEL = 63;
  private static final int JOB_PREFIX = 40;
  private static final int MAX_TAG_STEM = 100;

  private Names() {}

  /**
   * {@code <source>-<first 10 hex of the build key>-<attempt>}: a new key or a retry gives a new
   * immutable Job; the same key and attempt always give the same name (so a restarted operator
   * adopts the running Job). At most 56 characters, within the 63 a Job's pod label allows.
   */
  public static String buildJobName(RustlessWasmPluginSource source, BuildKey key, int attempt) {
    return shorten(source.getMetadata().getName(), JOB_PREFIX)
        + "-"
        + key.hex().substring(0, 10)
        + "-"
        + attempt;
  }

  /**
   * The WasmPlugin's name: {@code <source namespace>.<source name>}. Namespaces have no dots, so
   * two sources never get the same name (a name too long for the API is shortened with a hash).
   */
  public static String wasmPluginName(RustlessWasmPluginSource source) {
    return shorten(
        source.getMetadata().getNamespace() + "." + source.getMetadata().getName(), MAX_NAME);
  }

  /** The WasmPlugin's namespace: {@code spec.wasmPlugin.namespace}, else the operator's default. */
  public static String wasmPluginNamespace(RustlessWasmPluginSource source, OperatorConfig config) {
    return settings(source)
        .map(WasmPluginSettings::getNamespace)
        .filter(n -> !n.isBlank())
        .orElse(config.defaultWasmPluginNamespace());
  }

  /** Where the source's WasmPlugin goes. */
  public static WasmPluginReference wasmPlugin(
      RustlessWasmPluginSource source, OperatorConfig config) {
    return new WasmPluginReference(wasmPluginNamespace(source, config), wasmPluginName(source));
  }

  /** Selects the WasmPlugins of one operator installation. */
  public static String wasmPluginSelector(String instance) {
    return MANAGED_SELECTOR + "," + INSTANCE_LABEL + "=" + instance;
  }

  /** The build NetworkPolicy of a source: {@code <source>-build}, shortened to a label's length. */
  public static String buildNetworkPolicyName(RustlessWasmPluginSource source) {
    return shorten(source.getMetadata().getName(), MAX_LABEL - 6) + "-build";
  }

  /** Value of {@link #SOURCE_LABEL}: the name, or a hashed short form if it is too long. */
  public static String sourceLabel(RustlessWasmPluginSource source) {
    return shorten(source.getMetadata().getName(), MAX_LABEL);
  }

  /**
   * The pushed tag: {@code <extension or last path segment>-<first 12 hex of the build key>}, made
   * a valid OCI tag.
   */
  public static String imageTag(SourceRef source, BuildKey key) {
    String stem = source.tagStem().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
    stem = stem.replaceAll("^[.-]+", "");
    if (stem.isEmpty()) {
      stem = "plugin";
    }
    if (stem.length() > MAX_TAG_STEM) {
      stem = stem.substring(0, MAX_TAG_STEM);
    }
    return stem + "-" + key.hex().substring(0, 12);
  }

  /** The Event's name: unique per source, reason and moment. */
  public static String eventName(RustlessWasmPluginSource source, String reason, long nanos) {
    return shorten(source.getMetadata().getName(), 200)
        + "."
        + reason.toLowerCase(Locale.ROOT)
        + "."
        + Long.toHexString(nanos);
  }

  private static Optional<WasmPluginSettings> settings(RustlessWasmPluginSource source) {
    return Optional.ofNullable(source.getSpec()).map(s -> s.getWasmPlugin());
  }

  /** The name itself if short enough, else a prefix and 6 hex of its SHA-256. */
  static String shorten(String name, int max) {
    if (name.length() <= max) {
      return name;
    }
    String prefix = name.substring(0, max - 7).replaceAll("[-.]+$", "");
    return prefix + "-" + sha256Hex(name).substring(0, 6);
  }

  public static String sha256Hex(String text) {
    try {
      var digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
