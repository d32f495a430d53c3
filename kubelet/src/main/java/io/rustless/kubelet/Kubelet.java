package io.rustless.kubelet;

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
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a kubelet does around a pod's one container, whatever runs it: the environment (values,
 * Secret/ConfigMap/field references, envFrom, the kubelet's {@code $(VAR)} expansion), Secret and
 * ConfigMap volumes with {@code items} and modes, emptyDirs, the termination message (at most 4096
 * bytes) and {@code FallbackToLogsOnError} (the log's last 80 lines, at most 2048 bytes), and the
 * pod status a kubelet writes (Pending with a reason, Running, terminated with exit code, reason
 * and message). {@link PodmanKubelet} runs the container with podman, {@link ProcessKubelet} as a
 * local process standing in for one image.
 */
abstract sealed class Kubelet permits PodmanKubelet, ProcessKubelet {

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
  static final class NotReady extends Exception {
    private static final long serialVersionUID = 1L;
    final String reason;

    NotReady(String reason, String message) {
      super(message);
      this.reason = reason;
    }
  }

  final KubernetesClient client;
  final Path workRoot;
  final String runnerId;
  final Consumer<String> log;

  Kubelet(KubernetesClient client, Path workRoot, String runnerId, Consumer<String> log) {
    this.client = client;
    this.workRoot = workRoot;
    this.runnerId = runnerId;
    this.log = log;
  }

  /** The running container's log so far, if the pod's container is running. */
  abstract Optional<String> currentLogs(String namespace, String pod);

  /**
   * Runs {@code pod} to completion, writing its status as it goes. Returns empty when {@code
   * cancelled} before its container started, and an outcome marked {@code stopped} when it stopped
   * the container (deadline, deletion): the caller then deletes the pod as the controllers do.
   */
  abstract Optional<Outcome> run(Pod pod, BooleanSupplier cancelled);

  /** The node name pods run by this kubelet get ({@code spec.nodeName}). */
  abstract String nodeName();

  /** The image ID a container status reports ({@code imageID}); empty if unknown. */
  abstract String imageId(Container c);

  /** The container ID's scheme in a container status ({@code containerID: <scheme>://<id>}). */
  abstract String runtimeScheme();

  /** Stops and removes what this kubelet still runs. */
  void close() {}

  static String pullPolicy(Container c) {
    if (c.getImagePullPolicy() != null && !c.getImagePullPolicy().isBlank()) {
      return c.getImagePullPolicy();
    }
    String image = c.getImage();
    String last = image.substring(image.lastIndexOf('/') + 1);
    return !last.contains(":") || last.endsWith(":latest") ? "Always" : "IfNotPresent";
  }

  Map<String, String> env(Pod pod, Container c) throws NotReady {
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

  static String field(Pod pod, String path) throws NotReady {
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
      case "spec.nodeName" -> pod.getSpec().getNodeName();
      case "spec.serviceAccountName" ->
          Optional.ofNullable(pod.getSpec().getServiceAccountName()).orElse("default");
      case "status.podIP", "status.hostIP" -> "127.0.0.1";
      default ->
          throw new NotReady(
              "CreateContainerConfigError", "job runner: fieldRef " + path + " is not supported");
    };
  }

  Map<String, Path> volumes(Pod pod, Path dir, Long fsGroup) throws NotReady, IOException {
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
  static void project(
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

  Optional<Map<String, String>> secretData(String ns, String name) {
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

  Optional<Map<String, String>> configMapData(String ns, String name) {
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

  static boolean isSecretOrConfigMap(Pod pod, String volume) {
    return Optional.ofNullable(pod.getSpec().getVolumes()).orElse(List.of()).stream()
        .anyMatch(
            v -> v.getName().equals(volume) && (v.getSecret() != null || v.getConfigMap() != null));
  }

  // ---- the termination message and the status ---------------------------------------------------

  /**
   * What the kubelet does when a container has exited: the termination message (or the logs' tail),
   * the terminated state written to the pod, one log line.
   */
  Outcome exited(
      Pod pod,
      Container c,
      Instant scheduled,
      Instant startedAt,
      int exitCode,
      boolean oomKilled,
      Path messageFile,
      String logs,
      boolean stopped)
      throws IOException {
    Instant finishedAt = now();
    String message = terminationMessage(c, messageFile, exitCode, logs);
    String reason = oomKilled ? "OOMKilled" : exitCode == 0 ? "Completed" : "Error";
    var outcome =
        new Outcome(exitCode == 0 && !oomKilled, exitCode, reason, message, logs, stopped);
    writeStatus(pod, terminated(pod, c, scheduled, startedAt, finishedAt, outcome));
    log.accept(
        "pod "
            + pod.getMetadata().getNamespace()
            + "/"
            + pod.getMetadata().getName()
            + " terminated: exit "
            + exitCode
            + " ("
            + reason
            + (stopped ? ", stopped" : "")
            + ")");
    return outcome;
  }

  static String terminationMessage(Container c, Path messageFile, int exitCode, String logs)
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

  PodStatus pending(Pod pod, Container c, Instant scheduled, String reason, String msg) {
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

  PodStatus running(Pod pod, Container c, Instant scheduled, Instant started, String id) {
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

  PodStatus terminated(
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

  static PodStatusBuilder base(Pod pod, Instant scheduled) {
    return new PodStatusBuilder()
        .withHostIP("127.0.0.1")
        .withPodIP("127.0.0.1")
        .withStartTime(time(scheduled))
        .withQosClass(qos(pod));
  }

  ContainerStatusBuilder status(Container c, String id, boolean running) {
    String imageId = imageId(c);
    var b =
        new ContainerStatusBuilder()
            .withName(c.getName())
            .withImage(c.getImage())
            .withImageID(imageId)
            .withRestartCount(0)
            .withReady(running)
            .withStarted(running);
    if (id != null) {
      b.withContainerID(runtimeScheme() + "://" + id);
    }
    return b;
  }

  static PodCondition condition(String type, String status, String reason, Instant at) {
    return new PodConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withLastTransitionTime(time(at))
        .build();
  }

  static String qos(Pod pod) {
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

  void writeStatus(Pod pod, PodStatus status) {
    writeStatusRetrying(
        () ->
            client
                .pods()
                .inNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName())
                .editStatus(
                    p -> {
                      p.setStatus(status);
                      return p;
                    }));
  }

  /**
   * A status write as the kubelet's status manager and the job controller make it: a conflict
   * (another writer between the read and the write) is retried on a fresh read, up to 5 times; an
   * object deleted meanwhile needs no status.
   */
  static void writeStatusRetrying(Runnable write) {
    for (int attempt = 1; ; attempt++) {
      try {
        write.run();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          return;
        }
        if (e.getCode() != 409 || attempt >= 5) {
          throw e;
        }
        sleep(Duration.ofMillis(50L * attempt));
      }
    }
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

  static List<String> expand(List<String> list, Map<String, String> env) {
    return list == null ? List.of() : list.stream().map(s -> expand(s, env)).toList();
  }

  static java.util.Set<java.nio.file.attribute.PosixFilePermission> permissions(int mode) {
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

  static void chgrpRecursively(Path root, long gid) throws IOException {
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
  static <T> T first(T... values) {
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
