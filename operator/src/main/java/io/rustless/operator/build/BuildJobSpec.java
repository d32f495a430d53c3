package io.rustless.operator.build;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.rustless.operator.Names;
import io.rustless.operator.customresource.RustlessWasmPluginSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The build Job: one container running {@code rustless publish} in the builder image, non-root
 * under the restricted Pod Security profile, the push secret mounted as a docker config, the result
 * in the termination message. Never retried by the Job itself ({@code backoffLimit: 0}); the
 * operator decides retries. No {@code ttlSecondsAfterFinished}: the operator deletes a finished Job
 * itself once its result is in the source's status, so a TTL can never lose a result.
 *
 * <p>What it agrees on with the builder image ({@code docker/builder.Dockerfile}): the image's user
 * 10001 (the operator's default build user); a read-only root file system, so the {@code rustless}
 * command copies the image's checkout to {@code RUSTLESS_WORKSPACE} (an emptyDir) and Maven writes
 * there; {@code HOME} and {@code java.io.tmpdir} on the {@code /tmp} emptyDir; Maven offline from
 * the image's repository (its global settings, and {@code --offline}). Nothing from the network but
 * the registry, and the git host for git sources; no service-account token; no capabilities.
 */
public final class BuildJobSpec {

  public static final String CONTAINER = "build";
  public static final String DOCKER_CONFIG_DIR = "/var/run/rustless/docker";
  public static final String TERMINATION_LOG = "/dev/termination-log";

  /**
   * The exit status of {@code rustless publish} when the registry refused or could not be reached
   * ({@code io.rustless.cli.ExitCode.REGISTRY}): a failure to publish, not to build.
   */
  public static final int REGISTRY_EXIT_CODE = 4;

  /** The copy of the builder image's checkout that Maven builds in (an emptyDir). */
  public static final String WORKSPACE_DIR = "/workspace";

  private static final String PUSH_SECRET_VOLUME = "push-secret";
  private static final String TMP_VOLUME = "tmp";
  private static final String WORKSPACE_VOLUME = "workspace";
  // A build uses ~100 MB of workspace; bounded so a runaway build is evicted, not the node's disk.
  private static final Quantity WORKSPACE_LIMIT = new Quantity("2Gi");
  private static final Quantity TMP_LIMIT = new Quantity("1Gi");

  private BuildJobSpec() {}

  /** The command-line arguments of {@code rustless} for this build. */
  public static List<String> publishArgs(BuildInputs inputs) {
    var args = new ArrayList<String>();
    args.add("publish");
    args.addAll(inputs.source().publishArgs());
    // Maven must not reach for the network: everything is in the image's repository.
    args.add("--offline");
    if (inputs.plainHttp()) {
      args.add("--plain-http");
    }
    args.add("--image");
    args.add(inputs.imageRepository() + ":" + Names.imageTag(inputs.source(), inputs.key()));
    args.add("--termination-log");
    args.add(TERMINATION_LOG);
    return List.copyOf(args);
  }

  public static Job create(
      RustlessWasmPluginSource owner,
      BuildInputs inputs,
      int attempt,
      String jobName,
      long buildUser) {
    var meta = owner.getMetadata();
    Map<String, String> labels =
        Map.of(
            Names.MANAGED_BY_LABEL, Names.OPERATOR,
            Names.COMPONENT_LABEL, Names.BUILD_COMPONENT,
            Names.SOURCE_LABEL, Names.sourceLabel(owner));
    Map<String, String> annotations =
        Map.of(
            Names.SOURCE_NAME_ANNOTATION, meta.getName(),
            Names.SOURCE_NAMESPACE_ANNOTATION, meta.getNamespace(),
            Names.BUILD_KEY_ANNOTATION, inputs.key().hex(),
            Names.ATTEMPT_ANNOTATION, Integer.toString(attempt),
            Names.GENERATION_ANNOTATION, String.valueOf(meta.getGeneration()));
    var container =
        new ContainerBuilder()
            .withName(CONTAINER)
            .withImage(inputs.builderImage())
            .withImagePullPolicy("IfNotPresent")
            .withCommand("rustless")
            .withArgs(publishArgs(inputs))
            .addNewEnv()
            .withName("DOCKER_CONFIG")
            .withValue(DOCKER_CONFIG_DIR)
            .endEnv()
            .addNewEnv()
            .withName("HOME")
            .withValue("/tmp")
            .endEnv()
            .addNewEnv()
            .withName("RUSTLESS_WORKSPACE")
            .withValue(WORKSPACE_DIR)
            .endEnv()
            .withResources(inputs.resources())
            .withTerminationMessagePath(TERMINATION_LOG)
            .withTerminationMessagePolicy("FallbackToLogsOnError")
            .withSecurityContext(
                new SecurityContextBuilder()
                    .withAllowPrivilegeEscalation(false)
                    .withReadOnlyRootFilesystem(true)
                    .withRunAsNonRoot(true)
                    .withRunAsUser(buildUser)
                    .withRunAsGroup(buildUser)
                    .withCapabilities(new Capabilities(null, List.of("ALL")))
                    .withSeccompProfile(new SeccompProfile(null, "RuntimeDefault"))
                    .build())
            .withVolumeMounts(
                new VolumeMountBuilder()
                    .withName(PUSH_SECRET_VOLUME)
                    .withMountPath(DOCKER_CONFIG_DIR)
                    .withReadOnly(true)
                    .build(),
                new VolumeMountBuilder().withName(TMP_VOLUME).withMountPath("/tmp").build(),
                new VolumeMountBuilder()
                    .withName(WORKSPACE_VOLUME)
                    .withMountPath(WORKSPACE_DIR)
                    .build())
            .build();
    Job job =
        new JobBuilder()
            .withNewMetadata()
            .withName(jobName)
            .withNamespace(meta.getNamespace())
            .withLabels(labels)
            .withAnnotations(annotations)
            .endMetadata()
            .withNewSpec()
            .withBackoffLimit(0)
            .withActiveDeadlineSeconds(inputs.timeoutSeconds())
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(withJob(labels, jobName))
            .withAnnotations(annotations)
            .endMetadata()
            .withNewSpec()
            .withRestartPolicy("Never")
            .withAutomountServiceAccountToken(false)
            .withEnableServiceLinks(false)
            .withSecurityContext(
                new PodSecurityContextBuilder()
                    .withRunAsNonRoot(true)
                    .withRunAsUser(buildUser)
                    .withRunAsGroup(buildUser)
                    .withFsGroup(buildUser)
                    .withSeccompProfile(new SeccompProfile(null, "RuntimeDefault"))
                    .build())
            .withContainers(container)
            .withVolumes(
                new VolumeBuilder()
                    .withName(PUSH_SECRET_VOLUME)
                    .withNewSecret()
                    .withSecretName(inputs.pushSecret())
                    .withItems(new KeyToPath(".dockerconfigjson", null, "config.json"))
                    .endSecret()
                    .build(),
                new VolumeBuilder()
                    .withName(TMP_VOLUME)
                    .withNewEmptyDir()
                    .withSizeLimit(TMP_LIMIT)
                    .endEmptyDir()
                    .build(),
                new VolumeBuilder()
                    .withName(WORKSPACE_VOLUME)
                    .withNewEmptyDir()
                    .withSizeLimit(WORKSPACE_LIMIT)
                    .endEmptyDir()
                    .build())
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    if (inputs.source() instanceof SourceRef.Git git && git.secretName().isPresent()) {
      GitCredentialsMount.addTo(job.getSpec().getTemplate().getSpec(), git.secretName().get());
    }
    return job;
  }

  private static Map<String, String> withJob(Map<String, String> labels, String jobName) {
    var copy = new java.util.HashMap<>(labels);
    copy.put(Names.BUILD_JOB_LABEL, jobName);
    return Map.copyOf(copy);
  }
}
