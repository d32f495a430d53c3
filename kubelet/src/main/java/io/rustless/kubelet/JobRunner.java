package io.rustless.kubelet;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Plays the Kubernetes Job controller, TTL controller, garbage collector and kubelet for the {@code
 * batch/v1} Jobs written to an API server (the fabric8 mock server, in tests and in {@code rustless
 * dev}): each Job's pod template runs as a real container with podman ({@link PodmanKubelet}), or
 * as a local process standing in for one image ({@link ProcessKubelet}) where podman cannot run it,
 * and the runner writes back what those components write.
 *
 * <ul>
 *   <li>Job controller: a Pod named {@code <job>-<5 chars>} with the template's labels plus {@code
 *       batch.kubernetes.io/job-name}, {@code job-name}, {@code controller-uid} (and the {@code
 *       batch.kubernetes.io/} form), an ownerReference to the Job (controller, blockOwnerDeletion);
 *       the Job's {@code startTime}, {@code active}/{@code ready}/{@code succeeded}/{@code failed},
 *       {@code completionTime}; on success the conditions {@code SuccessCriteriaMet} and {@code
 *       Complete}, on failure {@code FailureTarget} and {@code Failed} with reason {@code
 *       BackoffLimitExceeded} or {@code DeadlineExceeded} and Kubernetes' messages; a new pod per
 *       failure up to {@code backoffLimit} (delay 10 s doubling, as the controller does, scaled by
 *       {@link Builder#podBackoff}); {@code activeDeadlineSeconds} from {@code startTime} (the pod
 *       is stopped with its grace period and deleted); {@code spec.suspend} before start.
 *   <li>TTL controller: a finished Job is deleted {@code ttlSecondsAfterFinished} later.
 *   <li>Garbage collector: pods owned by a deleted Job are stopped and deleted.
 * </ul>
 *
 * <p>Not done (a real controller does): {@code completions}/{@code parallelism} above 1, indexed
 * Jobs, {@code podFailurePolicy}, {@code successPolicy}, pod replacement policy, suspending a
 * running Job, Events, a pod's own {@code activeDeadlineSeconds}. Jobs asking for them are failed
 * with reason {@code JobRunnerUnsupported} so a test can never pass on a Job this did not run.
 */
public final class JobRunner implements AutoCloseable {

  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** One pod the runner ran (or is running), for tests to look at. */
  public record PodRecord(
      String namespace, String job, String pod, String logs, Integer exitCode) {}

  private final KubernetesClient client;
  private final String namespace;
  private final Duration podBackoff;
  private final Consumer<String> log;
  private final String id = "r" + Long.toHexString(RANDOM.nextLong() & 0xffffffffL);
  private final Path workRoot;
  private final Kubelet kubelet;
  private final ExecutorService jobs = Executors.newCachedThreadPool(daemon("job-runner"));
  private final ScheduledExecutorService timers =
      Executors.newSingleThreadScheduledExecutor(daemon("job-runner-ttl"));
  private final Set<String> started = ConcurrentHashMap.newKeySet();
  private final Set<String> deleted = ConcurrentHashMap.newKeySet();
  private final Map<String, String> activePods = new ConcurrentHashMap<>();
  private final List<PodRecord> finished = new CopyOnWriteArrayList<>();
  private final List<String> errors = new CopyOnWriteArrayList<>();
  private SharedIndexInformer<Job> informer;

  private JobRunner(Builder b) {
    this.client = b.client;
    this.namespace = b.namespace;
    this.podBackoff = b.podBackoff;
    this.log = b.log;
    try {
      this.workRoot = Files.createTempDirectory("rustless-job-runner");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.kubelet =
        b.podman != null
            ? new PodmanKubelet(client, b.podman, workRoot, id, log)
            : new ProcessKubelet(client, b.image, workRoot, id, log);
  }

  /** A runner whose pods run as containers with podman. */
  public static Builder builder(KubernetesClient client, Podman podman) {
    return new Builder(client, java.util.Objects.requireNonNull(podman, "podman"), null);
  }

  /** A runner whose pods run as local processes standing in for {@code image}. */
  public static Builder builder(KubernetesClient client, ProcessImage image) {
    return new Builder(client, null, java.util.Objects.requireNonNull(image, "image"));
  }

  /** How this runner's pods run: {@code podman} or {@code process}. */
  public String runtime() {
    return kubelet.runtimeScheme();
  }

  /** Watches Jobs and runs each new one. */
  public JobRunner start() {
    var jobs =
        namespace == null
            ? client.batch().v1().jobs().inAnyNamespace()
            : client.batch().v1().jobs().inNamespace(namespace);
    informer =
        jobs.inform(
            new ResourceEventHandler<>() {
              @Override
              public void onAdd(Job job) {
                maybeStart(job);
              }

              @Override
              public void onUpdate(Job old, Job job) {
                maybeStart(job);
              }

              @Override
              public void onDelete(Job job, boolean unknownFinalState) {
                deleted.add(job.getMetadata().getUid());
                jobsExecutor().submit(() -> collectGarbage(job));
              }
            },
            0);
    return this;
  }

  private ExecutorService jobsExecutor() {
    return jobs;
  }

  /** Pods run so far, finished ones with their full log. */
  public List<PodRecord> pods() {
    return List.copyOf(finished);
  }

  /** The log so far of the running pod of {@code job}, if one is running. */
  public Optional<String> runningLogs(String jobNamespace, String job) {
    String pod = activePods.get(jobNamespace + "/" + job);
    return pod == null ? Optional.empty() : kubelet.currentLogs(jobNamespace, pod);
  }

  /** Jobs the runner could not run as Kubernetes would (unsupported fields, its own failures). */
  public List<String> errors() {
    return List.copyOf(errors);
  }

  private void maybeStart(Job job) {
    if (Boolean.TRUE.equals(job.getSpec().getSuspend())
        || job.getMetadata().getDeletionTimestamp() != null
        || (job.getStatus() != null && job.getStatus().getStartTime() != null)) {
      return;
    }
    if (started.add(job.getMetadata().getUid())) {
      jobs.submit(
          () -> {
            try {
              runJob(job);
            } catch (RuntimeException | Error e) {
              String msg = "job " + key(job) + ": " + e;
              errors.add(msg);
              log.accept("runner error: " + msg);
            }
          });
    }
  }

  // ---- the Job controller -----------------------------------------------------------------------

  private void runJob(Job job) {
    String uid = job.getMetadata().getUid();
    Instant startTime = Kubelet.now();
    log.accept("job " + key(job) + " started");
    Optional<String> unsupported = unsupported(job);
    if (unsupported.isPresent()) {
      errors.add("job " + key(job) + ": " + unsupported.get());
      writeJobStatus(
          job,
          status(startTime, 0, 0, 0)
              .withConditions(conditions("Failed", "JobRunnerUnsupported", unsupported.get(), true))
              .build());
      return;
    }
    int backoffLimit = Optional.ofNullable(job.getSpec().getBackoffLimit()).orElse(6);
    Long deadlineSeconds = job.getSpec().getActiveDeadlineSeconds();
    Instant deadline = deadlineSeconds == null ? null : startTime.plusSeconds(deadlineSeconds);
    int failed = 0;
    while (true) {
      writeJobStatus(job, status(startTime, 1, 0, failed).build());
      Pod pod = createPod(job);
      activePods.put(key(job), pod.getMetadata().getName());
      Optional<Kubelet.Outcome> outcome =
          kubelet.run(
              pod,
              () -> deleted.contains(uid) || (deadline != null && Instant.now().isAfter(deadline)));
      activePods.remove(key(job));
      finished.add(
          new PodRecord(
              job.getMetadata().getNamespace(),
              job.getMetadata().getName(),
              pod.getMetadata().getName(),
              outcome.map(Kubelet.Outcome::logs).orElse(""),
              outcome.map(Kubelet.Outcome::exitCode).orElse(null)));
      if (deleted.contains(uid)) {
        deletePod(pod);
        return;
      }
      if (outcome.isEmpty() || outcome.get().stopped()) {
        // activeDeadlineSeconds: the controller deletes the active pod and fails the Job.
        deletePod(pod);
        finish(
            job,
            status(startTime, 0, 0, failed + 1)
                .withConditions(
                    conditions(
                        "Failed",
                        "DeadlineExceeded",
                        "Job was active longer than specified deadline",
                        true))
                .build());
        return;
      }
      if (outcome.get().succeeded()) {
        finish(
            job,
            status(startTime, 0, 1, failed)
                .withCompletionTime(Kubelet.time(Kubelet.now()))
                .withConditions(
                    conditions(
                        "Complete",
                        "CompletionsReached",
                        "Reached expected number of succeeded pods",
                        false))
                .build());
        return;
      }
      failed++;
      if (failed > backoffLimit) {
        finish(
            job,
            status(startTime, 0, 0, failed)
                .withConditions(
                    conditions(
                        "Failed",
                        "BackoffLimitExceeded",
                        "Job has reached the specified backoff limit",
                        true))
                .build());
        return;
      }
      // The controller waits 10 s, doubling per failure (capped at 6 min), before the next pod.
      long factor = 1L << Math.min(failed - 1, 6);
      Duration wait = podBackoff.multipliedBy(factor);
      Instant until = Instant.now().plus(wait);
      while (Instant.now().isBefore(until) && !deleted.contains(uid)) {
        if (deadline != null && Instant.now().isAfter(deadline)) {
          finish(
              job,
              status(startTime, 0, 0, failed)
                  .withConditions(
                      conditions(
                          "Failed",
                          "DeadlineExceeded",
                          "Job was active longer than specified deadline",
                          true))
                  .build());
          return;
        }
        Kubelet.sleep(Duration.ofMillis(200));
      }
      if (deleted.contains(uid)) {
        return;
      }
    }
  }

  private static Optional<String> unsupported(Job job) {
    var spec = job.getSpec();
    var pod = spec.getTemplate().getSpec();
    if (Optional.ofNullable(spec.getCompletions()).orElse(1) != 1
        || Optional.ofNullable(spec.getParallelism()).orElse(1) != 1) {
      return Optional.of("completions/parallelism other than 1");
    }
    if ("Indexed".equals(spec.getCompletionMode())) {
      return Optional.of("indexed completion");
    }
    if (spec.getPodFailurePolicy() != null || spec.getSuccessPolicy() != null) {
      return Optional.of("podFailurePolicy/successPolicy");
    }
    if (!"Never".equals(pod.getRestartPolicy())) {
      return Optional.of("restartPolicy " + pod.getRestartPolicy() + " (only Never)");
    }
    if (pod.getContainers().size() != 1
        || (pod.getInitContainers() != null && !pod.getInitContainers().isEmpty())) {
      return Optional.of("more than one container, or init containers");
    }
    return Optional.empty();
  }

  private Pod createPod(Job job) {
    var template = job.getSpec().getTemplate();
    String jobName = job.getMetadata().getName();
    String uid = job.getMetadata().getUid();
    Map<String, String> labels =
        new HashMap<>(Optional.ofNullable(template.getMetadata().getLabels()).orElse(Map.of()));
    labels.put("batch.kubernetes.io/controller-uid", uid);
    labels.put("batch.kubernetes.io/job-name", jobName);
    labels.put("controller-uid", uid);
    labels.put("job-name", jobName);
    Pod pod =
        new PodBuilder()
            .withMetadata(
                new ObjectMetaBuilder()
                    .withName(jobName + "-" + suffix())
                    .withNamespace(job.getMetadata().getNamespace())
                    .withLabels(labels)
                    .withAnnotations(template.getMetadata().getAnnotations())
                    .withOwnerReferences(
                        new OwnerReferenceBuilder()
                            .withApiVersion("batch/v1")
                            .withKind("Job")
                            .withName(jobName)
                            .withUid(uid)
                            .withController(true)
                            .withBlockOwnerDeletion(true)
                            .build())
                    .build())
            .withSpec(template.getSpec())
            .editSpec()
            .withNodeName(kubelet.nodeName())
            .endSpec()
            .withNewStatus()
            .withPhase("Pending")
            .endStatus()
            .build();
    return client.pods().inNamespace(job.getMetadata().getNamespace()).resource(pod).create();
  }

  private static String suffix() {
    var sb = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }

  private static JobStatusBuilder status(Instant start, int active, int succeeded, int failed) {
    var b = new JobStatusBuilder().withStartTime(Kubelet.time(start));
    // The controller omits zero counters.
    if (active > 0) {
      b.withActive(active).withReady(0);
    } else {
      b.withReady(0);
    }
    if (succeeded > 0) {
      b.withSucceeded(succeeded);
    }
    if (failed > 0) {
      b.withFailed(failed);
    }
    return b.withTerminating(0);
  }

  /** The interim condition (Kubernetes 1.31+) and the final one, as the controller leaves them. */
  private static List<JobCondition> conditions(
      String type, String reason, String message, boolean failure) {
    String now = Kubelet.time(Kubelet.now());
    var out = new ArrayList<JobCondition>();
    out.add(
        new JobConditionBuilder()
            .withType(failure ? "FailureTarget" : "SuccessCriteriaMet")
            .withStatus("True")
            .withReason(reason)
            .withMessage(message)
            .withLastProbeTime(now)
            .withLastTransitionTime(now)
            .build());
    out.add(
        new JobConditionBuilder()
            .withType(type)
            .withStatus("True")
            .withReason(reason)
            .withMessage(message)
            .withLastProbeTime(now)
            .withLastTransitionTime(now)
            .build());
    return out;
  }

  private void finish(Job job, JobStatus status) {
    writeJobStatus(job, status);
    log.accept(
        "job "
            + key(job)
            + " finished: "
            + status.getConditions().get(status.getConditions().size() - 1).getType());
    Integer ttl = job.getSpec().getTtlSecondsAfterFinished();
    if (ttl != null) {
      timers.schedule(
          () -> {
            try {
              client
                  .batch()
                  .v1()
                  .jobs()
                  .inNamespace(job.getMetadata().getNamespace())
                  .withName(job.getMetadata().getName())
                  .withPropagationPolicy(DeletionPropagation.BACKGROUND)
                  .delete();
            } catch (KubernetesClientException e) {
              log.accept("ttl delete of " + key(job) + ": " + e.getMessage());
            }
          },
          ttl,
          TimeUnit.SECONDS);
    }
  }

  private void writeJobStatus(Job job, JobStatus status) {
    Kubelet.writeStatusRetrying(
        () ->
            client
                .batch()
                .v1()
                .jobs()
                .inNamespace(job.getMetadata().getNamespace())
                .withName(job.getMetadata().getName())
                .editStatus(
                    j -> {
                      j.setStatus(status);
                      return j;
                    }));
  }

  // ---- the garbage collector
  // ----------------------------------------------------------------------

  private void collectGarbage(Job job) {
    String uid = job.getMetadata().getUid();
    for (Pod pod : client.pods().inNamespace(job.getMetadata().getNamespace()).list().getItems()) {
      boolean owned =
          Optional.ofNullable(pod.getMetadata().getOwnerReferences()).orElse(List.of()).stream()
              .anyMatch(o -> uid.equals(o.getUid()));
      // A running pod is stopped by its runJob thread, which sees the deletion; it then deletes it.
      if (owned && !pod.getMetadata().getName().equals(activePods.get(key(job)))) {
        deletePod(pod);
      }
    }
  }

  private void deletePod(Pod pod) {
    try {
      client
          .pods()
          .inNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName())
          .delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  private static String key(Job job) {
    return job.getMetadata().getNamespace() + "/" + job.getMetadata().getName();
  }

  /**
   * Stops watching, stops and removes this runner's containers or processes, deletes its work
   * directory.
   */
  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
    jobs.shutdownNow();
    timers.shutdownNow();
    kubelet.close();
    try {
      jobs.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Kubelet.deleteRecursively(workRoot);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Options of a {@link JobRunner}. */
  public static final class Builder {
    private final KubernetesClient client;
    private final Podman podman;
    private final ProcessImage image;
    private String namespace;
    private Duration podBackoff = Duration.ofSeconds(10);
    private Consumer<String> log = line -> System.err.println("[job-runner] " + line);

    private Builder(KubernetesClient client, Podman podman, ProcessImage image) {
      this.client = client;
      this.podman = podman;
      this.image = image;
    }

    /** Only Jobs in this namespace (default: all). */
    public Builder namespace(String ns) {
      this.namespace = ns;
      return this;
    }

    /** The delay before the second pod of a failing Job (Kubernetes: 10 s), doubling after. */
    public Builder podBackoff(Duration d) {
      this.podBackoff = d;
      return this;
    }

    public Builder log(Consumer<String> log) {
      this.log = log;
      return this;
    }

    public JobRunner start() {
      return new JobRunner(this).start();
    }
  }
}
