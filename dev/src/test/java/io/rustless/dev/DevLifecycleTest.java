package io.rustless.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.rustless.dev.kube.Kubectl;
import io.rustless.kubelet.JobRunner;
import io.rustless.operator.customresource.Conditions;
import io.rustless.operator.customresource.RustlessWasmPluginSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dev control plane with its build Jobs run as local processes (the side {@code ./rustless dev}
 * takes where podman cannot run the builder image; {@link DevDemoTest} takes the other here and in
 * CI): two sources applied at once, one with kubectl through the kubeconfig dev writes and one
 * through the API client, watched with {@code kubectl get -w}; the operator restarted while both
 * build; each source built by exactly one Job (none lost, none run twice) and Ready.
 */
class DevLifecycleTest {

  static final Duration BUILD = Duration.ofMinutes(12);

  @TempDir static Path dir;
  static DevEnvironment env;
  static Kubectl kubectl;
  static List<String> detail = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    Path kubectlBinary = Kubectl.find();
    env =
        DevEnvironment.builder(checkout())
            .dir(dir)
            .jobs(DevEnvironment.Jobs.PROCESS)
            .detail(detail::add)
            .start();
    kubectl =
        new Kubectl(
            kubectlBinary, env.kubeconfig(), Files.createDirectories(dir.resolve("kubectl-cache")));
  }

  @AfterAll
  static void stop() {
    if (env != null) {
      env.close();
    }
  }

  static Path checkout() {
    return Path.of(System.getProperty("rustless.repo", "..")).toAbsolutePath().normalize();
  }

  @Test
  void twoSourcesAtOnceAreEachBuiltOnceThoughTheOperatorRestartsMidBuild() throws Exception {
    KubernetesClient client = env.client();
    assertThat(env.jobRunner().runtime()).isEqualTo("process");
    String registry = env.registryHost();
    String example =
        Files.readString(checkout().resolve("examples/say-hello.yaml"))
            .replace("registry.example.com", registry);
    Path first = dir.resolve("say-hello.yaml");
    Files.writeString(first, example);
    Path second = dir.resolve("greeter.yaml");
    Files.writeString(
        second,
        example
            .replace("name: say-hello\n", "name: greeter\n")
            .replace("/plugins/say-hello", "/plugins/greeter")
            .replace("name: Lucy", "name: Greta"));

    try (Kubectl.Background watch =
        kubectl.background(
            "get",
            "rwps",
            "-n",
            "default",
            "--watch",
            "--output-watch-events",
            "-o",
            "jsonpath={.type} {.object.metadata.name}"
                + " {.object.status.conditions[?(@.type==\"Ready\")].status}{\"\\n\"}")) {
      // Both at once: kubectl applies one while the client applies the other.
      Thread other = new Thread(() -> Demo.apply(client, second));
      other.start();
      kubectl.run("apply", "-f", first.toString()).ok();
      other.join();

      // Both build Jobs running, then the operator pod "restarts".
      Map<String, String> jobs = new java.util.HashMap<>();
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(300))
          .until(
              () -> {
                for (String name : List.of("say-hello", "greeter")) {
                  RustlessWasmPluginSource s = source(client, name);
                  if (s != null
                      && s.getStatus() != null
                      && s.getStatus().getCurrentBuildJob() != null) {
                    jobs.put(name, s.getStatus().getCurrentBuildJob());
                  }
                }
                return jobs.size() == 2
                    && env.jobRunner().runningLogs("default", jobs.get("say-hello")).isPresent();
              });
      env.restartOperator();

      for (String name : List.of("say-hello", "greeter")) {
        await()
            .atMost(BUILD)
            .pollInterval(Duration.ofSeconds(1))
            .until(() -> ready(source(client, name)));
      }
      // Each source built by the Job it had before the restart, once.
      List<JobRunner.PodRecord> pods = env.jobRunner().pods();
      assertThat(pods)
          .extracting(JobRunner.PodRecord::job)
          .containsExactlyInAnyOrder(jobs.get("say-hello"), jobs.get("greeter"));
      assertThat(pods).allSatisfy(p -> assertThat(p.exitCode()).isZero());
      assertThat(env.jobRunner().errors()).isEmpty();
      for (String name : List.of("say-hello", "greeter")) {
        RustlessWasmPluginSource s = source(client, name);
        assertThat(s.getStatus().getLastBuild().getJob()).isEqualTo(jobs.get(name));
        assertThat(s.getStatus().getLastBuild().getAttempt()).isEqualTo(1);
        var wp = Demo.wasmPlugin(client, "higress-system", "default." + name).orElseThrow();
        assertThat(((Map<?, ?>) wp.getAdditionalProperties().get("spec")).get("url"))
            .isEqualTo("oci://" + registry + "/plugins/" + name + "@" + s.getStatus().getDigest());
      }

      // kubectl saw them through the same API: get and the watch.
      assertThat(
              kubectl
                  .run(
                      "get",
                      "rwps",
                      "-n",
                      "default",
                      "-o",
                      "jsonpath={range .items[*]}{.metadata.name}="
                          + "{.status.conditions[?(@.type==\"Ready\")].status} {end}")
                  .ok()
                  .out())
          .contains("greeter=True")
          .contains("say-hello=True");
      List<String> seen = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                watch.lines.drainTo(seen);
                return seen.contains("MODIFIED say-hello True")
                    && seen.contains("MODIFIED greeter True");
              });
      assertThat(seen).anyMatch(l -> l.startsWith("ADDED say-hello"));
      assertThat(seen).anyMatch(l -> l.startsWith("ADDED greeter"));
    }
  }

  static RustlessWasmPluginSource source(KubernetesClient client, String name) {
    return client
        .resources(RustlessWasmPluginSource.class)
        .inNamespace("default")
        .withName(name)
        .get();
  }

  static boolean ready(RustlessWasmPluginSource s) {
    return Optional.ofNullable(s)
        .map(RustlessWasmPluginSource::getStatus)
        .flatMap(st -> st.condition(Conditions.READY))
        .filter(c -> Conditions.TRUE.equals(c.getStatus()))
        .isPresent();
  }
}
