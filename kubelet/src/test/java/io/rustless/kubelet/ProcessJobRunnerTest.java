package io.rustless.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Job runner with its pods run as local processes (what {@code rustless dev} uses where podman
 * cannot run the builder image): the same Job controller and kubelet writes as with podman, the
 * container's paths (volume mounts, the termination message path) rewritten to local ones in the
 * command line and the env.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class ProcessJobRunnerTest {

  static final String NS = "runner";
  static final String IMAGE = "localhost/rustless/builder:test";
  static KubernetesMockServer server;
  static KubernetesClient client;
  static JobRunner runner;

  @BeforeAll
  static void startRunner() {
    var image =
        new ProcessImage(
            IMAGE, Map.of("sh", List.of("/bin/sh")), Map.of("FROM_IMAGE", "image-env"));
    runner = JobRunner.builder(client, image).podBackoff(Duration.ofMillis(200)).start();
  }

  @AfterAll
  static void stopRunner() {
    if (runner != null) {
      runner.close();
      assertThat(runner.errors()).as("runner errors").isEmpty();
    }
  }

  @Test
  void aJobRunsAsAProcessWithItsVolumesEnvAndTerminationMessageAtLocalPaths() {
    client
        .secrets()
        .inNamespace(NS)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("push")
                .endMetadata()
                .withStringData(Map.of(".dockerconfigjson", "{\"auths\":{}}"))
                .build())
        .create();
    // Paths reach the process as whole arguments and env values, as they do in a Job's spec.
    String script =
        "cat \"$1/config.json\" > \"$2/copied.json\""
            + " && echo \"$DOCKER_CONFIG|$FROM_IMAGE|$(cat \"$2/copied.json\")\" > \"$3\""
            + " && echo done";
    create(
        job(
            "ok",
            "sh",
            script,
            pod ->
                pod.editFirstContainer()
                    .withArgs("sh", "/var/run/docker", "/work", "/dev/termination-log")
                    .addNewEnv()
                    .withName("DOCKER_CONFIG")
                    .withValue("/var/run/docker")
                    .endEnv()
                    .addNewVolumeMount()
                    .withName("push")
                    .withMountPath("/var/run/docker")
                    .withReadOnly(true)
                    .endVolumeMount()
                    .addNewVolumeMount()
                    .withName("work")
                    .withMountPath("/work")
                    .endVolumeMount()
                    .endContainer()
                    .addNewVolume()
                    .withName("push")
                    .withNewSecret()
                    .withSecretName("push")
                    .withItems(new KeyToPath(".dockerconfigjson", null, "config.json"))
                    .endSecret()
                    .endVolume()
                    .addNewVolume()
                    .withName("work")
                    .withNewEmptyDir()
                    .endEmptyDir()
                    .endVolume()));
    Job done = awaitFinished("ok");
    assertThat(last(done).getType()).isEqualTo("Complete");
    Pod pod = podsOf("ok").get(0);
    assertThat(pod.getSpec().getNodeName()).isEqualTo("local-process");
    ContainerStateTerminated t = terminated(pod);
    assertThat(t.getExitCode()).isZero();
    assertThat(t.getReason()).isEqualTo("Completed");
    // The env value was rewritten to the mount's local directory; the image env came along.
    assertThat(t.getMessage()).matches("/.+/volumes/push\\|image-env\\|\\{\"auths\":\\{\\}\\}\\n");
    assertThat(runner.pods())
        .anySatisfy(
            p -> {
              assertThat(p.job()).isEqualTo("ok");
              assertThat(p.logs()).isEqualTo("done\n");
            });
  }

  @Test
  void aFailureWithoutMessageFallsBackToTheLogsTail() {
    create(job("fails", "sh", "echo first; echo 'last words' >&2; exit 3", pod -> pod));
    Job failed = awaitFinished("fails");
    assertThat(last(failed).getType()).isEqualTo("Failed");
    assertThat(last(failed).getReason()).isEqualTo("BackoffLimitExceeded");
    ContainerStateTerminated t = terminated(podsOf("fails").get(0));
    assertThat(t.getExitCode()).isEqualTo(3);
    assertThat(t.getReason()).isEqualTo("Error");
    assertThat(t.getMessage()).isEqualTo("first\nlast words");
  }

  @Test
  void anotherImageOrAnUnknownCommandStaysPendingWithTheKubeletsReason() {
    create(
        job(
            "other-image",
            "sh",
            "true",
            pod ->
                pod.editFirstContainer().withImage("docker.io/library/busybox:1").endContainer()));
    create(job("unknown-command", "python3", "true", pod -> pod));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                waiting("other-image").contains("ErrImagePull")
                    && waiting("unknown-command").contains("CreateContainerConfigError"));
    assertThat(
            podsOf("other-image")
                .get(0)
                .getStatus()
                .getContainerStatuses()
                .get(0)
                .getState()
                .getWaiting()
                .getMessage())
        .contains("runs only " + IMAGE);
    client.batch().v1().jobs().inNamespace(NS).withName("other-image").delete();
    client.batch().v1().jobs().inNamespace(NS).withName("unknown-command").delete();
  }

  @Test
  void aDeadlineStopsTheProcessAndItsChildren() {
    Job slow =
        job("slow", "sh", "sleep 300 & wait", pod -> pod.withTerminationGracePeriodSeconds(1L));
    slow.getSpec().setActiveDeadlineSeconds(2L);
    create(slow);
    Job failed = awaitFinished("slow");
    assertThat(last(failed).getReason()).isEqualTo("DeadlineExceeded");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                ProcessHandle.current()
                    .descendants()
                    .noneMatch(
                        p ->
                            p.info()
                                .commandLine()
                                .map(c -> c.contains("sleep 300"))
                                .orElse(false)));
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private static Job job(
      String name, String command, String script, UnaryOperator<PodSpecBuilder> pod) {
    var spec =
        new PodSpecBuilder()
            .withRestartPolicy("Never")
            .addNewContainer()
            .withName("main")
            .withImage(IMAGE)
            .withCommand(command, "-c", script)
            .withTerminationMessagePolicy("FallbackToLogsOnError")
            .endContainer();
    return new JobBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(NS)
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(0)
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(Map.of("app", name))
        .endMetadata()
        .withSpec(pod.apply(spec).build())
        .endTemplate()
        .endSpec()
        .build();
  }

  private static void create(Job job) {
    client.batch().v1().jobs().inNamespace(NS).resource(job).create();
  }

  private static Job awaitFinished(String name) {
    return await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> client.batch().v1().jobs().inNamespace(NS).withName(name).get(),
            j ->
                j != null
                    && j.getStatus() != null
                    && j.getStatus().getConditions() != null
                    && j.getStatus().getConditions().stream()
                        .anyMatch(
                            c ->
                                ("Complete".equals(c.getType()) || "Failed".equals(c.getType()))
                                    && "True".equals(c.getStatus())));
  }

  private static String waiting(String job) {
    List<Pod> pods = podsOf(job);
    if (pods.isEmpty() || pods.get(0).getStatus() == null) {
      return "";
    }
    var statuses = pods.get(0).getStatus().getContainerStatuses();
    if (statuses == null || statuses.isEmpty() || statuses.get(0).getState().getWaiting() == null) {
      return "";
    }
    return statuses.get(0).getState().getWaiting().getReason();
  }

  private static JobCondition last(Job job) {
    var conditions = job.getStatus().getConditions();
    return conditions.get(conditions.size() - 1);
  }

  private static List<Pod> podsOf(String job) {
    return client.pods().inNamespace(NS).withLabel("job-name", job).list().getItems();
  }

  private static ContainerStateTerminated terminated(Pod pod) {
    return pod.getStatus().getContainerStatuses().get(0).getState().getTerminated();
  }
}
