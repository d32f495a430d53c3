package io.rustless.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.rustless.operator.customresource.Conditions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Deleting sources never hangs, stops their builds and leaves no WasmPlugin behind. */
class DeletionTest extends MockClusterTest {

  @Test
  void deletingASourceMidBuildStopsItsJob() {
    startOperator();
    create(greeter("busy", Map.of("name", "A")));
    Job job = awaitJob("busy", 1);
    awaitSource("busy", condition(Conditions.BUILT, Conditions.UNKNOWN, "Building"));

    client.resource(get("busy")).delete();

    // No garbage collector in the mock: the Job goes because the operator deletes it.
    await()
        .atMost(EVENTUALLY)
        .until(
            () ->
                client
                        .batch()
                        .v1()
                        .jobs()
                        .inNamespace(NS)
                        .withName(job.getMetadata().getName())
                        .get()
                    == null);
    assertThat(get("busy")).isNull();
  }

  @Test
  void aSourceDeletedWhileTheOperatorIsDownIsGoneAtOnceAndItsWasmPluginIsSweptOnStart() {
    config.orphanSweepInterval(Duration.ofSeconds(1));
    startOperator();
    create(greeter("left", Map.of("name", "A")));
    succeed(awaitJob("left", 1), digest('a'));
    awaitSource("left", ready());
    stopOperator();

    client.resource(get("left")).delete();
    // No finalizer holds it (before, the source hung with the operator gone).
    assertThat(get("left")).isNull();
    assertThat(wasmPlugin("left")).isPresent();

    startOperator();
    await().atMost(EVENTUALLY).until(() -> wasmPlugin("left").isEmpty());
  }

  @Test
  void theSweepLeavesWasmPluginsOfLiveSourcesAndOfOtherInstallationsAlone() throws Exception {
    config.orphanSweepInterval(Duration.ofMillis(300));
    startOperator();
    create(greeter("alive", Map.of("name", "A")));
    succeed(awaitJob("alive", 1), digest('a'));
    awaitSource("alive", ready());
    var other = wasmPlugin("alive").orElseThrow();
    other.getMetadata().setName("team-a.other-install");
    other.getMetadata().setResourceVersion(null);
    other.getMetadata().getLabels().put(Names.INSTANCE_LABEL, "another-release");
    other.getMetadata().getAnnotations().put("io.javaoperatorsdk/primary-name", "gone");
    client.resource(other).create();

    Thread.sleep(1500);

    assertThat(wasmPlugin("alive")).isPresent();
    assertThat(wasmPlugin(HIGRESS_NS, "team-a.other-install")).isPresent();
  }

  @Test
  void sourcesWithTheOldFinalizerLoseItAndDeleteCleanly() {
    var source = greeter("legacy", Map.of("name", "A"));
    source.getMetadata().setFinalizers(List.of(Names.LEGACY_FINALIZER));
    create(source);
    startOperator();

    await()
        .atMost(EVENTUALLY)
        .until(() -> get("legacy").getMetadata().getFinalizers(), f -> f == null || f.isEmpty());
    succeed(awaitJob("legacy", 1), digest('a'));
    awaitSource("legacy", ready());
    client.resource(get("legacy")).delete();
    await().atMost(EVENTUALLY).until(() -> get("legacy") == null && wasmPlugin("legacy").isEmpty());
  }
}
