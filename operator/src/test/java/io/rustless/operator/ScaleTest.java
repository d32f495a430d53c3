package io.rustless.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.rustless.operator.customresource.RustlessWasmPluginSource;
import io.rustless.operator.higress.WasmPlugin;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * 1,000 sources through the whole pipeline against the mock API server. Prints the times and the
 * write counts; asserts only correctness and zero writes at steady state.
 */
class ScaleTest extends MockClusterTest {

  private static final int SOURCES = 1000;

  @Test
  void thousandSourcesReconcileAndThenStayQuiet() throws Exception {
    startOperator();
    drainWrites();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      long t0 = System.nanoTime();
      parallel(pool, i -> create(greeter(name(i), Map.of("name", "user-" + i))));
      long created = System.nanoTime();

      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> jobs().size() == SOURCES);
      long jobsCreated = System.nanoTime();

      List<Job> jobs = jobs();
      parallel(pool, i -> succeed(jobs.get(i), digest('e')));
      long buildsDone = System.nanoTime();

      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> readyCount() == SOURCES);
      long allReady = System.nanoTime();
      int pipelineWrites = drainWrites();
      // The test itself wrote: each source, and per build one pod and one Job status.
      int operatorWrites = pipelineWrites - 3 * SOURCES;

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

      int steady = steadyStateWrites(Duration.ofSeconds(3));

      System.out.printf(
          "SCALE %d sources: create %d ms; all Jobs after %d ms; test completed builds in %d ms;"
              + " all Ready %d ms after the last build finished (total %d ms);"
              + " operator writes while converging %d (%.1f per source);"
              + " steady-state writes in 3 s: %d%n",
          SOURCES,
          ms(created - t0),
          ms(jobsCreated - t0),
          ms(buildsDone - jobsCreated),
          ms(allReady - buildsDone),
          ms(allReady - t0),
          operatorWrites,
          operatorWrites / (double) SOURCES,
          steady);
      assertThat(steady).isZero();
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(10, TimeUnit.SECONDS);
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
