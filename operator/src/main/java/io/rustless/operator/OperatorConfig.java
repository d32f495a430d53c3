package io.rustless.operator;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.rustless.operator.build.BuildNetworkPolicySettings;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Operator-wide settings. In a cluster they come from environment variables set by the Helm chart
 * ({@link #fromEnvironment(Map)}); tests and embedded runs use the {@link #builder()}.
 *
 * @param builderImage builder image used when a source does not name one (always allowed)
 * @param sdkVersion Rustless SDK version; part of every build key
 * @param watchNamespaces namespaces whose sources are reconciled; empty means all
 * @param wasmPluginNamespaces namespaces the operator may write WasmPlugins to (Higress reads only
 *     its own)
 * @param buildRetryBase delay before the second attempt of a failed build; doubles per attempt
 * @param buildRetryMax the longest delay between build attempts
 * @param buildUser uid and gid of the build container (restricted Pod Security: non-root); the
 *     builder image's user, 10001, by default
 * @param buildResources requests and limits of the build container when a source names none
 * @param plainHttpRegistries registries (host[:port]) the build pushes to over plain HTTP, like
 *     Docker's insecure-registries: an in-cluster registry without TLS. A platform decision, so an
 *     operator setting, not a source's
 * @param leaderElection whether to elect a leader through a Lease
 * @param leaseName the Lease's name
 * @param leaseNamespace the Lease's namespace (the operator's own)
 * @param exitOnLostLeadership exit the process when leadership is lost (the Deployment restarts
 *     it); off in tests, which stop operators inside one JVM
 * @param metricsPort Prometheus endpoint port ({@code /metrics}); 0 disables it
 * @param healthPort probe port ({@code /healthz}, {@code /readyz}); 0 disables it
 * @param defaultWasmPluginNamespace where a source's WasmPlugin goes when it names no namespace;
 *     one of {@code wasmPluginNamespaces}
 * @param allowedBuilderImages patterns ({@code *} matches anything) of the builder images a source
 *     may name besides {@code builderImage}
 * @param maxConcurrentBuilds build Jobs running at once over all sources; 0 means no cap
 * @param buildMaxAttempts attempts per build key before the source is Stalled; 0 means no limit
 * @param gitInterval how often a branch or tag is resolved again, unless the source says
 * @param readGitSecrets whether the operator may read a source's git secretRef to resolve branches
 *     of private repositories (needs {@code get} on Secrets)
 * @param instance this installation's name (the Helm release): labels its WasmPlugins, which the
 *     orphan sweep then owns
 * @param ownerAnchor a cluster-scoped ClusterRole (the chart's) that owns every WasmPlugin this
 *     installation writes, so that uninstalling the chart garbage-collects them; empty: none
 * @param orphanSweepInterval how often WasmPlugins whose source is gone are looked for
 * @param buildNetworkPolicy the NetworkPolicy around build pods; empty: none
 */
public record OperatorConfig(
    String builderImage,
    String sdkVersion,
    Set<String> watchNamespaces,
    Set<String> wasmPluginNamespaces,
    Duration buildRetryBase,
    Duration buildRetryMax,
    long buildUser,
    ResourceRequirements buildResources,
    Set<String> plainHttpRegistries,
    boolean leaderElection,
    String leaseName,
    String leaseNamespace,
    boolean exitOnLostLeadership,
    int metricsPort,
    int healthPort,
    String defaultWasmPluginNamespace,
    Set<String> allowedBuilderImages,
    int maxConcurrentBuilds,
    int buildMaxAttempts,
    Duration gitInterval,
    boolean readGitSecrets,
    String instance,
    Optional<String> ownerAnchor,
    Duration orphanSweepInterval,
    Optional<BuildNetworkPolicySettings> buildNetworkPolicy) {

  public static final String DEFAULT_BUILDER_IMAGE = "ghcr.io/rustless/builder:0.1.0";
  public static final String DEFAULT_WASMPLUGIN_NAMESPACE = "higress-system";
  public static final String DEFAULT_INSTANCE = "rustless-operator";

  /** The builder image's user (docker/builder.Dockerfile); its workspace and tools expect it. */
  public static final long DEFAULT_BUILD_USER = 10001;

  public OperatorConfig {
    Objects.requireNonNull(builderImage, "builderImage");
    Objects.requireNonNull(sdkVersion, "sdkVersion");
    watchNamespaces = Set.copyOf(watchNamespaces);
    wasmPluginNamespaces = Set.copyOf(wasmPluginNamespaces);
    if (wasmPluginNamespaces.isEmpty()) {
      throw new IllegalArgumentException("wasmPluginNamespaces must name at least one namespace");
    }
    Objects.requireNonNull(defaultWasmPluginNamespace, "defaultWasmPluginNamespace");
    if (!wasmPluginNamespaces.contains(defaultWasmPluginNamespace)) {
      throw new IllegalArgumentException(
          "defaultWasmPluginNamespace "
              + defaultWasmPluginNamespace
              + " is not one of wasmPluginNamespaces "
              + wasmPluginNamespaces);
    }
    Objects.requireNonNull(buildRetryBase, "buildRetryBase");
    Objects.requireNonNull(buildRetryMax, "buildRetryMax");
    allowedBuilderImages = Set.copyOf(allowedBuilderImages);
    Objects.requireNonNull(gitInterval, "gitInterval");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(ownerAnchor, "ownerAnchor");
    Objects.requireNonNull(orphanSweepInterval, "orphanSweepInterval");
    Objects.requireNonNull(buildNetworkPolicy, "buildNetworkPolicy");
    if (buildUser <= 0) {
      throw new IllegalArgumentException("buildUser must be a non-root uid, got " + buildUser);
    }
    Objects.requireNonNull(buildResources, "buildResources");
    plainHttpRegistries = Set.copyOf(plainHttpRegistries);
  }

  /** Whether pushes to {@code registry} (host[:port]) go over plain HTTP. */
  public boolean plainHttp(String registry) {
    return plainHttpRegistries.contains(registry);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Reads {@code RUSTLESS_*} variables; anything unset keeps its default. */
  public static OperatorConfig fromEnvironment(Map<String, String> env) {
    var b = builder();
    Function<String, String> get = k -> blankToNull(env.get(k));
    ifSet(get.apply("RUSTLESS_BUILDER_IMAGE"), b::builderImage);
    ifSet(get.apply("RUSTLESS_SDK_VERSION"), b::sdkVersion);
    ifSet(get.apply("RUSTLESS_WATCH_NAMESPACES"), v -> b.watchNamespaces(csv(v)));
    ifSet(get.apply("RUSTLESS_WASMPLUGIN_NAMESPACES"), v -> b.wasmPluginNamespaces(csv(v)));
    ifSet(get.apply("RUSTLESS_DEFAULT_WASMPLUGIN_NAMESPACE"), b::defaultWasmPluginNamespace);
    ifSet(get.apply("RUSTLESS_BUILD_RETRY_BASE"), v -> b.buildRetryBase(Duration.parse(v)));
    ifSet(get.apply("RUSTLESS_BUILD_RETRY_MAX"), v -> b.buildRetryMax(Duration.parse(v)));
    ifSet(get.apply("RUSTLESS_BUILD_USER"), v -> b.buildUser(Long.parseLong(v)));
    ifSet(get.apply("RUSTLESS_BUILD_RESOURCES"), v -> b.buildResources(resources(v)));
    ifSet(get.apply("RUSTLESS_PLAIN_HTTP_REGISTRIES"), v -> b.plainHttpRegistries(csv(v)));
    ifSet(get.apply("RUSTLESS_LEADER_ELECTION"), v -> b.leaderElection(bool(v)));
    ifSet(get.apply("RUSTLESS_LEASE_NAME"), b::leaseName);
    ifSet(get.apply("POD_NAMESPACE"), b::leaseNamespace);
    ifSet(get.apply("RUSTLESS_LEASE_NAMESPACE"), b::leaseNamespace);
    ifSet(get.apply("RUSTLESS_METRICS_PORT"), v -> b.metricsPort(Integer.parseInt(v)));
    ifSet(get.apply("RUSTLESS_HEALTH_PORT"), v -> b.healthPort(Integer.parseInt(v)));
    ifSet(get.apply("RUSTLESS_ALLOWED_BUILDER_IMAGES"), v -> b.allowedBuilderImages(csv(v)));
    ifSet(
        get.apply("RUSTLESS_MAX_CONCURRENT_BUILDS"),
        v -> b.maxConcurrentBuilds(Integer.parseInt(v)));
    ifSet(get.apply("RUSTLESS_BUILD_MAX_ATTEMPTS"), v -> b.buildMaxAttempts(Integer.parseInt(v)));
    ifSet(get.apply("RUSTLESS_GIT_INTERVAL"), v -> b.gitInterval(Duration.parse(v)));
    ifSet(get.apply("RUSTLESS_READ_GIT_SECRETS"), v -> b.readGitSecrets(bool(v)));
    ifSet(get.apply("RUSTLESS_INSTANCE"), b::instance);
    ifSet(get.apply("RUSTLESS_OWNER_ANCHOR"), b::ownerAnchor);
    ifSet(
        get.apply("RUSTLESS_ORPHAN_SWEEP_INTERVAL"), v -> b.orphanSweepInterval(Duration.parse(v)));
    ifSet(
        get.apply("RUSTLESS_BUILD_NETWORK_POLICY"),
        v -> b.buildNetworkPolicy(BuildNetworkPolicySettings.parse(v)));
    return b.build();
  }

  private static void ifSet(String value, java.util.function.Consumer<String> setter) {
    if (value != null) {
      setter.accept(value);
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  private static Set<String> csv(String value) {
    return Arrays.stream(value.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
  }

  /** A container's {@code resources} as JSON (what the chart renders from its values). */
  private static ResourceRequirements resources(String json) {
    try {
      return new KubernetesSerialization().unmarshal(json, ResourceRequirements.class);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "RUSTLESS_BUILD_RESOURCES is not a container's resources as JSON: " + json, e);
    }
  }

  /**
   * Requests and limits of a build: Maven and TeaVM's child JVM need about 1 GiB; the workspace and
   * /tmp emptyDirs hold the copied checkout and the build output (about 100 MB).
   */
  public static ResourceRequirements defaultBuildResources() {
    return new ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity("500m"))
        .addToRequests("memory", new Quantity("1Gi"))
        .addToRequests("ephemeral-storage", new Quantity("1Gi"))
        .addToLimits("memory", new Quantity("2Gi"))
        .addToLimits("ephemeral-storage", new Quantity("4Gi"))
        .build();
  }

  private static boolean bool(String value) {
    return switch (value.toLowerCase(java.util.Locale.ROOT)) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> throw new IllegalArgumentException("not a boolean: " + value);
    };
  }

  /** Builder with the production defaults. */
  public static final class Builder {
    private String builderImage = DEFAULT_BUILDER_IMAGE;
    private String sdkVersion = OperatorVersion.sdkVersion();
    private Set<String> watchNamespaces = Set.of();
    private Set<String> wasmPluginNamespaces = Set.of(DEFAULT_WASMPLUGIN_NAMESPACE);
    private Duration buildRetryBase = Duration.ofMinutes(1);
    private Duration buildRetryMax = Duration.ofHours(1);
    private long buildUser = DEFAULT_BUILD_USER;
    private ResourceRequirements buildResources = defaultBuildResources();
    private Set<String> plainHttpRegistries = Set.of();
    private boolean leaderElection = false;
    private String leaseName = "rustless-operator";
    private String leaseNamespace = "default";
    private boolean exitOnLostLeadership = true;
    private int metricsPort = 8080;
    private int healthPort = 8081;
    private String defaultWasmPluginNamespace;
    private Set<String> allowedBuilderImages = Set.of();
    private int maxConcurrentBuilds = 10;
    private int buildMaxAttempts = 6;
    private Duration gitInterval = Duration.ofMinutes(5);
    private boolean readGitSecrets = false;
    private String instance = DEFAULT_INSTANCE;
    private String ownerAnchor;
    private Duration orphanSweepInterval = Duration.ofMinutes(5);
    private BuildNetworkPolicySettings buildNetworkPolicy;

    private Builder() {}

    public Builder builderImage(String v) {
      builderImage = v;
      return this;
    }

    public Builder sdkVersion(String v) {
      sdkVersion = v;
      return this;
    }

    public Builder watchNamespaces(Set<String> v) {
      watchNamespaces = v;
      return this;
    }

    public Builder wasmPluginNamespaces(Set<String> v) {
      wasmPluginNamespaces = v;
      return this;
    }

    public Builder buildRetryBase(Duration v) {
      buildRetryBase = v;
      return this;
    }

    public Builder buildRetryMax(Duration v) {
      buildRetryMax = v;
      return this;
    }

    public Builder buildUser(long v) {
      buildUser = v;
      return this;
    }

    public Builder buildResources(ResourceRequirements v) {
      buildResources = v;
      return this;
    }

    public Builder plainHttpRegistries(Set<String> v) {
      plainHttpRegistries = v;
      return this;
    }

    public Builder leaderElection(boolean v) {
      leaderElection = v;
      return this;
    }

    public Builder leaseName(String v) {
      leaseName = v;
      return this;
    }

    public Builder leaseNamespace(String v) {
      leaseNamespace = v;
      return this;
    }

    public Builder exitOnLostLeadership(boolean v) {
      exitOnLostLeadership = v;
      return this;
    }

    public Builder metricsPort(int v) {
      metricsPort = v;
      return this;
    }

    public Builder healthPort(int v) {
      healthPort = v;
      return this;
    }

    /** Unset: the only entry of {@code wasmPluginNamespaces}, else {@code higress-system}. */
    public Builder defaultWasmPluginNamespace(String v) {
      defaultWasmPluginNamespace = v;
      return this;
    }

    public Builder allowedBuilderImages(Set<String> v) {
      allowedBuilderImages = v;
      return this;
    }

    public Builder maxConcurrentBuilds(int v) {
      maxConcurrentBuilds = v;
      return this;
    }

    public Builder buildMaxAttempts(int v) {
      buildMaxAttempts = v;
      return this;
    }

    public Builder gitInterval(Duration v) {
      gitInterval = v;
      return this;
    }

    public Builder readGitSecrets(boolean v) {
      readGitSecrets = v;
      return this;
    }

    public Builder instance(String v) {
      instance = v;
      return this;
    }

    public Builder ownerAnchor(String v) {
      ownerAnchor = v;
      return this;
    }

    public Builder orphanSweepInterval(Duration v) {
      orphanSweepInterval = v;
      return this;
    }

    public Builder buildNetworkPolicy(BuildNetworkPolicySettings v) {
      buildNetworkPolicy = v;
      return this;
    }

    public OperatorConfig build() {
      String defaultNamespace = defaultWasmPluginNamespace;
      if (defaultNamespace == null || defaultNamespace.isBlank()) {
        defaultNamespace =
            wasmPluginNamespaces.size() == 1
                ? wasmPluginNamespaces.iterator().next()
                : DEFAULT_WASMPLUGIN_NAMESPACE;
      }
      return new OperatorConfig(
          builderImage,
          sdkVersion,
          watchNamespaces,
          wasmPluginNamespaces,
          buildRetryBase,
          buildRetryMax,
          buildUser,
          buildResources,
          plainHttpRegistries,
          leaderElection,
          leaseName,
          leaseNamespace,
          exitOnLostLeadership,
          metricsPort,
          healthPort,
          defaultNamespace,
          allowedBuilderImages,
          maxConcurrentBuilds,
          buildMaxAttempts,
          gitInterval,
          readGitSecrets,
          instance,
          Optional.ofNullable(ownerAnchor).filter(s -> !s.isBlank()),
          orphanSweepInterval,
          Optional.ofNullable(buildNetworkPolicy));
    }
  }
}
