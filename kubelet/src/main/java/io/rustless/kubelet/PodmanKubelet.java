package io.rustless.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Runs a pod's one container with podman the way a kubelet does, and writes back what a kubelet
 * writes to the pod's status. What it honours: image and pull policy, command/args (with the
 * kubelet's {@code $(VAR)} expansion), env (values, Secret/ConfigMap/field references, envFrom),
 * workingDir, runAsUser/runAsGroup/fsGroup/supplementalGroups, runAsNonRoot (checked against the
 * image's user as the kubelet does), readOnlyRootFilesystem, allowPrivilegeEscalation,
 * capabilities, seccomp (RuntimeDefault is podman's default profile; unset means Unconfined, as in
 * Kubernetes), memory and CPU limits, CPU requests (shares), Secret and ConfigMap volumes with
 * {@code items} and modes, emptyDirs, the service-account token mount unless {@code
 * automountServiceAccountToken} is false, the termination message file (at most 4096 bytes) and
 * {@code FallbackToLogsOnError} (the log's last 80 lines, at most 2048 bytes), termination grace on
 * stop, OOMKilled.
 *
 * <p>What it does not do, and a real kubelet does: its own network namespace (the container uses
 * the host's network, so 127.0.0.1 is the test machine), DNS, probes, init and sidecar containers,
 * more than one container, restartPolicy OnFailure/Always, emptyDir size limits and
 * ephemeral-storage eviction, projected/downwardAPI/hostPath/PVC volumes, atomic ({@code ..data})
 * updates of Secret volumes, image pulls from a registry that needs credentials.
 */
final class PodmanKubelet extends Kubelet {

  private final Podman podman;
  private final Map<String, String> runningContainers =
      new java.util.concurrent.ConcurrentHashMap<>();

  PodmanKubelet(
      KubernetesClient client,
      Podman podman,
      Path workRoot,
      String runnerId,
      Consumer<String> log) {
    super(client, workRoot, runnerId, log);
    this.podman = podman;
  }

  @Override
  String nodeName() {
    return "podman";
  }

  @Override
  String runtimeScheme() {
    return "podman";
  }

  @Override
  String imageId(Container c) {
    try {
      return "sha256:" + podman.inspectImage(c.getImage(), "{{.Id}}");
    } catch (IllegalStateException e) {
      return "";
    }
  }

  /** Stops and removes this runner's containers. */
  @Override
  void close() {
    podman.exec(
        List.of(
            "rm", "--force", "--time", "1", "--filter", "label=" + RUNNER_LABEL + "=" + runnerId),
        Duration.ofMinutes(2));
  }

  /** The running container's log so far, if the pod's container is running. */
  @Override
  Optional<String> currentLogs(String namespace, String pod) {
    String id = runningContainers.get(namespace + "/" + pod);
    if (id == null) {
      return Optional.empty();
    }
    Podman.Result r = podman.execMerged(List.of("logs", id), Duration.ofSeconds(30));
    return r.ok() ? Optional.of(r.out()) : Optional.empty();
  }

  /**
   * Runs {@code pod} to completion, writing its status as it goes. Returns empty when {@code
   * cancelled} before its container started, and an outcome marked {@code stopped} when it stopped
   * the container (deadline, deletion): the caller then deletes the pod as the controllers do.
   */
  @Override
  Optional<Outcome> run(Pod pod, BooleanSupplier cancelled) {
    String key = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    Path dir =
        workRoot.resolve(pod.getMetadata().getNamespace() + "_" + pod.getMetadata().getName());
    Container c = pod.getSpec().getContainers().get(0);
    Instant scheduled = now();
    try {
      Files.createDirectories(dir);
      // 1. Until the container can be created: pull the image, mount volumes, resolve env.
      List<String> runArgs = null;
      String lastWaiting = null;
      while (runArgs == null) {
        if (cancelled.getAsBoolean()) {
          return Optional.empty();
        }
        try {
          runArgs = prepare(pod, c, dir);
        } catch (NotReady e) {
          if (!e.getMessage().equals(lastWaiting)) {
            log.accept("pod " + key + " waiting: " + e.reason + ": " + e.getMessage());
            lastWaiting = e.getMessage();
            writeStatus(pod, pending(pod, c, scheduled, e.reason, e.getMessage()));
          }
          sleep(Duration.ofSeconds(1));
        }
      }
      // 2. Run it.
      Podman.Result started = podman.exec(runArgs, Duration.ofMinutes(5));
      if (!started.ok()) {
        // The runtime refused (e.g. a bad mount): the kubelet reports it and the pod fails.
        String msg = "podman run failed: " + started;
        log.accept("pod " + key + ": " + msg);
        var outcome = new Outcome(false, 128, "StartError", msg, "", false);
        writeStatus(pod, terminated(pod, c, scheduled, scheduled, now(), outcome));
        return Optional.of(outcome);
      }
      String id = started.out().strip();
      runningContainers.put(key, id);
      Instant startedAt = now();
      writeStatus(pod, running(pod, c, scheduled, startedAt, id));
      boolean stopped = waitFor(id, pod, cancelled);
      runningContainers.remove(key);
      String logs = podman.execMerged(List.of("logs", id), Duration.ofMinutes(1)).out();
      String[] state =
          podman
              .exec(
                  List.of("inspect", "--format", "{{.State.ExitCode}}|{{.State.OOMKilled}}", id),
                  Duration.ofSeconds(30))
              .out()
              .strip()
              .split("\\|");
      int exitCode = Integer.parseInt(state[0]);
      boolean oom = state.length > 1 && Boolean.parseBoolean(state[1]);
      podman.exec(List.of("rm", "--force", id), Duration.ofMinutes(1));
      return Optional.of(
          exited(
              pod,
              c,
              scheduled,
              startedAt,
              exitCode,
              oom,
              dir.resolve("termination-log"),
              logs,
              stopped));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteRecursively(dir);
    }
  }

  /** Waits for the container to exit; stops it when {@code cancelled}. True if it was stopped. */
  private boolean waitFor(String id, Pod pod, BooleanSupplier cancelled) {
    Process wait = podman.start(List.of("wait", id));
    try {
      while (!wait.waitFor(500, TimeUnit.MILLISECONDS)) {
        if (cancelled.getAsBoolean()) {
          long grace =
              Optional.ofNullable(pod.getSpec().getTerminationGracePeriodSeconds()).orElse(30L);
          podman.exec(
              List.of("stop", "--time", Long.toString(grace), id), Duration.ofSeconds(grace + 60));
          wait.waitFor(1, TimeUnit.MINUTES);
          return true;
        }
      }
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      podman.exec(List.of("stop", "--time", "1", id), Duration.ofMinutes(1));
      return true;
    } finally {
      wait.destroy();
    }
  }

  // ---- preparing the container -----------------------------------------------------------------

  private List<String> prepare(Pod pod, Container c, Path dir) throws NotReady, IOException {
    String ns = pod.getMetadata().getNamespace();
    String image = c.getImage();
    pull(image, pullPolicy(c));
    PodSecurityContext psc =
        Optional.ofNullable(pod.getSpec().getSecurityContext()).orElseGet(PodSecurityContext::new);
    SecurityContext sc =
        Optional.ofNullable(c.getSecurityContext()).orElseGet(SecurityContext::new);
    Long uid = first(sc.getRunAsUser(), psc.getRunAsUser());
    Long gid = first(sc.getRunAsGroup(), psc.getRunAsGroup());
    Boolean nonRoot = first(sc.getRunAsNonRoot(), psc.getRunAsNonRoot());
    if (Boolean.TRUE.equals(nonRoot)) {
      checkNonRoot(image, uid);
    }
    Long fsGroup = psc.getFsGroup();

    var args = new ArrayList<String>(List.of("run", "--detach"));
    args.addAll(podman.runOptions());
    args.addAll(
        List.of(
            "--name",
            containerName(pod, c),
            "--label",
            RUNNER_LABEL + "=" + runnerId,
            "--network",
            "host",
            "--hostname",
            pod.getMetadata().getName()));
    if (uid != null) {
      args.add("--user");
      args.add(uid + (gid == null ? "" : ":" + gid));
    }
    if (fsGroup != null) {
      args.add("--group-add");
      args.add(fsGroup.toString());
    }
    if (psc.getSupplementalGroups() != null) {
      for (Long g : psc.getSupplementalGroups()) {
        args.add("--group-add");
        args.add(g.toString());
      }
    }
    if (Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem())) {
      // Kubernetes adds no tmpfs of its own; podman would, on /tmp, /run and /var/tmp.
      args.add("--read-only");
      args.add("--read-only-tmpfs=false");
    }
    if (Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
      args.add("--security-opt");
      args.add("no-new-privileges");
    }
    if (Boolean.TRUE.equals(sc.getPrivileged())) {
      args.add("--privileged");
    }
    if (sc.getCapabilities() != null) {
      for (String cap : Optional.ofNullable(sc.getCapabilities().getDrop()).orElse(List.of())) {
        args.add("--cap-drop");
        args.add(cap);
      }
      for (String cap : Optional.ofNullable(sc.getCapabilities().getAdd()).orElse(List.of())) {
        args.add("--cap-add");
        args.add(cap);
      }
    }
    var seccomp = sc.getSeccompProfile() != null ? sc.getSeccompProfile() : psc.getSeccompProfile();
    String seccompType = seccomp == null ? "Unconfined" : seccomp.getType();
    switch (seccompType) {
      case "RuntimeDefault" -> {} // podman's default profile
      case "Unconfined" -> {
        args.add("--security-opt");
        args.add("seccomp=unconfined");
      }
      default ->
          throw new NotReady(
              "CreateContainerConfigError",
              "job runner: seccomp profile " + seccompType + " is not supported");
    }
    resources(c, args);
    if (c.getWorkingDir() != null && !c.getWorkingDir().isBlank()) {
      args.add("--workdir");
      args.add(c.getWorkingDir());
    }

    Map<String, String> env = env(pod, c);
    for (var e : env.entrySet()) {
      args.add("--env");
      args.add(e.getKey() + "=" + e.getValue());
    }

    Map<String, Path> volumes = volumes(pod, dir, fsGroup);
    for (VolumeMount m : Optional.ofNullable(c.getVolumeMounts()).orElse(List.of())) {
      Path source = volumes.get(m.getName());
      if (source == null) {
        throw new NotReady(
            "CreateContainerConfigError", "volumeMount " + m.getName() + " names no volume");
      }
      if (m.getSubPath() != null && !m.getSubPath().isBlank()) {
        source = source.resolve(m.getSubPath());
        Files.createDirectories(source);
      }
      boolean readOnly =
          Boolean.TRUE.equals(m.getReadOnly()) || isSecretOrConfigMap(pod, m.getName());
      args.add("--mount");
      args.add(bind(source, m.getMountPath(), readOnly));
    }
    boolean automount = !Boolean.FALSE.equals(pod.getSpec().getAutomountServiceAccountToken());
    if (automount) {
      Path sa = Files.createDirectories(dir.resolve("serviceaccount"));
      Files.writeString(sa.resolve("token"), "job-runner-token-" + pod.getMetadata().getUid());
      Files.writeString(sa.resolve("namespace"), ns);
      Files.writeString(sa.resolve("ca.crt"), "");
      args.add("--mount");
      args.add(bind(sa, SA_TOKEN_DIR, true));
    }
    String messagePath =
        Optional.ofNullable(c.getTerminationMessagePath()).orElse("/dev/termination-log");
    Path messageFile = dir.resolve("termination-log");
    Files.deleteIfExists(messageFile);
    Files.createFile(messageFile);
    Files.setPosixFilePermissions(messageFile, PosixFilePermissions.fromString("rw-rw-rw-"));
    args.add("--mount");
    args.add(bind(messageFile, messagePath, false));
    args.add("--stop-timeout");
    args.add(
        Long.toString(
            Optional.ofNullable(pod.getSpec().getTerminationGracePeriodSeconds()).orElse(30L)));

    // command replaces the image's ENTRYPOINT (and drops its CMD); args replace CMD.
    List<String> command = expand(c.getCommand(), env);
    List<String> cargs = expand(c.getArgs(), env);
    if (!command.isEmpty()) {
      args.add("--entrypoint");
      args.add(json(command));
    }
    args.add(image);
    if (!cargs.isEmpty()) {
      args.addAll(cargs);
    } else if (command.isEmpty()) {
      // both unset: the image's ENTRYPOINT and CMD, which podman uses by default
    }
    return args;
  }

  private void pull(String image, String policy) throws NotReady {
    boolean present = podman.imageExists(image);
    if (present && !"Always".equals(policy)) {
      return;
    }
    if ("Never".equals(policy)) {
      throw new NotReady(
          "ErrImageNeverPull",
          "Container image \"" + image + "\" is not present with pull policy of Never");
    }
    Podman.Result r = podman.exec(List.of("pull", "--quiet", image), Duration.ofMinutes(5));
    if (!r.ok()) {
      throw new NotReady(
          "ErrImagePull", "Failed to pull image \"" + image + "\": " + r.err().strip());
    }
  }

  private void checkNonRoot(String image, Long uid) throws NotReady {
    if (uid != null) {
      if (uid == 0) {
        throw new NotReady(
            "CreateContainerConfigError", "container's runAsUser breaks non-root policy");
      }
      return;
    }
    String user = podman.inspectImage(image, "{{.Config.User}}");
    String name = user.contains(":") ? user.substring(0, user.indexOf(':')) : user;
    if (name.isEmpty() || name.equals("root") || name.equals("0")) {
      throw new NotReady(
          "CreateContainerConfigError", "container has runAsNonRoot and image will run as root");
    }
    if (!name.chars().allMatch(Character::isDigit)) {
      throw new NotReady(
          "CreateContainerConfigError",
          "container has runAsNonRoot and image has non-numeric user ("
              + name
              + "), cannot verify user is non-root");
    }
  }

  private static void resources(Container c, List<String> args) {
    if (c.getResources() == null) {
      return;
    }
    Map<String, Quantity> limits =
        Optional.ofNullable(c.getResources().getLimits()).orElse(Map.of());
    Map<String, Quantity> requests =
        Optional.ofNullable(c.getResources().getRequests()).orElse(Map.of());
    if (limits.containsKey("memory")) {
      args.add("--memory");
      args.add(Quantity.getAmountInBytes(limits.get("memory")).toBigInteger().toString());
    }
    if (limits.containsKey("cpu")) {
      args.add("--cpus");
      args.add(Quantity.getAmountInBytes(limits.get("cpu")).toPlainString());
    }
    Quantity cpuRequest = requests.getOrDefault("cpu", limits.get("cpu"));
    if (cpuRequest != null) {
      // The kubelet's cgroup v1 shares: millicores * 1024 / 1000, at least 2.
      BigDecimal cores = Quantity.getAmountInBytes(cpuRequest);
      long shares = Math.max(2, cores.multiply(BigDecimal.valueOf(1024)).longValue());
      args.add("--cpu-shares");
      args.add(Long.toString(shares));
    }
  }

  // ---- helpers
  // ------------------------------------------------------------------------------------

  private static String containerName(Pod pod, Container c) {
    String uid = Optional.ofNullable(pod.getMetadata().getUid()).orElse("0");
    return "k8s_"
        + c.getName()
        + "_"
        + pod.getMetadata().getName()
        + "_"
        + pod.getMetadata().getNamespace()
        + "_"
        + uid.substring(0, Math.min(8, uid.length()));
  }

  private static String bind(Path source, String target, boolean readOnly) {
    return "type=bind,source=" + source + ",destination=" + target + (readOnly ? ",ro=true" : "");
  }

  private static String json(List<String> list) {
    var sb = new StringBuilder("[");
    for (int i = 0; i < list.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append('"');
      for (char ch : list.get(i).toCharArray()) {
        switch (ch) {
          case '"' -> sb.append("\\\"");
          case '\\' -> sb.append("\\\\");
          case '\n' -> sb.append("\\n");
          case '\t' -> sb.append("\\t");
          default -> {
            if (ch < 0x20) {
              sb.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
            } else {
              sb.append(ch);
            }
          }
        }
      }
      sb.append('"');
    }
    return sb.append(']').toString();
  }
}
