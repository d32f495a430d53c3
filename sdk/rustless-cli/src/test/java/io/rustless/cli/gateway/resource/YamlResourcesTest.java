package io.rustless.cli.gateway.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resource files read as {@code kubectl apply -f} reads them. */
class YamlResourcesTest {
  @TempDir Path dir;

  @Test
  void readsEveryDocumentOfAFile() {
    List<KubeObject> objects =
        YamlResources.parse(
            """
            apiVersion: extensions.higress.io/v1alpha1
            kind: WasmPlugin
            metadata: {name: a, namespace: higress-system}
            spec: {url: "oci://r.io/a:1"}
            ---
            # a comment only document is skipped
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: b}
            spec: {}
            ---
            """,
            "f.yaml");
    assertThat(objects)
        .extracting(KubeObject::describe)
        .containsExactly("WasmPlugin higress-system/a", "Ingress default/b");
    assertThat(objects.get(0).origin()).isEqualTo("f.yaml, document 1");
    assertThat(objects.get(1).origin()).isEqualTo("f.yaml, document 3");
    assertThat(objects.get(1).namespace()).isEqualTo(KubeObject.DEFAULT_NAMESPACE);
  }

  @Test
  void flattensAList() {
    List<KubeObject> objects =
        YamlResources.parse(
            """
            apiVersion: v1
            kind: List
            items:
              - {apiVersion: v1, kind: Secret, metadata: {name: s1, namespace: higress-system}}
              - {apiVersion: v1, kind: Service, metadata: {name: s2, namespace: shop}}
            """,
            "list.yaml");
    assertThat(objects)
        .extracting(KubeObject::describe)
        .containsExactly("Secret higress-system/s1", "Service shop/s2");
    assertThat(objects.get(1).origin()).isEqualTo("list.yaml, document 1, items[1]");
  }

  @Test
  void readsIdentityAndMetadata() {
    KubeObject o =
        YamlResources.parse(
                """
                apiVersion: extensions.higress.io/v1alpha1
                kind: WasmPlugin
                metadata:
                  name: a
                  namespace: higress-system
                  resourceVersion: "42"
                  creationTimestamp: 2024-05-06T07:08:09Z
                spec: {}
                """,
                "f")
            .get(0);
    assertThat(o.resourceVersion()).isEqualTo("42");
    assertThat(o.creationTimestamp()).contains(Instant.parse("2024-05-06T07:08:09Z"));
    assertThat(o.is("extensions.higress.io", "WasmPlugin")).isTrue();
    assertThat(o.is("", "WasmPlugin")).isFalse();
  }

  @Test
  void badYamlNamesTheLine() {
    assertThatThrownBy(
            () ->
                YamlResources.parse(
                    "apiVersion: v1\nkind: Secret\nmetadata:\n  name: [unclosed\n", "bad.yaml"))
        .isInstanceOf(ResourceException.class)
        .hasMessageStartingWith("bad.yaml: not valid YAML: line ");
  }

  @Test
  void duplicateKeysAreAnError() {
    assertThatThrownBy(
            () ->
                YamlResources.parse(
                    "apiVersion: v1\nkind: Secret\nkind: Service\nmetadata: {name: x}\n", "d.yaml"))
        .isInstanceOf(ResourceException.class)
        .hasMessageContaining("d.yaml: not valid YAML")
        .hasMessageContaining("kind");
  }

  @Test
  void somethingThatIsNotAnObjectIsRefused() {
    assertThatThrownBy(() -> YamlResources.parse("- a\n- b\n", "l.yaml"))
        .hasMessage("l.yaml, document 1: not a Kubernetes object (a YAML mapping)");
    assertThatThrownBy(() -> YamlResources.parse("kind: Secret\nmetadata: {name: x}\n", "n.yaml"))
        .hasMessage("n.yaml, document 1: not a Kubernetes object (no apiVersion)");
    assertThatThrownBy(() -> YamlResources.parse("apiVersion: v1\nkind: Secret\n", "m.yaml"))
        .hasMessage("m.yaml, document 1: Secret has no metadata");
    assertThatThrownBy(
            () ->
                YamlResources.parse(
                    "apiVersion: v1\nkind: Secret\nmetadata: {namespace: x}\n", "m.yaml"))
        .hasMessage("m.yaml, document 1: Secret has no metadata.name");
  }

  @Test
  void aDirectoryMeansItsYamlAndJsonFiles() throws Exception {
    Files.writeString(dir.resolve("b.yaml"), "");
    Files.writeString(dir.resolve("a.yml"), "");
    Files.writeString(dir.resolve("c.json"), "");
    Files.writeString(dir.resolve("notes.txt"), "");
    Files.writeString(dir.resolve(".hidden.yaml"), "");
    Files.createDirectories(dir.resolve("sub"));
    Files.writeString(dir.resolve("sub/d.yaml"), "");
    assertThat(YamlResources.files(dir))
        .extracting(p -> p.getFileName().toString())
        .containsExactly("a.yml", "b.yaml", "c.json");
  }

  @Test
  void nonUtf8IsRefused() throws Exception {
    Path f = dir.resolve("latin1.yaml");
    Files.write(f, "name: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> YamlResources.read(f)).hasMessageEndingWith("not UTF-8 text");
  }
}
