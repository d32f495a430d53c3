package io.rustless.operator.validation;

import io.rustless.operator.Names;
import io.rustless.operator.OperatorConfig;
import io.rustless.operator.build.BuildInputs;
import io.rustless.operator.build.SourceRef;
import io.rustless.operator.customresource.MatchRule;
import io.rustless.operator.customresource.Reasons;
import io.rustless.operator.customresource.RustlessWasmPluginSource;
import io.rustless.operator.customresource.WasmPluginReference;
import io.rustless.operator.git.GitDurations;
import io.rustless.operator.git.GitRepositoryUrl;
import io.rustless.operator.higress.DesiredWasmPlugin;
import io.rustless.operator.higress.WasmPluginSchema;
import io.rustless.operator.higress.WasmPluginSpec;
import io.rustless.operator.policy.Patterns;
import io.rustless.operator.policy.RustlessPolicy;
import io.rustless.operator.policy.Tenancy;
import io.rustless.operator.policy.Violation;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Everything checked before a source may build or publish, in one pure function: the spec itself,
 * the operator's rules (WasmPlugin namespaces, builder images, git credentials), the platform
 * team's {@link RustlessPolicy}, the extension's config schema and the cluster's WasmPlugin CRD. A
 * refusal names what broke; nothing is then written to the gateway namespace.
 */
public final class Admission {

  public static final String BUILDER_IMAGE_ALLOWED = "builder-image-allowed";
  public static final String GIT_CREDENTIALS_IN_SECRET = "git-credentials-in-secret";

  private final OperatorConfig config;
  private final Catalogue catalogue;
  private final ConfigValidator validator = new ConfigValidator();

  public Admission(OperatorConfig config, Catalogue catalogue) {
    this.config = config;
    this.catalogue = catalogue;
  }

  /** The outcome. */
  public sealed interface Verdict {

    /** Where the source's WasmPlugin goes, when that is known. */
    Optional<WasmPluginReference> target();

    /**
     * @param inputs the build settings (a git source not yet at its resolved commit)
     * @param spec the WasmPlugin spec to serve, without url
     * @param configReason {@code Valid} or {@code NoSchema}
     * @param configMessage what was checked
     */
    record Admitted(
        BuildInputs inputs,
        WasmPluginReference wasmPlugin,
        WasmPluginSpec spec,
        String configReason,
        String configMessage)
        implements Verdict {
      @Override
      public Optional<WasmPluginReference> target() {
        return Optional.of(wasmPlugin);
      }
    }

    /**
     * @param reason the ConfigValid reason
     * @param message what is wrong, with the spec path and (for policies) the rule's name
     */
    record Rejected(String reason, String message, Optional<WasmPluginReference> target)
        implements Verdict {}
  }

  /** The cluster state admission reads. */
  public record World(
      Collection<RustlessPolicy> policies, Optional<WasmPluginSchema> wasmPluginSchema) {}

