package io.rustless.operator.podman;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
final class PodmanKubelet {

  static final String NODE = "podman";
  static final String SA_TOKEN_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";
  static final String RUNNER_LABEL = "io.rustless.job-runner";

  private static final int MAX_MESSAGE = 4096;
  private static final int FALLBACK_LINES = 80;
  private static final int FALLBACK_BYTES = 2048;
  private static final Pattern VAR = Pattern.compile("\\$\\$|\\$\\(([A-Za-z_][A-Za-z0-9_.-]*)\\)");

  /**
   * How a pod's container ended; {@code stopped} when it was stopped from outside (deadline,
   * deletion).
   */
  record Outcome(
      boolean succeeded,
      int exitCode,
      String reason,
      String message,
      String logs,
      boolean stopped) {}

  /** Why the kubelet could not start the container yet (the pod stays Pending and it retries). */
  private static final class NotReady extends Exception {
    private static final long serialVersionUID = 1L;
    final String reason;

    NotReady(String reason, String message) {
      super(message);
      this.reason = reason;
    }
  }

  private final KubernetesClient client;
  private final Podman podman;
  private final Path workRoot;
  private final String runnerId;
  private final Consumer<String> log;
  private final Map<String, String> runningContainers =
      new java.util.concurrent.ConcurrentHashMap<>();

  PodmanKubelet(
      KubernetesClient client,
      Podman podman,
      Path workRoot,
      String runnerId,
      Consumer<String> log) {
    this.client = client;
    this.podman = podman;
    this.workRoot = workRoot;
    this.runnerId = runnerId;
    this.log = log;
  }

  /** The running container's log so far, if the pod's container is running. */
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
      Instant finishedAt = now();
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
      String message = terminationMessage(c, dir.resolve("termination-log"), exitCode, logs);
      String reason = oom ? "OOMKilled" : exitCode == 0 ? "Completed" : "Error";
      var outcome = new Outcome(exitCode == 0 && !oom, exitCode, reason, message, logs, stopped);
      writeStatus(pod, terminated(pod, c, scheduled, startedAt, finishedAt, outcome));
      log.accept(
          "pod "
              + key
              + " terminated: exit "
              + exitCode
              + " ("
              + reason
              + (stopped ? ", stopped" : "")
              + ")");
      return Optional.of(outcome);
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

