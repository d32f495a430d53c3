package io.rustless.operator.customresource;

/** The {@code reason} values the operator writes into conditions. CamelCase, as Kubernetes does. */
public final class Reasons {

  // ConfigValid
  public static final String VALID = "Valid";
  public static final String NO_SCHEMA = "NoSchema";
  public static final String INVALID_CONFIG = "InvalidConfig";
  public static final String INVALID_SPEC = "InvalidSpec";
  public static final String UNKNOWN_EXTENSION = "UnknownExtension";
  public static final String NAMESPACE_NOT_ALLOWED = "NamespaceNotAllowed";

  // Built
  public static final String BUILDING = "Building";
  public static final String BUILD_PENDING = "BuildPending";
  public static final String SUCCEEDED = "Succeeded";
  public static final String BUILD_FAILED = "BuildFailed";
  public static final String BUILD_TIMED_OUT = "BuildTimedOut";
  public static final String INVALID_BUILD_OUTPUT = "InvalidBuildOutput";

  // Published
  public static final String PUBLISHED = "Published";
  public static final String SERVING_PREVIOUS_BUILD = "ServingPreviousBuild";
  public static final String NOT_PUBLISHED = "NotPublished";
  public static final String WASMPLUGIN_NAME_TAKEN = "WasmPluginNameTaken";

  /** The build Job reached the registry and was refused, or could not reach it. */
  public static final String PUSH_FAILED = "PushFailed";

  // Ready / errors
  public static final String READY = "Ready";
  public static final String RECONCILE_ERROR = "ReconcileError";

  private Reasons() {}
}