  public Verdict check(RustlessWasmPluginSource source, World world) {
    String namespace = source.getMetadata().getNamespace();
    var spec = source.getSpec();
    Optional<WasmPluginReference> target = Optional.empty();
    try {
      target = Optional.of(Names.wasmPlugin(source, config));
      BuildInputs inputs = BuildInputs.from(spec, config);
      if (inputs.source() instanceof SourceRef.Git git) {
        if (GitRepositoryUrl.hasCredentials(git.repository())) {
          return policy(
              target,
              new Violation(
                  GIT_CREDENTIALS_IN_SECRET,
                  "spec.source.git.repository carries credentials; put them in a"
                      + " kubernetes.io/basic-auth Secret and name it in"
                      + " spec.source.git.secretRef (they are never copied into status or"
                      + " build arguments)"));
        }
        Optional<String> problem = GitRepositoryUrl.problem(git.repository());
        if (problem.isPresent()) {
          return new Verdict.Rejected(Reasons.INVALID_SPEC, problem.get(), target);
        }
        String interval = spec.getSource().getGit().getInterval();
        if (interval != null) {
          try {
            GitDurations.parse(interval);
          } catch (IllegalArgumentException e) {
            return new Verdict.Rejected(
                Reasons.INVALID_SPEC, "spec.source.git.interval: " + e.getMessage(), target);
          }
        }
      }
      if (!builderImageAllowed(inputs.builderImage())) {
        return policy(
            target,
            new Violation(
                BUILDER_IMAGE_ALLOWED,
                "spec.build.builderImage \""
                    + inputs.builderImage()
                    + "\" is not in the operator's allowedBuilderImages ("
                    + String.join(", ", allowedBuilderImages())
                    + ")"));
      }
      WasmPluginReference wp = target.get();
      if (!config.wasmPluginNamespaces().contains(wp.getNamespace())) {
        return new Verdict.Rejected(
            Reasons.NAMESPACE_NOT_ALLOWED,
            "spec.wasmPlugin.namespace "
                + wp.getNamespace()
                + " is not one this operator writes WasmPlugins to ("
                + String.join(", ", config.wasmPluginNamespaces().stream().sorted().toList())
                + "); Higress reads WasmPlugins only from its own namespace",
            target);
      }
      Optional<String> rules =
          ruleWithoutTarget(
              spec.getWasmPlugin() == null ? null : spec.getWasmPlugin().getMatchRules());
      if (rules.isPresent()) {
        return new Verdict.Rejected(Reasons.INVALID_SPEC, rules.get(), target);
      }
      WasmPluginSpec desired =
          DesiredWasmPlugin.spec(spec.getWasmPlugin(), namespace, wp.getNamespace());
      List<Violation> violations =
          Tenancy.check(namespace, wp.getNamespace(), desired, world.policies());
      if (!violations.isEmpty()) {
        return new Verdict.Rejected(
            Reasons.POLICY_VIOLATION,
            violations.stream().map(Violation::toString).collect(Collectors.joining("; ")),
            target);
      }
      ConfigCheck config = validateConfig(source, inputs.source());
      if (world.wasmPluginSchema().isEmpty()) {
        return new Verdict.Rejected(
            Reasons.WASMPLUGIN_CRD_NOT_FOUND,
            "the cluster has no served "
                + WasmPluginSchema.CRD_NAME
                + " v1alpha1 (install Higress first)",
            target);
      }
      List<String> unsupported =
          world
              .wasmPluginSchema()
              .get()
              .unsupportedFields(
                  DesiredWasmPlugin.withImage(desired, "x/y@sha256:" + "0".repeat(64)));
      if (!unsupported.isEmpty()) {
        return new Verdict.Rejected(
            Reasons.FIELD_NOT_SUPPORTED,
            "the cluster's WasmPlugin CRD (installed by its Higress version) has no field "
                + unsupported.stream()
                    .map(f -> "spec.wasmPlugin." + f)
                    .collect(Collectors.joining(", "))
                + "; the API server would drop it and the rule would mean something else"
                + " (service match rules need Higress 2.0 or later)",
            target);
      }
      return new Verdict.Admitted(inputs, wp, desired, config.reason(), config.message());
    } catch (InvalidSpecException e) {
      return new Verdict.Rejected(e.reason(), e.getMessage(), target);
    }
  }

  private static Verdict.Rejected policy(
      Optional<WasmPluginReference> target, Violation violation) {
    return new Verdict.Rejected(Reasons.POLICY_VIOLATION, violation.toString(), target);
  }

  /** The default builder image, and the operator's allowedBuilderImages patterns. */
  private List<String> allowedBuilderImages() {
    var all = new java.util.TreeSet<>(config.allowedBuilderImages());
    all.add(config.builderImage());
    return List.copyOf(all);
  }

  private boolean builderImageAllowed(String image) {
    return allowedBuilderImages().stream().anyMatch(p -> Patterns.glob(p, image));
  }

  private static Optional<String> ruleWithoutTarget(List<MatchRule> rules) {
    if (rules == null) {
      return Optional.empty();
    }
    for (int i = 0; i < rules.size(); i++) {
      MatchRule r = rules.get(i);
      if (r == null || (empty(r.getIngress()) && empty(r.getDomain()) && empty(r.getService()))) {
        return Optional.of(
            "spec.wasmPlugin.matchRules["
                + i
                + "]: set at least one of ingress, domain or service");
      }
    }
    return Optional.empty();
  }

  private static boolean empty(List<String> list) {
    return list == null || list.isEmpty();
  }

  private record ConfigCheck(String reason, String message) {}

  /** ConfigValid=True's reason and message; throws InvalidSpecException when the config is bad. */
  private ConfigCheck validateConfig(RustlessWasmPluginSource source, SourceRef ref) {
    if (ref instanceof SourceRef.Git git) {
      return new ConfigCheck(
          Reasons.NO_SCHEMA,
          "git source "
              + git.repository()
              + ": its spec.yaml is known only after the build, so the config was not validated");
    }
    String extension = ((SourceRef.Extension) ref).name();
    ExtensionSchema schema;
    try {
      schema =
          catalogue
              .find(extension)
              .orElseThrow(
                  () ->
                      new InvalidSpecException(
                          Reasons.UNKNOWN_EXTENSION,
                          "extension "
                              + extension
                              + " is not in this operator's catalogue (the extensions/*/spec.yaml"
                              + " it was built with)"));
    } catch (CatalogueException e) {
      throw new InvalidSpecException(Reasons.UNKNOWN_EXTENSION, e.getMessage());
    }
    List<ConfigError> errors = validator.validate(source.getSpec().getWasmPlugin(), schema);
    if (!errors.isEmpty()) {
      throw new InvalidSpecException(
          Reasons.INVALID_CONFIG,
          errors.stream().map(ConfigError::toString).collect(Collectors.joining("; ")));
    }
    return new ConfigCheck(Reasons.VALID, "config matches the spec.yaml schema of " + extension);
  }
}
