package io.rustless.operator.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.rustless.operator.Names;
import io.rustless.operator.OperatorConfig;
import io.rustless.operator.customresource.ExtensionSource;
import io.rustless.operator.customresource.GitSource;
import io.rustless.operator.customresource.ImageTarget;
import io.rustless.operator.customresource.RustlessWasmPluginSource;
import io.rustless.operator.customresource.RustlessWasmPluginSourceSpec;
import org.junit.jupiter.api.Test;

class BuildJobSpecTest {

  private static final OperatorConfig CONFIG = OperatorConfig.builder().sdkVersion("1.0").build();

  private static RustlessWasmPluginSource source(ExtensionSource from) {
    var spec = new RustlessWasmPluginSourceSpec();
    spec.setSource(from);
    spec.setImage(new ImageTarget("registry.example.com:5000/plugins/x", "push"));
    var s = new RustlessWasmPluginSource();
    s.setMetadata(
        new ObjectMetaBuilder().withName("demo").withNamespace("ns").withGeneration(3L).build());
    s.setSpec(spec);
    return s;
  }

  @Test
  void jobRunsRustlessPublishAsTheImageUserReadOnlyWithThePushSecretAsDockerConfig() {
    var source = source(new ExtensionSource("say-hello", null));
    var inputs = BuildInputs.from(source.getSpec(), CONFIG);
    String name = Names.buildJobName(source, inputs.key(), 2);

    var job = BuildJobSpec.create(source, inputs, 2, name, CONFIG.buildUser());

    assertThat(name).isEqualTo("demo-" + inputs.key().hex().substring(0, 10) + "-2");
    var spec = job.getSpec();
    assertThat(spec.getBackoffLimit()).isZero();
    assertThat(spec.getActiveDeadlineSeconds()).isEqualTo(1800L);
    // The operator deletes finished Jobs itself once their result is recorded: a TTL could delete
    // one (and its pod's result) before the operator saw it.
    assertThat(spec.getTtlSecondsAfterFinished()).isNull();
    var pod = spec.getTemplate().getSpec();
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
    assertThat(pod.getSecurityContext().getRunAsGroup()).isEqualTo(10001L);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getContainers()).hasSize(1);
    var c = pod.getContainers().get(0);
    assertThat(c.getImage()).isEqualTo("ghcr.io/rustless/builder:0.1.0");
    assertThat(c.getCommand()).containsExactly("rustless");
    assertThat(c.getArgs())
        .containsExactly(
            "publish",
            "--extension",
            "say-hello",
            "--offline",
            "--image",
            "registry.example.com:5000/plugins/x:say-hello-" + inputs.key().hex().substring(0, 12),
            "--termination-log",
            "/dev/termination-log");
    assertThat(c.getTerminationMessagePolicy()).isEqualTo("FallbackToLogsOnError");
    assertThat(c.getTerminationMessagePath()).isEqualTo("/dev/termination-log");
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
    assertThat(c.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    // Every path the build writes is an emptyDir: the workspace copy, HOME and temporary files.
    assertThat(c.getEnv())
        .extracting(e -> e.getName() + "=" + e.getValue())
        .contains("HOME=/tmp", "RUSTLESS_WORKSPACE=/workspace");
    assertThat(c.getVolumeMounts())
        .filteredOn(m -> m.getReadOnly() == null || !m.getReadOnly())
        .extracting(m -> m.getMountPath())
        .containsExactlyInAnyOrder("/tmp", "/workspace");
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getEmptyDir() != null)
        .extracting(v -> v.getEmptyDir().getSizeLimit())
        .containsExactlyInAnyOrder(new Quantity("1Gi"), new Quantity("2Gi"));
    assertThat(c.getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("DOCKER_CONFIG");
              assertThat(e.getValue()).isEqualTo("/var/run/rustless/docker");
            });
    assertThat(c.getVolumeMounts())
        .anySatisfy(
            m -> {
              assertThat(m.getMountPath()).isEqualTo("/var/run/rustless/docker");
              assertThat(m.getReadOnly()).isTrue();
            });
    assertThat(pod.getVolumes())
        .anySatisfy(
            v -> {
              assertThat(v.getSecret().getSecretName()).isEqualTo("push");
              assertThat(v.getSecret().getItems())
                  .singleElement()
                  .satisfies(
                      i -> {
                        assertThat(i.getKey()).isEqualTo(".dockerconfigjson");
                        assertThat(i.getPath()).isEqualTo("config.json");
                      });
            });
    assertThat(c.getResources().getRequests())
        .containsEntry("cpu", new Quantity("500m"))
        .containsEntry("memory", new Quantity("1Gi"))
        .containsKey("ephemeral-storage");
    assertThat(c.getResources().getLimits())
        .containsEntry("memory", new Quantity("2Gi"))
        .containsKey("ephemeral-storage");
    assertThat(job.getMetadata().getAnnotations())
        .containsEntry(Names.BUILD_KEY_ANNOTATION, inputs.key().hex())
        .containsEntry(Names.ATTEMPT_ANNOTATION, "2")
        .containsEntry(Names.GENERATION_ANNOTATION, "3");
    assertThat(spec.getTemplate().getMetadata().getLabels())
        .containsEntry(Names.BUILD_JOB_LABEL, name);
  }

  @Test
  void gitSourcePassesRepositoryRevisionAndPathAndTagsWithTheLastSegment() {
    var source =
        source(
            new ExtensionSource(
                null,
                new GitSource(
                    "https://github.com/acme/plugins.git", "v1.2.0", "extensions/rate-limit/")));
    var inputs = BuildInputs.from(source.getSpec(), CONFIG);

    var args = BuildJobSpec.publishArgs(inputs);

    assertThat(args)
        .containsExactly(
            "publish",
            "--git",
            "https://github.com/acme/plugins.git",
            "--revision",
            "v1.2.0",
            "--path",
            "extensions/rate-limit",
            "--offline",
            "--image",
            "registry.example.com:5000/plugins/x:rate-limit-" + inputs.key().hex().substring(0, 12),
            "--termination-log",
            "/dev/termination-log");
    var root = new SourceRef.Git("https://github.com/acme/my-plugin.git", "main", "");
    assertThat(root.tagStem()).isEqualTo("my-plugin");
  }

  @Test
  void aResolvedBranchBuildsItsCommitAndPrivateRepositoriesGetTheirSecretAsFilesNotArguments() {
    var git = new GitSource("https://git.example.com/acme/plugins.git", "main", "ext/a");
    git.setSecretRef(new io.rustless.operator.customresource.SecretReference("git-token"));
    var source = source(new ExtensionSource(null, git));
    String commit = "0123456789abcdef0123456789abcdef01234567";
    var branch = BuildInputs.from(source.getSpec(), CONFIG);
    var inputs = branch.withSource(((SourceRef.Git) branch.source()).at(commit), CONFIG);

    var job = BuildJobSpec.create(source, inputs, 1, "demo-x-1", 1000);

    var c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getArgs()).containsSubsequence("--revision", commit);
    assertThat(String.join(" ", c.getArgs())).doesNotContain("git-token");
    assertThat(job.getSpec().getTemplate().getSpec().getVolumes())
        .filteredOn(v -> v.getSecret() != null)
        .anySatisfy(
            v -> {
              assertThat(v.getSecret().getSecretName()).isEqualTo("git-token");
              assertThat(v.getSecret().getItems()).isNullOrEmpty();
            });
    assertThat(c.getVolumeMounts())
        .anySatisfy(
            m -> {
              assertThat(m.getMountPath()).isEqualTo(GitCredentialsMount.DIR);
              assertThat(m.getReadOnly()).isTrue();
            });
    assertThat(c.getEnv())
        .extracting(e -> e.getName() + "=" + e.getValue())
        .contains(
            "GIT_CONFIG_COUNT=1",
            "GIT_CONFIG_KEY_0=credential.helper",
            "GIT_CONFIG_VALUE_0=" + GitCredentialsMount.HELPER);
    // The key follows the commit: a new commit on the branch rebuilds, the branch name does not.
    assertThat(inputs.key()).isNotEqualTo(branch.key());
    var sameCommitById =
        BuildInputs.from(
            source(new ExtensionSource(null, new GitSource(git.getRepository(), commit, "ext/a")))
                .getSpec(),
            CONFIG);
    assertThat(inputs.key()).isEqualTo(sameCommitById.key());
  }

  @Test
  void buildKeyChangesWithSourceSdkBuilderAndRepositoryOnly() {
    var ext = new SourceRef.Extension("a");
    var base = BuildKey.of(ext, "1.0", "img:1", "r.io/x");

    assertThat(BuildKey.of(new SourceRef.Extension("a"), "1.0", "img:1", "r.io/x")).isEqualTo(base);
    assertThat(BuildKey.of(new SourceRef.Extension("b"), "1.0", "img:1", "r.io/x"))
        .isNotEqualTo(base);
    assertThat(BuildKey.of(ext, "1.1", "img:1", "r.io/x")).isNotEqualTo(base);
    assertThat(BuildKey.of(ext, "1.0", "img:2", "r.io/x")).isNotEqualTo(base);
    assertThat(BuildKey.of(ext, "1.0", "img:1", "r.io/y")).isNotEqualTo(base);
    assertThat(BuildKey.of(new SourceRef.Git("g", "r1", "p"), "1.0", "img:1", "r.io/x"))
        .isNotEqualTo(BuildKey.of(new SourceRef.Git("g", "r2", "p"), "1.0", "img:1", "r.io/x"));
  }

  @Test
  void onlyTheOperatorsPlainHttpRegistriesArePushedToOverHttp() {
    var source = source(new ExtensionSource("say-hello", null));
    var plain =
        OperatorConfig.builder()
            .sdkVersion("1.0")
            .plainHttpRegistries(java.util.Set.of("registry.example.com:5000"))
            .build();
    var otherPort =
        OperatorConfig.builder()
            .sdkVersion("1.0")
            .plainHttpRegistries(java.util.Set.of("registry.example.com"))
            .build();

    assertThat(BuildJobSpec.publishArgs(BuildInputs.from(source.getSpec(), plain)))
        .containsSubsequence("--offline", "--plain-http", "--image");
    assertThat(BuildJobSpec.publishArgs(BuildInputs.from(source.getSpec(), otherPort)))
        .doesNotContain("--plain-http");
    assertThat(BuildJobSpec.publishArgs(BuildInputs.from(source.getSpec(), CONFIG)))
        .doesNotContain("--plain-http");
  }

  @Test
  void longSourceNamesGiveBoundedDistinctJobNames() {
    var a = source(new ExtensionSource("x", null));
    a.getMetadata().setName("a".repeat(80) + "-one");
    var b = source(new ExtensionSource("x", null));
    b.getMetadata().setName("a".repeat(80) + "-two");
    var key = BuildInputs.from(a.getSpec(), CONFIG).key();

    String na = Names.buildJobName(a, key, 12);
    String nb = Names.buildJobName(b, key, 12);

    assertThat(na).hasSizeLessThanOrEqualTo(63).isNotEqualTo(nb);
    assertThat(Names.sourceLabel(a)).hasSizeLessThanOrEqualTo(63);
  }

  @Test
  void terminationMessageIsParsedIntoDigestAndRepository() {
    String d = "sha256:" + "0123456789abcdef".repeat(4);
    var out =
        BuildOutput.parse(
                "{\"digest\":\""
                    + d
                    + "\",\"reference\":\"r.io:5000/p/x@"
                    + d
                    + "\",\"size\":99}\n")
            .orElseThrow();

    assertThat(out.repository()).isEqualTo("r.io:5000/p/x");
    assertThat(out.size()).isEqualTo(99);
    assertThat(BuildOutput.wasmPluginUrl(out.image())).isEqualTo("oci://r.io:5000/p/x@" + d);
    assertThat(BuildOutput.parse("[ERROR] BUILD FAILURE")).isEmpty();
    assertThat(BuildOutput.parse("{\"digest\":\"sha256:abc\",\"reference\":\"r/x@sha256:abc\"}"))
        .isEmpty();
    assertThat(
            BuildOutput.parse(
                "{\"digest\":\"" + d + "\",\"reference\":\"r/x@sha256:" + "f".repeat(64) + "\"}"))
        .isEmpty();
  }

  @Test
  void backoffDoublesUpToItsCap() {
    var b = new Backoff(java.time.Duration.ofMinutes(1), java.time.Duration.ofMinutes(10));
    assertThat(b.after(1)).hasMinutes(1);
    assertThat(b.after(2)).hasMinutes(2);
    assertThat(b.after(4)).hasMinutes(8);
    assertThat(b.after(5)).hasMinutes(10);
    assertThat(b.after(100)).hasMinutes(10);
  }
}
