package io.rustless.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.rustless.operator.customresource.Conditions;
import io.rustless.operator.customresource.FailStrategy;
import io.rustless.operator.customresource.PluginPhase;
import io.rustless.operator.customresource.PullPolicy;
import io.rustless.operator.higress.WasmPlugin;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReconcilerTest extends MockClusterTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void createBuildsInAJobThenPublishesTheExactWasmPlugin() throws Exception {
    startOperator();
    var source =
        greeter(
            "hello", Map.of("name", "Alice"), domainRule("a.example.com", Map.of("name", "Lucy")));
    var wp = source.getSpec().getWasmPlugin();
    wp.setPhase(PluginPhase.AUTHN);
    wp.setPriority(100);
    wp.setFailStrategy(FailStrategy.FAIL_OPEN);
    wp.setImagePullPolicy(PullPolicy.IF_NOT_PRESENT);
    wp.setImagePullSecret("pull-creds");
    create(source);

    Job job = awaitJob("hello", 1);
    var building =
        awaitSource("hello", condition(Conditions.BUILT, Conditions.UNKNOWN, "Building"));
    assertThat(building.getStatus().getCurrentBuildJob()).isEqualTo(job.getMetadata().getName());
    assertThat(wasmPlugin("hello")).isEmpty();

    String key = building.getStatus().getBuildKey();
    var container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getCommand()).containsExactly("rustless");
    assertThat(container.getArgs())
        .containsExactly(
            "publish",
            "--extension",
            "greeter",
            "--image",
            REPOSITORY + ":greeter-" + key.substring(0, 12),
            "--termination-log",
            "/dev/termination-log");

    succeed(job, digest('a'));

    var ready = awaitSource("hello", ready());
    WasmPlugin plugin = wasmPlugin("hello").orElseThrow();
    JsonNode expected =
        JSON.readTree(
            """
            {
              "url": "oci://registry.example.com/plugins/greeter@sha256:%s",
              "imagePullPolicy": "IfNotPresent",
              "imagePullSecret": "pull-creds",
              "phase": "AUTHN",
              "priority": 100,
              "failStrategy": "FAIL_OPEN",
              "defaultConfig": {"name": "Alice"},
              "matchRules": [{"domain": ["a.example.com"], "config": {"name": "Lucy"}}]
            }
            """
                .formatted("a".repeat(64)));
    JsonNode actual = JSON.valueToTree(plugin.getSpec());
    assertThat(actual).isEqualTo(expected);
    assertThat(plugin.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "rustless-operator")
        .containsEntry("rustless.io/source", "hello");
    assertThat(plugin.getMetadata().getOwnerReferences()).isNullOrEmpty();

    var status = ready.getStatus();
    assertThat(status.getDigest()).isEqualTo(digest('a'));
    assertThat(status.getLastGoodDigest()).isEqualTo(digest('a'));
    assertThat(status.getLastGoodImage()).isEqualTo(REPOSITORY + "@" + digest('a'));
    assertThat(status.getWasmPlugin().toString()).isEqualTo("higress-system/hello");
    assertThat(status.getCurrentBuildJob()).isNull();
    assertThat(status.getLastBuild().getJob()).isEqualTo(job.getMetadata().getName());
    assertThat(status.getLastBuild().getResult()).isEqualTo("Succeeded");
    assertThat(status.getConditions())
        .extracting(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason())
        .containsExactly(
            "ConfigValid=True/Valid",
            "Built=True/Succeeded",
            "Published=True/Published",
            "Ready=True/Ready");
    assertThat(get("hello").getMetadata().getFinalizers()).contains(Names.FINALIZER);
  }
}