  private static String pullPolicy(Container c) {
    if (c.getImagePullPolicy() != null && !c.getImagePullPolicy().isBlank()) {
      return c.getImagePullPolicy();
    }
    String image = c.getImage();
    String last = image.substring(image.lastIndexOf('/') + 1);
    return !last.contains(":") || last.endsWith(":latest") ? "Always" : "IfNotPresent";
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

  private Map<String, String> env(Pod pod, Container c) throws NotReady {
    String ns = pod.getMetadata().getNamespace();
    var env = new LinkedHashMap<String, String>();
    // What the kubelet always sets, service links or not.
    String master = client.getMasterUrl().toString();
    java.net.URI api = java.net.URI.create(master);
    env.put("KUBERNETES_SERVICE_HOST", api.getHost());
    env.put(
        "KUBERNETES_SERVICE_PORT",
        Integer.toString(
            api.getPort() > 0 ? api.getPort() : "https".equals(api.getScheme()) ? 443 : 80));
    for (EnvFromSource from : Optional.ofNullable(c.getEnvFrom()).orElse(List.of())) {
      String prefix = Optional.ofNullable(from.getPrefix()).orElse("");
      if (from.getSecretRef() != null) {
        Optional<Map<String, String>> data = secretData(ns, from.getSecretRef().getName());
        if (data.isEmpty() && !Boolean.TRUE.equals(from.getSecretRef().getOptional())) {
          throw new NotReady(
              "CreateContainerConfigError",
              "secret \"" + from.getSecretRef().getName() + "\" not found");
        }
        data.orElse(Map.of()).forEach((k, v) -> env.put(prefix + k, v));
      } else if (from.getConfigMapRef() != null) {
        Optional<Map<String, String>> data = configMapData(ns, from.getConfigMapRef().getName());
        if (data.isEmpty() && !Boolean.TRUE.equals(from.getConfigMapRef().getOptional())) {
          throw new NotReady(
              "CreateContainerConfigError",
              "configmap \"" + from.getConfigMapRef().getName() + "\" not found");
        }
        data.orElse(Map.of()).forEach((k, v) -> env.put(prefix + k, v));
      }
    }
    for (EnvVar e : Optional.ofNullable(c.getEnv()).orElse(List.of())) {
      String value;
      if (e.getValueFrom() == null) {
        value = expand(Optional.ofNullable(e.getValue()).orElse(""), env);
      } else if (e.getValueFrom().getSecretKeyRef() != null) {
        var ref = e.getValueFrom().getSecretKeyRef();
        value = secretData(ns, ref.getName()).map(d -> d.get(ref.getKey())).orElse(null);
        if (value == null) {
          if (Boolean.TRUE.equals(ref.getOptional())) {
            continue;
          }
          throw new NotReady(
              "CreateContainerConfigError",
              "couldn't find key " + ref.getKey() + " in Secret " + ns + "/" + ref.getName());
        }
      } else if (e.getValueFrom().getConfigMapKeyRef() != null) {
        var ref = e.getValueFrom().getConfigMapKeyRef();
        value = configMapData(ns, ref.getName()).map(d -> d.get(ref.getKey())).orElse(null);
        if (value == null) {
          if (Boolean.TRUE.equals(ref.getOptional())) {
            continue;
          }
          throw new NotReady(
              "CreateContainerConfigError",
              "couldn't find key " + ref.getKey() + " in ConfigMap " + ns + "/" + ref.getName());
        }
      } else if (e.getValueFrom().getFieldRef() != null) {
        value = field(pod, e.getValueFrom().getFieldRef().getFieldPath());
      } else {
        throw new NotReady(
            "CreateContainerConfigError",
            "job runner: env "
                + e.getName()
                + ": only value, secretKeyRef, configMapKeyRef and"
                + " fieldRef are supported");
      }
      env.put(e.getName(), value);
    }
    return env;
  }

  private static String field(Pod pod, String path) throws NotReady {
    var m = pod.getMetadata();
    Matcher label = Pattern.compile("metadata\\.(labels|annotations)\\['(.+)'\\]").matcher(path);
    if (label.matches()) {
      Map<String, String> map =
          "labels".equals(label.group(1)) ? m.getLabels() : m.getAnnotations();
      return map == null ? "" : map.getOrDefault(label.group(2), "");
    }
    return switch (path) {
      case "metadata.name" -> m.getName();
      case "metadata.namespace" -> m.getNamespace();
      case "metadata.uid" -> m.getUid();
      case "spec.nodeName" -> NODE;
      case "spec.serviceAccountName" ->
          Optional.ofNullable(pod.getSpec().getServiceAccountName()).orElse("default");
      case "status.podIP", "status.hostIP" -> "127.0.0.1";
      default ->
          throw new NotReady(
              "CreateContainerConfigError", "job runner: fieldRef " + path + " is not supported");
    };
  }

  private Map<String, Path> volumes(Pod pod, Path dir, Long fsGroup) throws NotReady, IOException {
    String ns = pod.getMetadata().getNamespace();
    var out = new LinkedHashMap<String, Path>();
    for (Volume v : Optional.ofNullable(pod.getSpec().getVolumes()).orElse(List.of())) {
      Path vdir = dir.resolve("volumes").resolve(v.getName());
      deleteRecursively(vdir);
      Files.createDirectories(vdir);
      if (v.getEmptyDir() != null) {
        // The kubelet makes an emptyDir world-writable; fsGroup owns it.
        Files.setPosixFilePermissions(vdir, PosixFilePermissions.fromString("rwxrwxrwx"));
      } else if (v.getSecret() != null) {
        var s = v.getSecret();
        Optional<Map<String, String>> data = secretData(ns, s.getSecretName());
        if (data.isEmpty()) {
          if (!Boolean.TRUE.equals(s.getOptional())) {
            throw new NotReady(
                "ContainerCreating",
                "MountVolume.SetUp failed for volume \""
                    + v.getName()
                    + "\" : secret \""
                    + s.getSecretName()
                    + "\" not found");
          }
          data = Optional.of(Map.of());
        }
        project(v.getName(), "secret", data.get(), s.getItems(), s.getDefaultMode(), vdir);
      } else if (v.getConfigMap() != null) {
        var cm = v.getConfigMap();
        Optional<Map<String, String>> data = configMapData(ns, cm.getName());
        if (data.isEmpty()) {
          if (!Boolean.TRUE.equals(cm.getOptional())) {
            throw new NotReady(
                "ContainerCreating",
                "MountVolume.SetUp failed for volume \""
                    + v.getName()
                    + "\" : configmap \""
                    + cm.getName()
                    + "\" not found");
          }
          data = Optional.of(Map.of());
        }
        project(v.getName(), "configmap", data.get(), cm.getItems(), cm.getDefaultMode(), vdir);
      } else {
        throw new NotReady(
            "CreateContainerConfigError",
            "job runner: volume "
                + v.getName()
                + ": only emptyDir, secret and configMap are"
                + " supported");
      }
      if (fsGroup != null) {
        chgrpRecursively(vdir, fsGroup);
      }
      out.put(v.getName(), vdir);
    }
    return out;
  }

  /** Writes the keys (all, or the listed items) as files, as a Secret/ConfigMap volume does. */
  private static void project(
      String volume,
      String kind,
      Map<String, String> data,
      List<KeyToPath> items,
      Integer defaultMode,
      Path vdir)
      throws NotReady, IOException {
    int mode = defaultMode == null ? 0644 : defaultMode;
    var files = new LinkedHashMap<String, Integer>();
    var content = new LinkedHashMap<String, String>();
    if (items == null || items.isEmpty()) {
      data.forEach(
          (k, val) -> {
            files.put(k, mode);
            content.put(k, val);
          });
    } else {
      for (KeyToPath item : items) {
        if (!data.containsKey(item.getKey())) {
          throw new NotReady(
              "ContainerCreating",
              "MountVolume.SetUp failed for volume \""
                  + volume
                  + "\" : "
                  + kind
                  + " references non-existent key "
                  + item.getKey());
        }
        files.put(item.getPath(), item.getMode() == null ? mode : item.getMode());
        content.put(item.getPath(), data.get(item.getKey()));
      }
    }
    for (var f : files.entrySet()) {
      Path file = vdir.resolve(f.getKey()).normalize();
      if (!file.startsWith(vdir)) {
        throw new NotReady("ContainerCreating", "item path " + f.getKey() + " leaves the volume");
      }
      Files.createDirectories(file.getParent());
      Files.write(file, content.get(f.getKey()).getBytes(StandardCharsets.ISO_8859_1));
      Files.setPosixFilePermissions(file, permissions(f.getValue()));
    }
  }

  private Optional<Map<String, String>> secretData(String ns, String name) {
    Secret s = client.secrets().inNamespace(ns).withName(name).get();
    if (s == null) {
      return Optional.empty();
    }
    var out = new LinkedHashMap<String, String>();
    // Bytes as ISO-8859-1 chars, so binary keys survive to the file unchanged.
    Optional.ofNullable(s.getData())
        .orElse(Map.of())
        .forEach(
            (k, v) ->
                out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.ISO_8859_1)));
    // The API server turns stringData into data; the mock server stores it as given.
    Optional.ofNullable(s.getStringData())
        .orElse(Map.of())
        .forEach(
            (k, v) ->
                out.put(
                    k,
                    new String(v.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)));
    return Optional.of(out);
  }

  private Optional<Map<String, String>> configMapData(String ns, String name) {
    ConfigMap cm = client.configMaps().inNamespace(ns).withName(name).get();
    if (cm == null) {
      return Optional.empty();
    }
    var out = new LinkedHashMap<String, String>();
    Optional.ofNullable(cm.getData())
        .orElse(Map.of())
        .forEach(
            (k, v) ->
                out.put(
                    k,
                    new String(v.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)));
    Optional.ofNullable(cm.getBinaryData())
        .orElse(Map.of())
        .forEach(
            (k, v) ->
                out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.ISO_8859_1)));
    return Optional.of(out);
  }

  private static boolean isSecretOrConfigMap(Pod pod, String volume) {
    return Optional.ofNullable(pod.getSpec().getVolumes()).orElse(List.of()).stream()
        .anyMatch(
            v -> v.getName().equals(volume) && (v.getSecret() != null || v.getConfigMap() != null));
  }

  // ---- the termination message and the status ---------------------------------------------------

  private static String terminationMessage(Container c, Path messageFile, int exitCode, String logs)
      throws IOException {
    byte[] bytes = Files.exists(messageFile) ? Files.readAllBytes(messageFile) : new byte[0];
    String message =
        new String(bytes, 0, Math.min(bytes.length, MAX_MESSAGE), StandardCharsets.UTF_8);
    if (message.isEmpty()
        && exitCode != 0
        && "FallbackToLogsOnError".equals(c.getTerminationMessagePolicy())) {
      List<String> lines = logs.lines().toList();
      String tail =
          String.join(
              "\n", lines.subList(Math.max(0, lines.size() - FALLBACK_LINES), lines.size()));
      byte[] tb = tail.getBytes(StandardCharsets.UTF_8);
      message =
          tb.length <= FALLBACK_BYTES
              ? tail
              : new String(tb, tb.length - FALLBACK_BYTES, FALLBACK_BYTES, StandardCharsets.UTF_8);
    }
    return message;
  }

  private PodStatus pending(Pod pod, Container c, Instant scheduled, String reason, String msg) {
    return base(pod, scheduled)
        .withPhase("Pending")
        .withConditions(
            condition("PodScheduled", "True", null, scheduled),
            condition("Initialized", "True", null, scheduled),
            condition("ContainersReady", "False", "ContainersNotReady", scheduled),
            condition("Ready", "False", "ContainersNotReady", scheduled))
        .withContainerStatuses(
            status(c, null, false)
                .withState(
                    new ContainerStateBuilder()
                        .withNewWaiting()
                        .withReason(reason)
                        .withMessage(msg)
                        .endWaiting()
                        .build())
                .build())
        .build();
  }

  private PodStatus running(Pod pod, Container c, Instant scheduled, Instant started, String id) {
    return base(pod, scheduled)
        .withPhase("Running")
        .withConditions(
            condition("PodScheduled", "True", null, scheduled),
            condition("Initialized", "True", null, scheduled),
            condition("ContainersReady", "True", null, started),
            condition("Ready", "True", null, started))
        .withContainerStatuses(
            status(c, id, true)
                .withStarted(true)
                .withReady(true)
                .withState(
                    new ContainerStateBuilder()
                        .withNewRunning()
                        .withStartedAt(time(started))
                        .endRunning()
                        .build())
                .build())
        .build();
  }

  private PodStatus terminated(
      Pod pod, Container c, Instant scheduled, Instant started, Instant finished, Outcome o) {
    ContainerState state =
        new ContainerStateBuilder()
            .withNewTerminated()
            .withExitCode(o.exitCode())
            .withReason(o.reason())
            .withMessage(o.message().isEmpty() ? null : o.message())
            .withStartedAt(time(started))
            .withFinishedAt(time(finished))
            .endTerminated()
            .build();
    return base(pod, scheduled)
        .withPhase(o.succeeded() ? "Succeeded" : "Failed")
        .withConditions(
            condition("PodScheduled", "True", null, scheduled),
            condition("Initialized", "True", null, scheduled),
            condition("ContainersReady", "False", "PodCompleted", finished),
            condition("Ready", "False", "PodCompleted", finished))
        .withContainerStatuses(
            status(c, null, false).withStarted(false).withReady(false).withState(state).build())
        .build();
  }

  private static PodStatusBuilder base(Pod pod, Instant scheduled) {
    return new PodStatusBuilder()
        .withHostIP("127.0.0.1")
        .withPodIP("127.0.0.1")
        .withStartTime(time(scheduled))
        .withQosClass(qos(pod));
  }

  private ContainerStatusBuilder status(Container c, String id, boolean running) {
    String imageId;
    try {
      imageId = "sha256:" + podman.inspectImage(c.getImage(), "{{.Id}}");
    } catch (IllegalStateException e) {
      imageId = "";
    }
    var b =
        new ContainerStatusBuilder()
            .withName(c.getName())
            .withImage(c.getImage())
            .withImageID(imageId)
            .withRestartCount(0)
            .withReady(running)
            .withStarted(running);
    if (id != null) {
      b.withContainerID("podman://" + id);
    }
    return b;
  }

  private static PodCondition condition(String type, String status, String reason, Instant at) {
    return new PodConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withLastTransitionTime(time(at))
        .build();
  }

  private static String qos(Pod pod) {
    boolean any = false;
    boolean guaranteed = true;
    for (Container c : pod.getSpec().getContainers()) {
      var r = c.getResources();
      Map<String, Quantity> req = r == null || r.getRequests() == null ? Map.of() : r.getRequests();
      Map<String, Quantity> lim = r == null || r.getLimits() == null ? Map.of() : r.getLimits();
      any |= !req.isEmpty() || !lim.isEmpty();
      for (String res : List.of("cpu", "memory")) {
        Quantity l = lim.get(res);
        Quantity q = req.getOrDefault(res, l);
        guaranteed &= l != null && q != null && q.equals(l);
      }
    }
    return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
  }

  private void writeStatus(Pod pod, PodStatus status) {
    try {
      client
          .pods()
          .inNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName())
          .editStatus(
              p -> {
                p.setStatus(status);
                return p;
              });
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
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

  /** The kubelet's {@code $(VAR)} expansion: defined names are replaced, {@code $$} is a $. */
  static String expand(String text, Map<String, String> env) {
    Matcher m = VAR.matcher(text);
    var out = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (m.group().equals("$$")) {
        replacement = "$";
      } else {
        replacement = env.getOrDefault(m.group(1), m.group());
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static List<String> expand(List<String> list, Map<String, String> env) {
    return list == null ? List.of() : list.stream().map(s -> expand(s, env)).toList();
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

  private static java.util.Set<java.nio.file.attribute.PosixFilePermission> permissions(int mode) {
    var sb = new StringBuilder();
    String rwx = "rwx";
    for (int shift = 6; shift >= 0; shift -= 3) {
      int bits = (mode >> shift) & 7;
      for (int i = 0; i < 3; i++) {
        sb.append((bits & (4 >> i)) != 0 ? rwx.charAt(i) : '-');
      }
    }
    return PosixFilePermissions.fromString(sb.toString());
  }

  private static void chgrpRecursively(Path root, long gid) throws IOException {
    try (var paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Files.setAttribute(p, "unix:gid", (int) gid);
      }
    }
  }

  static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // leftovers in the work directory are removed with it
    }
  }

  @SafeVarargs
  private static <T> T first(T... values) {
    for (T v : values) {
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS);
  }

  static String time(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
