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

  /**
   * A rule of the platform team's RustlessPolicy or of the operator's settings; the message names
   * it.
   */
  public static final String POLICY_VIOLATION = "PolicyViolation";

  /** The cluster's WasmPlugin CRD has no such field: the API server would prune it. */
  public static final String FIELD_NOT_SUPPORTED = "FieldNotSupported";

  public static final String WASMPLUGIN_CRD_NOT_FOUND = "WasmPluginCRDNotFound";

  // Built
  public static final String BUILDING = "Building";
  public static final String BUILD_QUEUED = "BuildQueued";
  public static final String SUCCEEDED = "Succeeded";
  public static final String BUILD_FAILED = "BuildFailed";
  public static final String BUILD_TIMED_OUT = "BuildTimedOut";
  public static final String INVALID_BUILD_OUTPUT = "InvalidBuildOutput";
  public static final String REVISION_NOT_RESOLVED = "RevisionNotResolved";
  public static final String RESOLVING_REVISION = "ResolvingRevision";

  // Published
  public static final String PUBLISHED = "Published";
  public static final String SERVING_PREVIOUS_BUILD = "ServingPreviousBuild";
  public static final String NOT_PUBLISHED = "NotPublished";
  public static final String WASMPLUGIN_NAME_TAKEN = "WasmPluginNameTaken";

  /** The WasmPlugin served broke the current policy and was deleted. */
  public static final String POLICY_REVOKED = "PolicyRevoked";

  /** The build Job reached the registry and was refused, or could not reach it. */
  public static final String PUSH_FAILED = "PushFailed";

  // Ready / Reconciling / Stalled
  public static final String READY = "Ready";
  public static final String PROGRESSING = "Progressing";
  public static final String PROGRESSING_WITH_RETRY = "ProgressingWithRetry";
  public static final String RECONCILE_ERROR = "ReconcileError";
  public static final String RETRIES_EXHAUSTED = "RetriesExhausted";
  public static final String SUSPENDED = "Suspended";

  private Reasons() {}
}
