package io.rustless.operator.build;

import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.rustless.operator.OperatorConfig;
import io.rustless.operator.customresource.BuildSettings;
import io.rustless.operator.customresource.ExtensionSource;
import io.rustless.operator.customresource.GitSource;
import io.rustless.operator.customresource.ImageTarget;
import io.rustless.operator.customresource.Reasons;
import io.rustless.operator.customresource.RustlessWasmPluginSourceSpec;
import io.rustless.operator.validation.InvalidSpecException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A source's build settings with the operator's defaults applied and checked. The defaults live
 * here, not in the CRD, so the stored spec stays what the user wrote (no GitOps drift).
 *
 * @param source what to build
 * @param imageRepository where to push, without tag or digest
 * @param pushSecret dockerconfigjson secret for the push
 * @param builderImage the image that runs {@code rustless publish}
 * @param key the build key of these inputs
 * @param timeoutSeconds Job activeDeadlineSeconds
 * @param resources build container resources
 * @param ttlSecondsAfterFinished how long a finished Job whose result is recorded is kept
 * @param successfulHistoryLimit succeeded Jobs kept
 * @param failedHistoryLimit failed Jobs kept
 * @param plainHttp push over plain HTTP (the registry is one of the operator's plain-HTTP ones)
 */
public record BuildInputs(
    SourceRef source,
    String imageRepository,
    String pushSecret,
    String builderImage,
    BuildKey key,
    long timeoutSeconds,
    ResourceRequirements resources,
    int ttlSecondsAfterFinished,
    int successfulHistoryLimit,
    int failedHistoryLimit,
    boolean plainHttp) {

  public static final long DEFAULT_TIMEOUT_SECONDS = 1800;
  public static final int DEFAULT_TTL_SECONDS = 86_400;
  public static final int DEFAULT_SUCCESSFUL_HISTORY = 1;
  public static final int DEFAULT_FAILED_HISTORY = 3;

  /** Repository without tag or digest: host[:port]/path, lowercase path components. */
  private static final Pattern REPOSITORY =
      Pattern.compile("[a-zA-Z0-9.-]+(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)+");

  /** The same inputs building {@code resolved} (a git source at its resolved commit). */
  public BuildInputs withSource(SourceRef resolved, OperatorConfig config) {
    return new BuildInputs(
        resolved,
        imageRepository,
        pushSecret,
        builderImage,
        BuildKey.of(resolved, config.sdkVersion(), builderImage, imageRepository),
        timeoutSeconds,
        resources,
        ttlSecondsAfterFinished,
        successfulHistoryLimit,
        failedHistoryLimit,
        plainHttp);
  }

  public static BuildInputs from(RustlessWasmPluginSourceSpec spec, OperatorConfig config) {
    if (spec == null) {
      throw invalid("spec is missing");
    }
    SourceRef source = source(spec.getSource());
    ImageTarget image = spec.getImage();
    if (image == null || blank(image.getRepository())) {
      throw invalid("spec.image.repository is required");
    }
    if (!REPOSITORY.matcher(image.getRepository()).matches()) {
      throw invalid(
          "spec.image.repository must be registry/path without tag or digest, got "
              + image.getRepository());
    }
    if (blank(image.getPushSecret())) {
      throw invalid("spec.image.pushSecret is required");
    }
    var build = Optional.ofNullable(spec.getBuild()).orElseGet(BuildSettings::new);
    String builderImage =
        blank(build.getBuilderImage()) ? config.builderImage() : build.getBuilderImage();
    return new BuildInputs(
        source,
        image.getRepository(),
        image.getPushSecret(),
        builderImage,
        BuildKey.of(source, config.sdkVersion(), builderImage, image.getRepository()),
        Optional.ofNullable(build.getTimeoutSeconds()).orElse(DEFAULT_TIMEOUT_SECONDS),
        Optional.ofNullable(build.getResources()).orElseGet(config::buildResources),
        Optional.ofNullable(build.getTtlSecondsAfterFinished()).orElse(DEFAULT_TTL_SECONDS),
        Optional.ofNullable(build.getSuccessfulBuildsHistoryLimit())
            .orElse(DEFAULT_SUCCESSFUL_HISTORY),
        Optional.ofNullable(build.getFailedBuildsHistoryLimit()).orElse(DEFAULT_FAILED_HISTORY),
        config.plainHttp(registry(image.getRepository())));
  }

  /** The registry part (host[:port]) of a repository. */
  static String registry(String repository) {
    int slash = repository.indexOf('/');
    return slash < 0 ? repository : repository.substring(0, slash);
  }

  private static SourceRef source(ExtensionSource source) {
    if (source == null) {
      throw invalid("spec.source is required");
    }
    boolean hasExtension = !blank(source.getExtension());
    GitSource git = source.getGit();
    if (hasExtension == (git != null)) {
      throw invalid("spec.source: set exactly one of extension or git");
    }
    if (hasExtension) {
      return new SourceRef.Extension(source.getExtension());
    }
    if (blank(git.getRepository()) || blank(git.getRevision())) {
      throw invalid("spec.source.git: repository and revision are required");
    }
    return new SourceRef.Git(
        git.getRepository().strip(),
        git.getRevision().strip(),
        git.getPath(),
        Optional.ofNullable(git.getSecretRef()).map(r -> r.getName()).filter(n -> !n.isBlank()),
        Optional.empty());
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static InvalidSpecException invalid(String message) {
    return new InvalidSpecException(Reasons.INVALID_SPEC, message);
  }
}
