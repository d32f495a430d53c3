package io.rustless.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.rustless.operator.build.BuildJobs;
import io.rustless.operator.customresource.RustlessWasmPluginSource;
import io.rustless.operator.higress.WasmPlugin;
import io.rustless.operator.policy.RustlessPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * 1,000 sources through the whole pipeline against the mock API server, with the production cap of
 * 10 concurrent builds: the test plays the Job controller, completing every build Job it sees.
 * Prints the times and the operator's requests (counted by its User-Agent); asserts correctness,
 * the cap, and zero writes at steady state and on reconciles that change nothing.
 */
class ScaleTest extends MockClusterTest {

  private static final int SOURCES = 1000;

  @Test
  void thousandSourcesReconcileUnderTheBuildCapAndThenStayQuiet() throws Exception {
    startOperator();
    drain(r -> true);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    var stop = new AtomicBoolean();
    var maxRunning = new AtomicInteger();
    Set<String> completed = ConcurrentHashMap.newKeySet();
    Thread jobController =
        new Thread(
            () -> {
              while (!stop.get()) {
                List<Job> running =
                    jobs().stream()
                        .filter(j -> BuildJobs.phase(j) == BuildJobs.Phase.RUNNING)
                        .toList();
                maxRunning.accumulateAndGet(running.size(), Math::max);
                for (Job j : running) {
                  if (completed.add(j.getMetadata().getName())) {
                    succeed(j, digest('e'));
                  }
                }
                sleep(50);
              }
            },
            "job-controller");
    try {
      long t0 = System.nanoTime();
      long reconciles0 = reconciles();
      parallel(pool, i -> create(greeter(name(i), Map.of("name", "user-" + i))));
      long created = System.nanoTime();
      jobController.start();

      await()
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> readyCount() == SOURCES);
      long allReady = System.nanoTime();
      long convergeReconciles = reconciles() - reconciles0;
      var converging = new int[2];
      drain(
          r -> {
            if (fromOperator(r)) {
              converging[0]++;
              if (!"GET".equals(r.getMethod())) {
                converging[1]++;
              }
            }
            return false;
          });

      List<WasmPlugin> plugins =
          client.resources(WasmPlugin.class).inNamespace(HIGRESS_NS).list().getItems();
      assertThat(plugins).hasSize(SOURCES);
      assertThat(plugins)
          .allSatisfy(
              p ->
                  assertThat(p.getSpec().getUrl())
                      .isEqualTo("oci://" + REPOSITORY + "@" + digest('e')));
      assertThat(plugins)
          .extracting(p -> p.getSpec().getDefaultConfig().get("name"))
          .doesNotHaveDuplicates();
      assertThat(maxRunning.get()).isLessThanOrEqualTo(10);
      assertThat(completed).hasSize(SOURCES);

      stop.set(true);
      jobController.join();
      drain(r -> true);
      long quiet0 = reconciles();
      Thread.sleep(3000);
      int steadyRequests = drain(MockClusterTest::fromOperator);

      // A policy change reconciles every source; nothing changes, so nothing is written.
      long policy0 = reconciles();
      client
          .resources(RustlessPolicy.class)
          .withName(PERMISSIVE_POLICY)
          .edit(
              p -> {
                p.getSpec().setDomains(List.of("*", "extra.example.com"));
                return p;
              });
      await().atMost(Duration.ofMinutes(2)).until(() -> reconciles() - policy0 >= SOURCES);
      Thread.sleep(1000);
      long policyReconciles = reconciles() - policy0;
      var policy = new int[2];
      drain(
          r -> {
            if (fromOperator(r)) {
              policy[0]++;
              if (!"GET".equals(r.getMethod())) {
                policy[1]++;
              }
            }
            return false;
          });

      System.out.printf(
          "SCALE %d sources, at most 10 builds at once: created in %d ms; all Ready %d ms after"
              + " the first create (max %d build Jobs running at once);"
              + " while converging: %d reconciles, %d operator requests (%.2f per reconcile),"
              + " %d writes (%.1f per source); steady state, 3 s: %d requests (%d reconciles);"
              + " a policy change: %d reconciles, %d requests, %d writes%n",
          SOURCES,
          ms(created - t0),
          ms(allReady - t0),
          maxRunning.get(),
          convergeReconciles,
          converging[0],
          converging[0] / (double) convergeReconciles,
          converging[1],
          converging[1] / (double) SOURCES,
          steadyRequests,
          reconciles() - quiet0 - policyReconciles,
          policyReconciles,
          policy[0],
          policy[1]);
      assertThat(steadyRequests).isZero();
      assertThat(policy[1]).isZero();
    } finally {
      stop.set(true);
      pool.shutdownNow();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private long readyCount() {
    return client
        .resources(RustlessWasmPluginSource.class)
        .inNamespace(NS)
        .list()
        .getItems()
        .stream()
        .filter(ready())
        .count();
  }

  private static String name(int i) {
    return "src-" + i;
  }

  private static long ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  private static void parallel(ExecutorService pool, Consumer<Integer> task) throws Exception {
    var futures =
        IntStream.range(0, SOURCES).mapToObj(i -> pool.submit(() -> task.accept(i))).toList();
    for (var f : futures) {
      f.get(2, TimeUnit.MINUTES);
    }
  }
}
