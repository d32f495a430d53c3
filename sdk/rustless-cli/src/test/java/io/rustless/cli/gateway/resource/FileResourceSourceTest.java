package io.rustless.cli.gateway.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --resources} followed as the files change. */
class FileResourceSourceTest {
  @TempDir Path dir;

  private static String plugin(String name, String greeting) {
    return "apiVersion: extensions.higress.io/v1alpha1\nkind: WasmPlugin\nmetadata:\n  name: "
        + name
        + "\n  namespace: higress-system\nspec:\n  defaultConfig:\n    name: "
        + greeting
        + "\n";
  }

  @Test
  void deliversTheFirstSnapshotAtStartAndEachChangeAfter() throws Exception {
    Files.writeString(dir.resolve("a.yaml"), plugin("a", "Alice"));
    BlockingQueue<ResourceSnapshot> got = new LinkedBlockingQueue<>();
    try (FileResourceSource source = new FileResourceSource(List.of(dir), Duration.ofMillis(50))) {
      source.start(got::add);
      ResourceSnapshot first = got.poll();
      assertThat(first).as("delivered before start returns").isNotNull();
      assertThat(first.wasmPlugins()).extracting(KubeObject::name).containsExactly("a");

      Files.writeString(dir.resolve("b.yaml"), plugin("b", "Bob"));
      ResourceSnapshot added = next(got);
      assertThat(added.wasmPlugins()).extracting(KubeObject::name).containsExactly("a", "b");

      Files.writeString(dir.resolve("a.yaml"), plugin("a", "Anne"));
      ResourceSnapshot edited = next(got);
      assertThat(edited.wasmPlugins().get(0).spec().toString()).contains("Anne");

      Files.delete(dir.resolve("b.yaml"));
      ResourceSnapshot removed = next(got);
      assertThat(removed.wasmPlugins()).extracting(KubeObject::name).containsExactly("a");

      // Rewriting the same content delivers nothing.
      Files.writeString(dir.resolve("a.yaml"), plugin("a", "Anne"));
      assertThat(got.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }
  }

  @Test
  void aFileThatStopsParsingKeepsItsLastGoodObjectsAndSaysWhy() throws Exception {
    Path f = dir.resolve("a.yaml");
    Files.writeString(f, plugin("a", "Alice"));
    BlockingQueue<ResourceSnapshot> got = new LinkedBlockingQueue<>();
    try (FileResourceSource source = new FileResourceSource(List.of(f), Duration.ofMillis(50))) {
      source.start(got::add);
      got.poll();
      Files.writeString(f, "apiVersion: v1\nkind: [broken\n");
      ResourceSnapshot broken = next(got);
      assertThat(broken.wasmPlugins()).extracting(KubeObject::name).containsExactly("a");
      assertThat(broken.problems())
          .singleElement()
          .satisfies(
              p ->
                  assertThat(p)
                      .contains(f.toString())
                      .contains("not valid YAML")
                      .endsWith("(its last good version stays in use)"));
      Files.writeString(f, plugin("a", "Fixed"));
      ResourceSnapshot fixed = next(got);
      assertThat(fixed.problems()).isEmpty();
      assertThat(fixed.wasmPlugins().get(0).spec().toString()).contains("Fixed");
    }
  }

  @Test
  void aFileCaughtHalfWrittenIsNotTakenForAnEmptyOne() throws Exception {
    Path f = dir.resolve("a.yaml");
    Files.writeString(f, plugin("a", "Alice"));
    BlockingQueue<ResourceSnapshot> got = new LinkedBlockingQueue<>();
    try (FileResourceSource source = new FileResourceSource(List.of(f), Duration.ofHours(1))) {
      source.start(got::add);
      got.poll();
      Files.writeString(f, ""); // truncated, as a shell redirection or some editors write
      source.poll();
      Files.writeString(f, plugin("a", "Anne")); // then filled
      source.poll();
      assertThat(got).as("nothing applied while the file kept changing").isEmpty();
      source.poll();
      assertThat(got.poll().wasmPlugins().get(0).spec().toString()).contains("Anne");
      // A file that is really emptied is applied once it has settled.
      Files.writeString(f, "");
      source.poll();
      assertThat(got).isEmpty();
      source.poll();
      assertThat(got.poll().wasmPlugins()).isEmpty();
    }
  }

  @Test
  void anObjectDefinedTwiceIsTakenFromTheLaterFile() throws Exception {
    Files.writeString(dir.resolve("1.yaml"), plugin("same", "First"));
    Files.writeString(dir.resolve("2.yaml"), plugin("same", "Second"));
    BlockingQueue<ResourceSnapshot> got = new LinkedBlockingQueue<>();
    try (FileResourceSource source = new FileResourceSource(List.of(dir), Duration.ofMillis(50))) {
      source.start(got::add);
      ResourceSnapshot s = got.poll();
      assertThat(s.wasmPlugins())
          .singleElement()
          .satisfies(o -> assertThat(o.spec().toString()).contains("Second"));
      assertThat(s.problems())
          .singleElement()
          .satisfies(p -> assertThat(p).contains("defined twice").contains("1.yaml"));
    }
  }

  @Test
  void aPathThatDoesNotExistFailsAtStart() {
    FileResourceSource source =
        new FileResourceSource(List.of(dir.resolve("missing")), Duration.ofMillis(50));
    assertThatThrownBy(() -> source.start(s -> {}))
        .isInstanceOf(ResourceException.class)
        .hasMessageEndingWith("missing does not exist");
  }

  private static ResourceSnapshot next(BlockingQueue<ResourceSnapshot> q)
      throws InterruptedException {
    ResourceSnapshot s = q.poll(10, TimeUnit.SECONDS);
    assertThat(s).as("a snapshot after the change").isNotNull();
    return s;
  }
}
