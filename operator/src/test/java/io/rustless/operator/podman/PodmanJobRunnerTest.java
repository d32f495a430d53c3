package io.rustless.operator.podman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
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
import io.rustless.kubelet.JobRunner;
import io.rustless.kubelet.Podman;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Job runner against the mock API server, with small Jobs on the builder image: what the
 * kubelet and the Job controller would write, for success, failure with the log fallback, the
 * deadline, a deleted Job, and pods the kubelet refuses to start.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class PodmanJobRunnerTest {

  static final String NS = "runner";
  static KubernetesMockServer server;
  static KubernetesClient client;
  static JobRunner runner;
  static String image;

  @BeforeAll
  static void startRunner() {
    image = ContainerTests.builderImage();
    Podman podman = ContainerTests.podmanRunning(image);
    runner = JobRunner.builder(client, podman).podBackoff(Duration.ofSeconds(1)).start();
  }

  @AfterAll
  static void stopRunner() {
    if (runner != null) {
      runner.close();
      assertThat(runner.errors()).isEmpty();
    }
  }

  private static Job job(String name, String script, UnaryOperator<PodSpecBuilder> pod) {
    var spec =
        new PodSpecBuilder()
            .withRestartPolicy("Never")
            .addNewContainer()
            .withName("main")
            .withImage(image)
            .withImagePullPolicy("IfNotPresent")
            .withCommand("sh", "-c", script)
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

  private static Job create(Job job) {
    return client.batch().v1().jobs().inNamespace(NS).resource(job).create();
  }

  private static Job awaitFinished(String name, Duration atMost) {
    return await()
        .atMost(atMost)
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

  @Test
  void aJobRunsItsPodTemplateAsTheKubeletWouldAndCompletes() {
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("creds")
                .withNamespace(NS)
                .endMetadata()
                .withType("kubernetes.io/dockerconfigjson")
                .withData(
                    Map.of(
                        ".dockerconfigjson", b64("{\"auths\":{}}"),
                        "other", b64("not mounted")))
                .build())
        .create();
    String script =
        String.join(
            "; ",
            "m=/dev/termination-log",
            "echo \"id=$(id -u):$(id -g) groups=$(id -G)\" >> $m",
            "echo \"config=$(cat /secret/config.json) files=$(ls /secret | tr '\\n' ' ')\" >> $m",
            "touch /scratch/ok && echo scratch=writable >> $m",
            "touch /etc/x 2>/dev/null || echo root=read-only >> $m",
            "touch /tmp/x 2>/dev/null || echo tmp=read-only >> $m",
            "test -e /var/run/secrets/kubernetes.io/serviceaccount || echo token=absent >> $m",
            "echo \"greeting=$GREETING pod=$POD\" >> $m",
            "grep -E '^(CapEff|NoNewPrivs|Seccomp):' /proc/self/status | tr -d '\\t' >> $m",
            "echo on standard output");
    create(
        job(
            "ok",
            script,
            p ->
                p.withAutomountServiceAccountToken(false)
                    .withNewSecurityContext()
                    .withRunAsNonRoot(true)
                    .withRunAsUser(10001L)
                    .withRunAsGroup(10001L)
                    .withFsGroup(2000L)
                    .withNewSeccompProfile()
                    .withType("RuntimeDefault")
                    .endSeccompProfile()
                    .endSecurityContext()
                    .editFirstContainer()
                    .withNewSecurityContext()
                    .withReadOnlyRootFilesystem(true)
                    .withAllowPrivilegeEscalation(false)
                    .withNewCapabilities()
                    .withDrop("ALL")
                    .endCapabilities()
                    .endSecurityContext()
                    .addNewEnv()
                    .withName("WHO")
                    .withValue("world")
                    .endEnv()
                    .addNewEnv()
                    .withName("GREETING")
                    .withValue("hello-$(WHO)")
                    .endEnv()
                    .addNewEnv()
                    .withName("POD")
                    .withNewValueFrom()
                    .withNewFieldRef()
                    .withFieldPath("metadata.name")
                    .endFieldRef()
                    .endValueFrom()
                    .endEnv()
                    .addNewVolumeMount()
                    .withName("push")
                    .withMountPath("/secret")
                    .withReadOnly(true)
                    .endVolumeMount()
                    .addNewVolumeMount()
                    .withName("scratch")
                    .withMountPath("/scratch")
                    .endVolumeMount()
                    .endContainer()
                    .addNewVolume()
                    .withName("push")
                    .withNewSecret()
                    .withSecretName("creds")
                    .withItems(new KeyToPath(".dockerconfigjson", null, "config.json"))
                    .endSecret()
                    .endVolume()
                    .addNewVolume()
                    .withName("scratch")
                    .withNewEmptyDir()
                    .endEmptyDir()
                    .endVolume()));

    Job job = awaitFinished("ok", Duration.ofMinutes(3));

    assertThat(last(job).getType()).isEqualTo("Complete");
    assertThat(job.getStatus().getSucceeded()).isEqualTo(1);
    assertThat(job.getStatus().getStartTime()).isNotNull();
    assertThat(job.getStatus().getCompletionTime()).isNotNull();
    Pod pod = podsOf("ok").get(0);
    assertThat(pod.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getKind()).isEqualTo("Job");
              assertThat(o.getUid()).isEqualTo(job.getMetadata().getUid());
              assertThat(o.getController()).isTrue();
            });
    assertThat(pod.getMetadata().getLabels()).containsEntry("app", "ok");
    assertThat(pod.getStatus().getPhase()).isEqualTo("Succeeded");
    var t = terminated(pod);
    assertThat(t.getExitCode()).isZero();
    assertThat(t.getReason()).isEqualTo("Completed");
    assertThat(t.getMessage())
        .contains("id=10001:10001 groups=10001 2000")
        .contains("config={\"auths\":{}} files=config.json ")
        .contains("scratch=writable")
        .contains("root=read-only")
        .contains("tmp=read-only")
        .contains("token=absent")
        .contains("greeting=hello-world pod=" + pod.getMetadata().getName())
        .contains("CapEff:0000000000000000")
        .contains("NoNewPrivs:1")
        .contains("Seccomp:2")
        // the message is the file, not the log
        .doesNotContain("on standard output");
  }

  @Test
  void aFailingPodFallsBackToItsLogTailAndTheJobFailsAfterItsBackoffLimit() {
    String script =
        "test -s /var/run/secrets/kubernetes.io/serviceaccount/token && echo token=mounted;"
            + " for i in $(seq 1 100); do echo line $i; done; echo boom >&2; exit 3";
    create(
        job("fails", script, p -> p.editFirstContainer().endContainer()).toBuilder()
            .editSpec()
            .withBackoffLimit(1)
            .endSpec()
            .build());

    Job job = awaitFinished("fails", Duration.ofMinutes(3));

    assertThat(last(job).getType()).isEqualTo("Failed");
    assertThat(last(job).getReason()).isEqualTo("BackoffLimitExceeded");
    assertThat(job.getStatus().getFailed()).isEqualTo(2);
    List<Pod> pods = podsOf("fails");
    assertThat(pods).hasSize(2);
    for (Pod pod : pods) {
      var t = terminated(pod);
      assertThat(t.getExitCode()).isEqualTo(3);
      assertThat(t.getReason()).isEqualTo("Error");
      // FallbackToLogsOnError: the last 80 lines of the log (at most 2048 bytes).
      List<String> lines = t.getMessage().lines().toList();
      assertThat(lines).hasSize(80).endsWith("boom");
      assertThat(lines.get(0)).isEqualTo("line 22");
      assertThat(pod.getStatus().getPhase()).isEqualTo("Failed");
    }
    assertThat(runner.pods())
        .filteredOn(r -> r.job().equals("fails"))
        .allSatisfy(r -> assertThat(r.logs()).startsWith("token=mounted\nline 1\n"));
  }

  @Test
  void theDeadlineStopsThePodAndFailsTheJob() {
    create(
        job("slow", "echo started; sleep 300", p -> p.withTerminationGracePeriodSeconds(1L))
            .toBuilder()
            .editSpec()
            .withActiveDeadlineSeconds(30L)
            .endSpec()
            .build());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> runner.runningLogs(NS, "slow").filter(l -> l.contains("started")).isPresent());

    Job job = awaitFinished("slow", Duration.ofMinutes(2));

    assertThat(last(job).getReason()).isEqualTo("DeadlineExceeded");
    assertThat(last(job).getMessage()).isEqualTo("Job was active longer than specified deadline");
    assertThat(job.getStatus().getFailed()).isEqualTo(1);
    // sleep as PID 1 ignores SIGTERM: killed when the grace period ends.
    assertThat(runner.pods())
        .filteredOn(r -> r.job().equals("slow"))
        .singleElement()
        .satisfies(r -> assertThat(r.exitCode()).isEqualTo(137));
    await().atMost(Duration.ofSeconds(20)).until(() -> podsOf("slow").isEmpty());
  }

  @Test
  void deletingARunningJobStopsAndDeletesItsPod() {
    create(job("deleted", "echo started; sleep 300", p -> p.withTerminationGracePeriodSeconds(1L)));
    await()
        .atMost(Duration.ofMinutes(2))
        .until(
            () -> runner.runningLogs(NS, "deleted").filter(l -> l.contains("started")).isPresent());

    client.batch().v1().jobs().inNamespace(NS).withName("deleted").delete();

    await().atMost(Duration.ofSeconds(30)).until(() -> podsOf("deleted").isEmpty());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> runner.pods().stream().anyMatch(r -> r.job().equals("deleted")));
  }

  @Test
  void podsTheKubeletRefusesStayPendingWithItsReasonUntilTheDeadline() {
    create(
        job(
                "as-root",
                "true",
                p ->
                    p.withNewSecurityContext()
                        .withRunAsNonRoot(true)
                        .withRunAsUser(0L)
                        .endSecurityContext())
            .toBuilder()
            .editSpec()
            .withActiveDeadlineSeconds(15L)
            .endSpec()
            .build());
    create(
        job(
                "no-image",
                "true",
                p ->
                    p.editFirstContainer()
                        .withImage("localhost/not/there:1")
                        .withImagePullPolicy("Never")
                        .endContainer())
            .toBuilder()
            .editSpec()
            .withActiveDeadlineSeconds(15L)
            .endSpec()
            .build());
    create(
        job(
                "no-secret",
                "true",
                p ->
                    p.addNewVolume()
                        .withName("s")
                        .withNewSecret()
                        .withSecretName("missing")
                        .endSecret()
                        .endVolume())
            .toBuilder()
            .editSpec()
            .withActiveDeadlineSeconds(15L)
            .endSpec()
            .build());

    assertThat(waitingReason("as-root"))
        .satisfies(
            w -> {
              assertThat(w.getReason()).isEqualTo("CreateContainerConfigError");
              assertThat(w.getMessage()).isEqualTo("container's runAsUser breaks non-root policy");
            });
    assertThat(waitingReason("no-image").getReason()).isEqualTo("ErrImageNeverPull");
    assertThat(waitingReason("no-secret").getMessage()).contains("secret \"missing\" not found");
    for (String name : List.of("as-root", "no-image", "no-secret")) {
      assertThat(last(awaitFinished(name, Duration.ofSeconds(60))).getReason())
          .isEqualTo("DeadlineExceeded");
    }
  }

  private static ContainerStateWaiting waitingReason(String job) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                podsOf(job).stream()
                    .map(p -> p.getStatus().getContainerStatuses())
                    .filter(s -> s != null && !s.isEmpty())
                    .map(s -> s.get(0).getState().getWaiting())
                    .filter(w -> w != null)
                    .findFirst(),
            Optional::isPresent)
        .orElseThrow();
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
