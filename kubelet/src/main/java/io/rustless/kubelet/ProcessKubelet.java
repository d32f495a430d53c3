package io.rustless.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Runs a pod's one container as a local process standing in for one image ({@link ProcessImage}),
 * for machines where podman cannot run the image ({@code rustless dev} without podman or without
 * the builder image). Everything a kubelet does around the container is {@link Kubelet}'s: env,
 * Secret/ConfigMap/emptyDir volumes, the termination message and {@code FallbackToLogsOnError}, the
 * pod status. A container's paths become paths of this machine: each volume mount and the
 * termination message path is a directory or file under the runner's work directory, and every
 * argument, env value and {@code workingDir} equal to a mount path or under one is rewritten to it
 * (so {@code --termination-log /dev/termination-log} writes the file the kubelet reads).
 *
 * <p>What a container has and a process does not: the image's own file system (the process sees
 * this machine's; its mounts exist only through the rewritten paths), user and group IDs ({@code
 * runAsUser}, {@code fsGroup}: it runs as this JVM's user), {@code readOnlyRootFilesystem},
 * capabilities, seccomp, resource limits and OOM kills, network isolation. On stop (deadline,
 * deletion) the process and its descendants get SIGTERM, then SIGKILL after the grace period.
 */
final class ProcessKubelet extends Kubelet {

  private final ProcessImage image;
  private final Map<String, Running> running = new ConcurrentHashMap<>();

  private record Running(Process process, Path log) {}

  ProcessKubelet(
      KubernetesClient client,
      ProcessImage image,
      Path workRoot,
      String runnerId,
      Consumer<String> log) {
    super(client, workRoot, runnerId, log);
    this.image = image;
  }

  @Override
  String nodeName() {
    return "local-process";
  }

  @Override
  String runtimeScheme() {
    return "process";
  }

  @Override
  String imageId(Container c) {
    return "";
  }

