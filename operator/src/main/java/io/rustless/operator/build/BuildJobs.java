package io.rustless.operator.build;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.rustless.operator.Names;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Reading build Jobs and their pods as the Job controller and the kubelet leave them. */
public final class BuildJobs {

  /** How a build Job ended, or that it has not. */
  public enum Phase {
    RUNNING,
    SUCCEEDED,
    FAILED
  }

  private static final int MAX_MESSAGE_LINES = 20;
  private static final int MAX_MESSAGE_CHARS = 2000;

  private BuildJobs() {}

  public static Phase phase(Job job) {
    var status = job.getStatus();
    if (status == null) {
      return Phase.RUNNING;
    }
    if (hasCondition(job, "Complete") || positive(status.getSucceeded())) {
      return Phase.SUCCEEDED;
    }
    if (hasCondition(job, "Failed") || positive(status.getFailed())) {
      return Phase.FAILED;
    }
    return Phase.RUNNING;
  }

  /** True when the Job failed by exceeding its deadline (activeDeadlineSeconds). */
  public static boolean timedOut(Job job) {
    return failedCondition(job).map(c -> "DeadlineExceeded".equals(c.getReason())).orElse(false);
  }

  public static Optional<JobCondition> failedCondition(Job job) {
    return condition(job, "Failed");
  }

  /**
   * When the Job finished: {@code status.completionTime} (set on success), else the time of its
   * Complete or Failed condition.
   */
  public static Optional<Instant> finishedAt(Job job) {
    if (job.getStatus() == null) {
      return Optional.empty();
    }
    return parse(job.getStatus().getCompletionTime())
        .or(() -> condition(job, "Complete").flatMap(c -> parse(c.getLastTransitionTime())))
        .or(() -> condition(job, "Failed").flatMap(c -> parse(c.getLastTransitionTime())));
  }

  public static String buildKey(Job job) {
    return annotation(job, Names.BUILD_KEY_ANNOTATION).orElse("");
  }

  public static int attempt(Job job) {
    return annotation(job, Names.ATTEMPT_ANNOTATION).map(BuildJobs::parseInt).orElse(0);
  }

  public static long generation(Job job) {
    return annotation(job, Names.GENERATION_ANNOTATION).map(Long::parseLong).orElse(0L);
  }

  /** The newest Job (highest attempt) among those for this build key. */
  public static Optional<Job> latestFor(Collection<Job> jobs, BuildKey key) {
    return jobs.stream()
        .filter(j -> key.hex().equals(buildKey(j)))
        .max(Comparator.comparingInt(BuildJobs::attempt));
  }

  /**
   * Whether {@code child} names {@code owner} (by uid) in its owner references and lives in its
   * namespace. Labels and annotations anyone can copy; a uid only the API server hands out.
   */
  public static boolean ownedBy(HasMetadata child, HasMetadata owner) {
    String uid = owner.getMetadata().getUid();
    if (uid == null
        || !Objects.equals(child.getMetadata().getNamespace(), owner.getMetadata().getNamespace())
        || child.getMetadata().getOwnerReferences() == null) {
      return false;
    }
    return child.getMetadata().getOwnerReferences().stream()
        .anyMatch(r -> uid.equals(r.getUid()) && owner.getKind().equals(r.getKind()));
  }

  /**
   * What the Job's own pods say: the build container's terminated state, newest pod first. Pods not
   * owned by this Job (by uid, in its namespace) are ignored however they are labelled.
   */
  public static Optional<ContainerStateTerminated> buildResult(Job job, Collection<Pod> pods) {
    return pods.stream()
        .filter(p -> ownedBy(p, job))
        .sorted(
            Comparator.comparing(
                    (Pod p) -> p.getMetadata().getCreationTimestamp(),
                    Comparator.nullsFirst(Comparator.naturalOrder()))
                .reversed())
        .map(BuildJobs::terminated)
        .flatMap(Optional::stream)
        .findFirst();
  }

  /**
   * The build container's termination message: on success the JSON result, on failure the last log
   * lines (FallbackToLogsOnError). Trimmed to its last lines.
   */
  public static Optional<String> terminationMessage(Job job, Collection<Pod> pods) {
    return buildResult(job, pods)
        .map(ContainerStateTerminated::getMessage)
        .filter(m -> m != null && !m.isBlank())
        .map(BuildJobs::tail);
  }

  /** The build container's exit code in the Job's newest pod that has terminated. */
  public static Optional<Integer> exitCode(Job job, Collection<Pod> pods) {
    return buildResult(job, pods).map(ContainerStateTerminated::getExitCode);
  }

  private static Optional<ContainerStateTerminated> terminated(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getContainerStatuses().stream()
        .filter(cs -> BuildJobSpec.CONTAINER.equals(cs.getName()))
        .map(ContainerStatus::getState)
        .filter(Objects::nonNull)
        .map(s -> s.getTerminated())
        .filter(Objects::nonNull)
        .findFirst();
  }

  /** The last lines of a (log) message, bounded for a condition message. */
  static String tail(String message) {
    List<String> lines = message.strip().lines().toList();
    String joined =
        String.join(
            "\n", lines.subList(Math.max(0, lines.size() - MAX_MESSAGE_LINES), lines.size()));
    return joined.length() <= MAX_MESSAGE_CHARS
        ? joined
        : joined.substring(joined.length() - MAX_MESSAGE_CHARS);
  }

  private static Optional<JobCondition> condition(Job job, String type) {
    return job.getStatus() == null || job.getStatus().getConditions() == null
        ? Optional.empty()
        : job.getStatus().getConditions().stream()
            .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
            .findFirst();
  }

  private static boolean hasCondition(Job job, String type) {
    return condition(job, type).isPresent();
  }

  private static boolean positive(Integer n) {
    return n != null && n > 0;
  }

  private static Optional<String> annotation(Job job, String key) {
    var a = job.getMetadata().getAnnotations();
    return a == null ? Optional.empty() : Optional.ofNullable(a.get(key));
  }

  private static Optional<Instant> parse(String time) {
    if (time == null || time.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(time));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static int parseInt(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
