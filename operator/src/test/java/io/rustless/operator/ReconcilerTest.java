package io.rustless.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.rustless.operator.customresource.BuildSettings;
import io.rustless.operator.customresource.Conditions;
import io.rustless.operator.customresource.ExtensionSource;
import io.rustless.operator.customresource.FailStrategy;
import io.rustless.operator.customresource.GitSource;
import io.rustless.operator.customresource.MatchRule;
import io.rustless.operator.customresource.PluginPhase;
import io.rustless.operator.customresource.PullPolicy;
import io.rustless.operator.higress.WasmPlugin;
import java.time.Duration;
import java.util.List;
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
    // kstatus: in progress is Ready=Unknown with Reconciling=True, not a failure.
    assertThat(building.getStatus().getConditions())
        .extracting(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason())
        .containsExactly(
            "ConfigValid=True/Valid",
            "Built=Unknown/Building",
            "Published=False/NotPublished",
            "Ready=Unknown/Building",
            "Reconciling=True/Progressing");
    assertThat(wasmPlugin("hello")).isEmpty();

    String key = building.getStatus().getBuildKey();
    var container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getCommand()).containsExactly("rustless");
    assertThat(container.getArgs())
        .containsExactly(
            "publish",
            "--extension",
            "greeter",
            "--offline",
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
        .containsEntry("app.kubernetes.io/instance", "rustless-operator")
        .containsEntry("rustless.io/source", "hello")
        .containsEntry("rustless.io/source-namespace", NS);
    // No anchor configured in this test: no owner (the chart's installs have one, see
    // HelmInstallTest).
    assertThat(plugin.getMetadata().getOwnerReferences()).isNullOrEmpty();

    var status = ready.getStatus();
    assertThat(status.getDigest()).isEqualTo(digest('a'));
    assertThat(status.getLastGoodDigest()).isEqualTo(digest('a'));
    assertThat(status.getLastGoodImage()).isEqualTo(REPOSITORY + "@" + digest('a'));
    assertThat(status.getWasmPlugin().toString()).isEqualTo("higress-system/team-a.hello");
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
    // No finalizer: deleting the source never waits for the operator.
    assertThat(get("hello").getMetadata().getFinalizers()).isNullOrEmpty();
  }

  /** Creates a ready source serving digest 'a'; returns its first build Job. */
  private Job readySource(String name) {
    create(
        greeter(
            name, Map.of("name", "Alice"), domainRule("a.example.com", Map.of("name", "Lucy"))));
    Job job = awaitJob(name, 1);
    succeed(job, digest('a'));
    awaitSource(name, ready());
    return job;
  }

  @Test
  void steadyStateMakesNoWrites() throws Exception {
    startOperator();
    readySource("quiet");

    assertThat(steadyStateWrites(Duration.ofSeconds(2))).isZero();
  }

  @Test
  void configOrRuleChangeUpdatesTheWasmPluginWithoutRebuilding() throws Exception {
    startOperator();
    readySource("hello");
    String key = get("hello").getStatus().getBuildKey();

    editSpec(
        "hello",
        spec -> {
          spec.getWasmPlugin().setDefaultConfig(Map.of("name", "Bob"));
          spec.getWasmPlugin()
              .setMatchRules(List.of(domainRule("b.example.com", Map.of("name", "Zoe"))));
        });

    var plugin =
        awaitWasmPlugin("hello", w -> "Bob".equals(w.getSpec().getDefaultConfig().get("name")));
    assertThat(plugin.getSpec().getMatchRules())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getDomain()).containsExactly("b.example.com");
              assertThat(r.getConfig()).isEqualTo(Map.of("name", "Zoe"));
            });
    assertThat(plugin.getSpec().getUrl()).endsWith(digest('a'));
    var source = awaitSource("hello", ready());
    assertThat(source.getStatus().getBuildKey()).isEqualTo(key);
    assertThat(jobs()).hasSize(1);

    // Removing rules removes them from the WasmPlugin too (full spec comparison).
    editSpec("hello", spec -> spec.getWasmPlugin().setMatchRules(null));
    awaitWasmPlugin("hello", w -> w.getSpec().getMatchRules() == null);
    assertThat(jobs()).hasSize(1);
  }

  @Test
  void invalidConfigIsReportedByFieldAndNothingIsDeployed() {
    startOperator();
    create(greeter("bad", Map.of("nam", "typo"), domainRule("a.example.com", Map.of("name", 7))));

    var source =
        awaitSource("bad", condition(Conditions.CONFIG_VALID, Conditions.FALSE, "InvalidConfig"));
    var configValid = source.getStatus().condition(Conditions.CONFIG_VALID).orElseThrow();
    assertThat(configValid.getMessage())
        .isEqualTo(
            "defaultConfig.name: required property missing; matchRules[0].config.name: must be string");
    assertThat(source.getStatus().condition(Conditions.READY).orElseThrow().getStatus())
        .isEqualTo("False");
    assertThat(jobs()).isEmpty();
    assertThat(wasmPlugin("bad")).isEmpty();
    assertThat(events("InvalidConfig")).hasSize(1);
  }

  @Test
  void invalidChangeLeavesTheServingWasmPluginAlone() {
    startOperator();
    readySource("hello");
    var before = wasmPlugin("hello").orElseThrow();

    editSpec("hello", spec -> spec.getWasmPlugin().setDefaultConfig(Map.of("name", 42)));

    var source =
        awaitSource("hello", condition(Conditions.CONFIG_VALID, Conditions.FALSE, "InvalidConfig"));
    assertThat(source.getStatus().condition(Conditions.CONFIG_VALID).orElseThrow().getMessage())
        .isEqualTo("defaultConfig.name: must be string");
    var after = wasmPlugin("hello").orElseThrow();
    assertThat(after.getMetadata().getResourceVersion())
        .isEqualTo(before.getMetadata().getResourceVersion());
    assertThat(jobs()).hasSize(1);
  }

  @Test
  void failedBuildKeepsTheLastGoodWasmPluginAndWaitsForASpecChange() throws Exception {
    startOperator();
    Job first = readySource("hello");
    var serving = wasmPlugin("hello").orElseThrow();

    // A new builder image changes the build key: a rebuild, which fails.
    editSpec("hello", spec -> spec.setBuild(buildWithImage("ghcr.io/rustless/builder:0.2.0")));
    Job second = awaitNewJob(first);
    fail(
        second,
        "[INFO] compiling\n[ERROR] Greeter.java:[12,5] cannot find symbol\nBUILD FAILURE",
        false);

    var failed = awaitSource("hello", condition(Conditions.BUILT, Conditions.FALSE, "BuildFailed"));
    var built = failed.getStatus().condition(Conditions.BUILT).orElseThrow();
    assertThat(built.getMessage())
        .startsWith("build Job " + second.getMetadata().getName() + " failed; last log lines:")
        .contains("cannot find symbol")
        .endsWith("BUILD FAILURE");
    assertThat(failed.getStatus().condition(Conditions.PUBLISHED).orElseThrow().getReason())
        .isEqualTo("ServingPreviousBuild");
    assertThat(failed.getStatus().condition(Conditions.READY).orElseThrow().getReason())
        .isEqualTo("BuildFailed");
    assertThat(failed.getStatus().getLastGoodDigest()).isEqualTo(digest('a'));
    assertThat(failed.getStatus().getDigest()).isNull();
    assertThat(wasmPlugin("hello").orElseThrow().getMetadata().getResourceVersion())
        .isEqualTo(serving.getMetadata().getResourceVersion());
    assertThat(events("BuildFailed")).hasSize(1);

    // No retry while the backoff (1h here) runs and the spec stays the same.
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(3))
        .until(() -> jobs().size() == 2);

    // Any spec change retries (here: a longer timeout, which is not part of the build key).
    editSpec("hello", spec -> spec.getBuild().setTimeoutSeconds(3600L));
    Job retry = awaitJob("hello", 2);
    assertThat(retry.getSpec().getActiveDeadlineSeconds()).isEqualTo(3600L);
    succeed(retry, digest('b'));
    var ready = awaitSource("hello", ready());
    assertThat(ready.getStatus().getLastGoodDigest()).isEqualTo(digest('b'));
    awaitWasmPlugin("hello", w -> w.getSpec().getUrl().endsWith(digest('b')));
  }

  @Test
  void aPushTheRegistryRefusedIsNotPublishedWithTheRegistrysAnswerAndRetried() throws Exception {
    config.buildRetryBase(Duration.ofSeconds(1));
    startOperator();
    Job first = readySource("hello");
    var serving = wasmPlugin("hello").orElseThrow();

    editSpec("hello", spec -> spec.setBuild(buildWithImage("ghcr.io/rustless/builder:0.2.0")));
    Job second = awaitNewJob(first);
    // rustless publish exits with 4 (ExitCode.REGISTRY) when the registry refuses the push.
    fail(
        second,
        "==> Checking registry.example.com\nregistry registry.example.com answered 401"
            + " Unauthorized while checking access: it refused the credentials of user ci",
        false,
        4);

    var refused =
        awaitSource("hello", condition(Conditions.PUBLISHED, Conditions.FALSE, "PushFailed"));
    var published = refused.getStatus().condition(Conditions.PUBLISHED).orElseThrow();
    assertThat(published.getMessage())
        .startsWith("build Job " + second.getMetadata().getName() + " could not push")
        .contains("answered 401 Unauthorized")
        .endsWith("keeps serving " + digest('a'));
    assertThat(refused.getStatus().condition(Conditions.BUILT).orElseThrow().getStatus())
        .isEqualTo(Conditions.UNKNOWN);
    assertThat(refused.getStatus().condition(Conditions.READY).orElseThrow().getReason())
        .isEqualTo("PushFailed");
    assertThat(wasmPlugin("hello").orElseThrow().getMetadata().getResourceVersion())
        .isEqualTo(serving.getMetadata().getResourceVersion());

    // Retried after the backoff like a failed build, with nothing changed.
    Job retry = awaitJob("hello", 2);
    succeed(retry, digest('c'));
    awaitSource("hello", ready());
    awaitWasmPlugin("hello", w -> w.getSpec().getUrl().endsWith(digest('c')));
  }

  @Test
  void timedOutBuildIsReportedAndRetriedWithBackoff() {
    config.buildRetryBase(Duration.ofSeconds(1));
    startOperator();
    create(greeter("slow", Map.of("name", "Alice")));
    Job first = awaitJob("slow", 1);

    fail(first, "[INFO] Downloading from central ...", true);

    var timedOut =
        awaitSource("slow", condition(Conditions.BUILT, Conditions.FALSE, "BuildTimedOut"));
    assertThat(timedOut.getStatus().condition(Conditions.BUILT).orElseThrow().getMessage())
        .contains("timed out")
        .contains("Downloading from central");
    assertThat(timedOut.getStatus().condition(Conditions.PUBLISHED).orElseThrow().getReason())
        .isEqualTo("NotPublished");
    assertThat(wasmPlugin("slow")).isEmpty();

    // The backoff (1 s after the first failure) expires: attempt 2, same build key.
    Job second = awaitJob("slow", 2);
    assertThat(second.getMetadata().getAnnotations())
        .containsEntry(Names.BUILD_KEY_ANNOTATION, timedOut.getStatus().getBuildKey());
    succeed(second, digest('c'));
    awaitSource("slow", ready());
  }

  @Test
  void deletingTheSourceDeletesItsWasmPlugin() {
    startOperator();
    readySource("hello");

    client.resource(get("hello")).delete();

    await().atMost(EVENTUALLY).until(() -> wasmPlugin("hello").isEmpty() && get("hello") == null);
  }

  @Test
  void movingTheWasmPluginToAnotherGatewayNamespaceDeletesTheOldOne() {
    config.wasmPluginNamespaces(java.util.Set.of(HIGRESS_NS, "gateway-b"));
    startOperator();
    readySource("hello");

    editSpec("hello", spec -> spec.getWasmPlugin().setNamespace("gateway-b"));

    await()
        .atMost(EVENTUALLY)
        .until(
            () -> wasmPlugin("gateway-b", NS + ".hello"),
            w -> w.isPresent() && w.get().getSpec().getUrl().endsWith(digest('a')));
    await().atMost(EVENTUALLY).until(() -> wasmPlugin("hello").isEmpty());
    assertThat(awaitSource("hello", ready()).getStatus().getWasmPlugin().toString())
        .isEqualTo("gateway-b/team-a.hello");
  }

  @Test
  void restartedOperatorAdoptsTheRunningJob() {
    startOperator();
    create(greeter("hello", Map.of("name", "Alice")));
    Job job = awaitJob("hello", 1);
    awaitSource("hello", condition(Conditions.BUILT, Conditions.UNKNOWN, "Building"));

    stopOperator();
    startOperator();
    // The new instance sees the running Job and starts no other.
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(2))
        .until(() -> jobs().size() == 1);

    succeed(job, digest('a'));
    awaitSource("hello", ready());
    assertThat(jobs())
        .extracting(j -> j.getMetadata().getName())
        .containsExactly(job.getMetadata().getName());
  }

  @Test
  void apiConflictsAndErrorsAreRetried() {
    startOperator();
    Job first = readySource("hello");
    // The next WasmPlugin update meets a conflict; the next Job create is refused as if the Job
    // existed (the operator looks for it to adopt it, finds none, and the reconcile is retried).
    server
        .expect()
        .put()
        .withPath(
            "/apis/extensions.higress.io/v1alpha1/namespaces/higress-system/wasmplugins/team-a.hello")
        .andReturn(409, conflict("wasmplugins", "team-a.hello"))
        .once();
    server
        .expect()
        .post()
        .withPath("/apis/batch/v1/namespaces/team-a/jobs")
        .andReturn(409, alreadyExists())
        .once();

    editSpec("hello", spec -> spec.getWasmPlugin().setDefaultConfig(Map.of("name", "Bob")));
    awaitWasmPlugin("hello", w -> "Bob".equals(w.getSpec().getDefaultConfig().get("name")));
    awaitSource("hello", ready());

    editSpec("hello", spec -> spec.setBuild(buildWithImage("ghcr.io/rustless/builder:0.2.0")));
    Job job = awaitNewJob(first);
    assertThat(job.getMetadata().getName()).endsWith("-1");
    succeed(job, digest('d'));
    awaitSource(
        "hello", s -> ready().test(s) && digest('d').equals(s.getStatus().getLastGoodDigest()));
  }

  private static String conflict(String plural, String name) {
    return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Conflict\",\"code\":409,"
        + "\"message\":\"Operation cannot be fulfilled on "
        + plural
        + " \\\""
        + name
        + "\\\": the object has been modified\"}";
  }

  private static String alreadyExists() {
    return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"AlreadyExists\",\"code\":409,"
        + "\"message\":\"jobs.batch already exists\"}";
  }

  private static BuildSettings buildWithImage(String image) {
    var b = new BuildSettings();
    b.setBuilderImage(image);
    return b;
  }

  @Test
  void gitSourceIsBuiltWithoutSchemaValidationAndSaysSo() {
    startOperator();
    var source = greeter("from-git", Map.of("anything", List.of(1, 2)));
    source
        .getSpec()
        .setSource(
            new ExtensionSource(
                null,
                new GitSource(
                    "https://git.example.com/acme/plugins.git", "3f2a9c1", "extensions/greeter")));
    create(source);

    Job job = awaitJob("from-git", 1);
    var status =
        awaitSource("from-git", condition(Conditions.CONFIG_VALID, Conditions.TRUE, "NoSchema"))
            .getStatus();
    assertThat(status.condition(Conditions.CONFIG_VALID).orElseThrow().getMessage())
        .contains("not validated");
    assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .containsSubsequence(
            "--git",
            "https://git.example.com/acme/plugins.git",
            "--revision",
            "3f2a9c1",
            "--path",
            "extensions/greeter");
    succeed(job, digest('f'));
    awaitSource("from-git", ready());
  }

  @Test
  void unknownExtensionAndForeignNamespaceAreRejectedBeforeBuilding() {
    startOperator();
    var unknown = greeter("unknown", Map.of("name", "x"));
    unknown.getSpec().getSource().setExtension("no-such-plugin");
    create(unknown);
    var elsewhere = greeter("elsewhere", Map.of("name", "x"));
    elsewhere.getSpec().getWasmPlugin().setNamespace("team-a");
    create(elsewhere);
    var ruleless =
        greeter(
            "ruleless",
            Map.of("name", "x"),
            new MatchRule(null, null, null, Map.of("name", "y"), null));
    create(ruleless);

    awaitSource(
        "unknown", condition(Conditions.CONFIG_VALID, Conditions.FALSE, "UnknownExtension"));
    var ns =
        awaitSource(
            "elsewhere",
            condition(Conditions.CONFIG_VALID, Conditions.FALSE, "NamespaceNotAllowed"));
    assertThat(ns.getStatus().condition(Conditions.CONFIG_VALID).orElseThrow().getMessage())
        .contains("higress-system");
    var rule =
        awaitSource(
            "ruleless", condition(Conditions.CONFIG_VALID, Conditions.FALSE, "InvalidSpec"));
    assertThat(rule.getStatus().condition(Conditions.CONFIG_VALID).orElseThrow().getMessage())
        .isEqualTo("spec.wasmPlugin.matchRules[0]: set at least one of ingress, domain or service");
    assertThat(jobs()).isEmpty();
  }

  @Test
  void historyLimitsPruneOldFinishedJobs() {
    startOperator();
    var source = greeter("hist", Map.of("name", "Alice"));
    var build = buildWithImage("ghcr.io/rustless/builder:0.1.0");
    build.setSuccessfulBuildsHistoryLimit(1);
    build.setFailedBuildsHistoryLimit(1);
    source.getSpec().setBuild(build);
    create(source);
    Job ok1 = awaitJob("hist", 1);
    succeed(ok1, digest('a'));
    awaitSource("hist", ready());

    editSpec("hist", spec -> spec.getBuild().setBuilderImage("ghcr.io/rustless/builder:0.2.0"));
    Job failed1 = awaitNewJob(ok1);
    fail(failed1, "BUILD FAILURE", false);
    awaitSource("hist", condition(Conditions.BUILT, Conditions.FALSE, "BuildFailed"));

    editSpec("hist", spec -> spec.getBuild().setTimeoutSeconds(999L));
    Job failed2 = awaitJob("hist", 2);
    fail(failed2, "BUILD FAILURE again", false);
    // One failed Job kept: the newest.
    await()
        .atMost(EVENTUALLY)
        .until(() -> names(jobs()), n -> n.equals(java.util.Set.of(name(ok1), name(failed2))));

    editSpec("hist", spec -> spec.getBuild().setTimeoutSeconds(1000L));
    Job ok2 = awaitJob("hist", 3);
    succeed(ok2, digest('b'));
    awaitSource(
        "hist", s -> ready().test(s) && digest('b').equals(s.getStatus().getLastGoodDigest()));
    // One succeeded Job kept: the newest; the failed one stays within its own limit.
    await()
        .atMost(EVENTUALLY)
        .until(() -> names(jobs()), n -> n.equals(java.util.Set.of(name(ok2), name(failed2))));
  }

  private static String name(Job job) {
    return job.getMetadata().getName();
  }

  private static java.util.Set<String> names(List<Job> jobs) {
    return jobs.stream().map(ReconcilerTest::name).collect(java.util.stream.Collectors.toSet());
  }

  @Test
  void neverOverwritesAWasmPluginItDoesNotManage() {
    var foreign = new WasmPlugin();
    foreign.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName("team-a.hello")
            .withNamespace(HIGRESS_NS)
            .build());
    var spec = new io.rustless.operator.higress.WasmPluginSpec();
    spec.setUrl("oci://someone/else@sha256:" + "0".repeat(64));
    foreign.setSpec(spec);
    client.resource(foreign).create();
    startOperator();

    create(greeter("hello", Map.of("name", "Alice")));
    succeed(awaitJob("hello", 1), digest('a'));

    var source =
        awaitSource(
            "hello", condition(Conditions.PUBLISHED, Conditions.FALSE, "WasmPluginNameTaken"));
    assertThat(source.getStatus().condition(Conditions.READY).orElseThrow().getReason())
        .isEqualTo("WasmPluginNameTaken");
    assertThat(wasmPlugin("hello").orElseThrow().getSpec().getUrl())
        .startsWith("oci://someone/else");

    // Deleting the source leaves the foreign WasmPlugin alone.
    client.resource(get("hello")).delete();
    await().atMost(EVENTUALLY).until(() -> get("hello") == null);
    assertThat(wasmPlugin("hello")).isPresent();
  }
}
