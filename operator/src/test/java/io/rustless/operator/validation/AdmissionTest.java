package io.rustless.operator.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.rustless.operator.OperatorConfig;
import io.rustless.operator.customresource.BuildSettings;
import io.rustless.operator.customresource.ExtensionSource;
import io.rustless.operator.customresource.GitSource;
import io.rustless.operator.customresource.ImageTarget;
import io.rustless.operator.customresource.MatchRule;
import io.rustless.operator.customresource.RustlessWasmPluginSource;
import io.rustless.operator.customresource.RustlessWasmPluginSourceSpec;
import io.rustless.operator.customresource.WasmPluginSettings;
import io.rustless.operator.higress.WasmPluginSchema;
import io.rustless.operator.policy.RustlessPolicy;
import io.rustless.operator.policy.RustlessPolicySpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Admission as a pure function: a source, the policies and the CRD in, a verdict out. */
class AdmissionTest {

  private static final OperatorConfig CONFIG =
      OperatorConfig.builder()
          .sdkVersion("1")
          .allowedBuilderImages(Set.of("registry.example.com/builders/*"))
          .build();
  private static final Admission ADMISSION =
      new Admission(CONFIG, Catalogue.directory(Path.of("src/test/resources/catalogue")));

  private static Admission.World world(String crdFile) throws IOException {
    var policy = new RustlessPolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName("all").build());
    policy.setSpec(new RustlessPolicySpec(List.of("team-a"), List.of("*"), List.of("*"), true));
    try (InputStream in = Files.newInputStream(Path.of(crdFile))) {
      var crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
      return new Admission.World(List.of(policy), WasmPluginSchema.from(crd));
    }
  }

  private static Admission.World higress2() throws IOException {
    return world("../crds/wasmplugins.extensions.higress.io.yaml");
  }

  private static RustlessWasmPluginSource source(MatchRule... rules) {
    var spec = new RustlessWasmPluginSourceSpec();
    spec.setSource(new ExtensionSource("greeter", null));
    spec.setImage(new ImageTarget("registry.example.com/plugins/greeter", "push"));
    var wp = new WasmPluginSettings();
    wp.setDefaultConfig(Map.of("name", "A"));
    wp.setMatchRules(rules.length == 0 ? null : List.of(rules));
    spec.setWasmPlugin(wp);
    var s = new RustlessWasmPluginSource();
    s.setMetadata(new ObjectMetaBuilder().withName("hello").withNamespace("team-a").build());
    s.setSpec(spec);
    return s;
  }

  @Test
  void aGoodSourceIsAdmittedWithItsTargetAndNormalisedRules() throws IOException {
    var verdict =
        ADMISSION.check(
            source(new MatchRule(List.of("web"), null, null, Map.of("name", "W"), null)),
            higress2());

    assertThat(verdict)
        .isInstanceOfSatisfying(
            Admission.Verdict.Admitted.class,
            a -> {
              assertThat(a.wasmPlugin().toString()).isEqualTo("higress-system/team-a.hello");
              assertThat(a.spec().getMatchRules().get(0).getIngress())
                  .containsExactly("team-a/web");
              assertThat(a.configReason()).isEqualTo("Valid");
            });
  }

  @Test
  void builderImagesComeFromTheAllowList() throws IOException {
    var allowed = source();
    var b = new BuildSettings();
    b.setBuilderImage("registry.example.com/builders/jdk21:1");
    allowed.getSpec().setBuild(b);
    var refused = source();
    var c = new BuildSettings();
    c.setBuilderImage("registry.example.com/other:1");
    refused.getSpec().setBuild(c);

    assertThat(ADMISSION.check(allowed, higress2())).isInstanceOf(Admission.Verdict.Admitted.class);
    assertThat(ADMISSION.check(refused, higress2()))
        .isInstanceOfSatisfying(
            Admission.Verdict.Rejected.class,
            r -> assertThat(r.message()).startsWith("policy rule builder-image-allowed:"));
  }

  @Test
  void gitUrlsMustBeHttpWithoutCredentialsAndIntervalsMustParse() throws IOException {
    var withCreds = source();
    withCreds
        .getSpec()
        .setSource(
            new ExtensionSource(
                null, new GitSource("https://u:p4ss@g.example.com/x.git", "main", ".")));
    var ssh = source();
    ssh.getSpec()
        .setSource(
            new ExtensionSource(null, new GitSource("git@g.example.com:x.git", "main", ".")));
    var badInterval = source();
    var git = new GitSource("https://g.example.com/x.git", "main", ".");
    git.setInterval("every day");
    badInterval.getSpec().setSource(new ExtensionSource(null, git));

    assertThat(ADMISSION.check(withCreds, higress2()))
        .isInstanceOfSatisfying(
            Admission.Verdict.Rejected.class,
            r -> {
              assertThat(r.reason()).isEqualTo("PolicyViolation");
              assertThat(r.message())
                  .startsWith("policy rule git-credentials-in-secret:")
                  .doesNotContain("p4ss");
            });
    assertThat(ADMISSION.check(ssh, higress2()))
        .isInstanceOfSatisfying(
            Admission.Verdict.Rejected.class, r -> assertThat(r.reason()).isEqualTo("InvalidSpec"));
    assertThat(ADMISSION.check(badInterval, higress2()))
        .isInstanceOfSatisfying(
            Admission.Verdict.Rejected.class,
            r -> assertThat(r.message()).startsWith("spec.source.git.interval:"));
  }

  @Test
  void theClustersCrdDecidesWhichFieldsMayBeWritten() throws IOException {
    var service =
        source(new MatchRule(null, null, List.of("s.team-a.svc.cluster.local"), null, null));

    assertThat(ADMISSION.check(service, higress2())).isInstanceOf(Admission.Verdict.Admitted.class);
    assertThat(
            ADMISSION.check(
                service,
                world("src/test/resources/higress-1.x/wasmplugins.extensions.higress.io.yaml")))
        .isInstanceOfSatisfying(
            Admission.Verdict.Rejected.class,
            r -> {
              assertThat(r.reason()).isEqualTo("FieldNotSupported");
              assertThat(r.message()).contains("spec.wasmPlugin.matchRules[0].service");
            });
    assertThat(
            ADMISSION.check(service, new Admission.World(higress2().policies(), Optional.empty())))
        .isInstanceOfSatisfying(
            Admission.Verdict.Rejected.class,
            r -> assertThat(r.reason()).isEqualTo("WasmPluginCRDNotFound"));
  }
}