  @Override
  Optional<String> currentLogs(String namespace, String pod) {
    Running r = running.get(namespace + "/" + pod);
    if (r == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readString(r.log(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  @Override
  Optional<Outcome> run(Pod pod, BooleanSupplier cancelled) {
    String key = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    Path dir =
        workRoot.resolve(pod.getMetadata().getNamespace() + "_" + pod.getMetadata().getName());
    Container c = pod.getSpec().getContainers().get(0);
    Instant scheduled = now();
    try {
      Files.createDirectories(dir);
      Path messageFile = dir.resolve("termination-log");
      Path logFile = dir.resolve("container.log");
      ProcessBuilder builder = null;
      String lastWaiting = null;
      while (builder == null) {
        if (cancelled.getAsBoolean()) {
          return Optional.empty();
        }
        try {
          builder = prepare(pod, c, dir, messageFile);
        } catch (NotReady e) {
          if (!e.getMessage().equals(lastWaiting)) {
            log.accept("pod " + key + " waiting: " + e.reason + ": " + e.getMessage());
            lastWaiting = e.getMessage();
            writeStatus(pod, pending(pod, c, scheduled, e.reason, e.getMessage()));
          }
          sleep(Duration.ofSeconds(1));
        }
      }
      Process process;
      try {
        process =
            builder
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
      } catch (IOException e) {
        // What runc says when the entrypoint cannot be executed; the pod fails.
        String msg = "failed to start the container process: " + e.getMessage();
        log.accept("pod " + key + ": " + msg);
        var outcome = new Outcome(false, 128, "StartError", msg, "", false);
        writeStatus(pod, terminated(pod, c, scheduled, scheduled, now(), outcome));
        return Optional.of(outcome);
      }
      String id = Long.toString(process.pid());
      running.put(key, new Running(process, logFile));
      Instant startedAt = now();
      writeStatus(pod, running(pod, c, scheduled, startedAt, id));
      boolean stopped;
      try {
        stopped = waitFor(process, pod, cancelled);
      } finally {
        running.remove(key);
      }
      String logs = Files.readString(logFile, StandardCharsets.UTF_8);
      // SIGKILL's status if it still has not gone (it has been sent)
      int exitCode = process.isAlive() ? 137 : process.exitValue();
      return Optional.of(
          exited(pod, c, scheduled, startedAt, exitCode, false, messageFile, logs, stopped));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteRecursively(dir);
    }
  }

  private ProcessBuilder prepare(Pod pod, Container c, Path dir, Path messageFile)
      throws NotReady, IOException {
    if (!image.image().equals(c.getImage())) {
      throw new NotReady(
          "ErrImagePull",
          "Failed to pull image \""
              + c.getImage()
              + "\": the local process runtime runs only "
              + image.image());
    }
    Map<String, String> podEnv = env(pod, c);
    Map<String, Path> volumes = volumes(pod, dir, null);
    // Container path → path on this machine, longest first so nested mounts win.
    var mounts = new LinkedHashMap<String, Path>();
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
      mounts.put(trimSlash(m.getMountPath()), source);
    }
    String messagePath =
        Optional.ofNullable(c.getTerminationMessagePath()).orElse("/dev/termination-log");
    Files.deleteIfExists(messageFile);
    Files.createFile(messageFile);
    mounts.put(trimSlash(messagePath), messageFile);
    var ordered = new ArrayList<>(mounts.entrySet());
    ordered.sort(
        Comparator.comparingInt((Map.Entry<String, Path> e) -> e.getKey().length()).reversed());

    List<String> command = expand(c.getCommand(), podEnv);
    List<String> args = expand(c.getArgs(), podEnv);
    if (command.isEmpty()) {
      throw new NotReady(
          "CreateContainerConfigError",
          "the local process runtime needs the container's command (it has no image entrypoint)");
    }
    List<String> local = image.commands().get(command.get(0));
    if (local == null) {
      throw new NotReady(
          "CreateContainerConfigError",
          "exec: \""
              + command.get(0)
              + "\": executable file not found in the image (the local process runtime knows "
              + image.commands().keySet()
              + ")");
    }
    var line = new ArrayList<>(local);
    for (String a : command.subList(1, command.size())) {
      line.add(rewrite(a, ordered));
    }
    for (String a : args) {
      line.add(rewrite(a, ordered));
    }
    var pb = new ProcessBuilder(line);
    Map<String, String> env = pb.environment();
    env.putAll(image.env());
    podEnv.forEach((k, v) -> env.put(k, rewrite(v, ordered)));
    if (c.getWorkingDir() != null && !c.getWorkingDir().isBlank()) {
      pb.directory(Path.of(rewrite(c.getWorkingDir(), ordered)).toFile());
    }
    return pb;
  }

  /** A container path as the local path it is mounted from, if it is (under) a mount. */
  static String rewrite(String value, List<Map.Entry<String, Path>> mounts) {
    for (var m : mounts) {
      String mp = m.getKey();
      if (value.equals(mp)) {
        return m.getValue().toString();
      }
      if (value.startsWith(mp + "/")) {
        return m.getValue().resolve(value.substring(mp.length() + 1)).toString();
      }
    }
    return value;
  }

  private static String trimSlash(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  /** Waits for the process to exit; stops it and its descendants when cancelled. */
  private static boolean waitFor(Process process, Pod pod, BooleanSupplier cancelled) {
    try {
      while (!process.waitFor(500, TimeUnit.MILLISECONDS)) {
        if (cancelled.getAsBoolean()) {
          long grace =
              Optional.ofNullable(pod.getSpec().getTerminationGracePeriodSeconds()).orElse(30L);
          stop(process, Duration.ofSeconds(grace));
          return true;
        }
      }
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop(process, Duration.ofSeconds(1));
      return true;
    }
  }

  /** SIGTERM to the process and its descendants, SIGKILL to what is left after {@code grace}. */
  static void stop(Process process, Duration grace) {
    // Also on an interrupted thread (shutdown): the processes must go all the same.
    boolean interrupted = Thread.interrupted();
    try {
      List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
      tree.add(process.toHandle());
      tree.forEach(ProcessHandle::destroy);
      long until = System.nanoTime() + grace.toNanos();
      while (System.nanoTime() < until && tree.stream().anyMatch(ProcessHandle::isAlive)) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          interrupted = true;
          break;
        }
      }
      tree.forEach(ProcessHandle::destroyForcibly);
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  void close() {
    running.values().forEach(r -> stop(r.process(), Duration.ofSeconds(5)));
  }
}
