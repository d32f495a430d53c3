package io.rustless.dev;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.rustless.operator.customresource.Conditions;
import io.rustless.operator.customresource.RustlessWasmPluginSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The demo {@code rustless dev} runs: {@code examples/say-hello.yaml} for the local registry
 * applied, built, pushed and rolled out, requests through the gateway, a configuration change
 * without a rebuild, an invalid configuration refused while the last good WasmPlugin keeps serving,
 * the source deleted. Every line goes to {@code out}; a step that does not come true in time fails
 * the demo with what it waited for.
 */
public final class Demo {

  /** The source the demo applies (from examples/say-hello.yaml). */
  public static final String SOURCE = "say-hello";

  static final String HELLO = "hello.example.com";
  static final String OTHER = "other.example.com";

  private final DevEnvironment env;
  private final Path checkout;
  private final Path dir;
  private final Consumer<String> out;
  private final Duration buildTimeout;
  private final Duration stepTimeout = Duration.ofSeconds(90);
  private final long started = System.nanoTime();
  private final List<String> summary = new ArrayList<>();
  private final Map<String, String> seenConditions = new ConcurrentHashMap<>();
  private final Map<String, Long> seenVersions = new ConcurrentHashMap<>();

  public Demo(
      DevEnvironment env, Path checkout, Path dir, Consumer<String> out, Duration buildTimeout) {
    this.env = env;
    this.checkout = checkout;
    this.dir = dir;
    this.out = out;
    this.buildTimeout = buildTimeout;
  }

  /** What the demo showed, for its caller (and its test). */
  public record Result(String digest, String wasmPlugin, int builds, List<String> summary) {}

  public Result run() {
    DevGateway gateway =
        env.gateway().orElseThrow(() -> new DevException("the demo needs the gateway"));
    KubernetesClient client = env.client();
    SharedIndexInformer<RustlessWasmPluginSource> informer = watchConditions(client);
    try {
      // 1. apply, build, push, roll out
      Path example = env.example();
      long t = System.nanoTime();
      step(
          "1. apply "
              + (example.startsWith(checkout) ? checkout.relativize(example) : example)
              + " (examples/say-hello.yaml, pushing to "
              + env.registryHost()
              + ")");
      apply(client, example);
      RustlessWasmPluginSource ready =
          await(
              "default/" + SOURCE + " Ready",
              buildTimeout,
              () -> source(client),
              s -> isReady(s) && s.getStatus().getWasmPlugin() != null);
      printed(ready);
      String digest = ready.getStatus().getDigest();
      String wasmPluginName = ready.getStatus().getWasmPlugin().getName();
      String wasmPluginNs = ready.getStatus().getWasmPlugin().getNamespace();
      GenericKubernetesResource wp = wasmPlugin(client, wasmPluginNs, wasmPluginName).orElseThrow();
      String url =
          String.valueOf(((Map<?, ?>) wp.getAdditionalProperties().get("spec")).get("url"));
      line("   WasmPlugin " + wasmPluginNs + "/" + wasmPluginName + ": " + url);
      int builds = env.jobRunner().pods().size();
      line(
          "   built and published in "
              + seconds(t)
              + " by "
              + builds
              + " build Job ("
              + env.jobRunner().runtime()
              + ")");
      summary.add(
          String.format(
              Locale.ROOT,
              "applied, built, pushed and served in %s (%s)",
              seconds(t),
              env.jobRunner().runtime()));

      // 2. traffic
      step("2. requests through the gateway " + gateway.url());
      t = System.nanoTime();
      awaitAnswer(gateway, HELLO, "Hello, Lucy!");
      show(gateway, HELLO);
      show(gateway, OTHER);
      summary.add(
          "served: "
              + HELLO
              + " by say-hello with its match rule's config, other hosts with say-hello's own"
              + " default (no defaultConfig yet)");

      // 3. a configuration change: no rebuild
      step(
          "3. a config change: defaultConfig {name: everyone} on every route, the match rule's name"
              + " Lucy -> Ana");
      t = System.nanoTime();
      patch(
          client,
          "{\"spec\":{\"wasmPlugin\":{\"defaultConfigDisable\":false,"
              + "\"defaultConfig\":{\"name\":\"everyone\"},"
              + "\"matchRules\":[{\"domain\":[\""
              + HELLO
              + "\"],\"config\":{\"name\":\"Ana\"}}]}}}");
      long generation = source(client).getMetadata().getGeneration();
      RustlessWasmPluginSource changed =
          await(
              "default/" + SOURCE + " Ready at generation " + generation,
              stepTimeout,
              () -> source(client),
              s -> isReady(s) && observed(s) >= generation);
      printed(changed);
      awaitAnswer(gateway, HELLO, "Hello, Ana!");
      awaitAnswer(gateway, OTHER, "Hello, everyone!");
      show(gateway, HELLO);
      show(gateway, OTHER);
      int buildsNow = env.jobRunner().pods().size();
      if (buildsNow != builds || !digest.equals(changed.getStatus().getDigest())) {
        throw new DevException(
            "a configuration change rebuilt the plugin: "
                + buildsNow
                + " build Jobs, digest "
                + changed.getStatus().getDigest());
      }
      line(
          "   no rebuild: still "
              + builds
              + " build Job, same digest "
              + shortDigest(digest)
              + "; WasmPlugin updated in "
              + seconds(t));
      summary.add("config change applied in " + seconds(t) + " without a rebuild");

      // 4. an invalid configuration: refused, the last good WasmPlugin keeps serving
      step("4. an invalid config: defaultConfig {name: 42} (say-hello's name is a string)");
      t = System.nanoTime();
      String before =
          wasmPlugin(client, wasmPluginNs, wasmPluginName)
              .orElseThrow()
              .getMetadata()
              .getResourceVersion();
      patch(client, "{\"spec\":{\"wasmPlugin\":{\"defaultConfig\":{\"name\":42}}}}");
      long badGeneration = source(client).getMetadata().getGeneration();
      RustlessWasmPluginSource refused =
          await(
              "default/" + SOURCE + " ConfigValid=False",
              stepTimeout,
              () -> source(client),
              s ->
                  observed(s) >= badGeneration
                      && s.getStatus()
                          .condition(Conditions.CONFIG_VALID)
                          .filter(c -> Conditions.FALSE.equals(c.getStatus()))
                          .isPresent());
      printed(refused);
      Condition invalid = refused.getStatus().condition(Conditions.CONFIG_VALID).orElseThrow();
      line("   ConfigValid=False: " + invalid.getMessage());
      String after =
          wasmPlugin(client, wasmPluginNs, wasmPluginName)
              .orElseThrow()
              .getMetadata()
              .getResourceVersion();
      line(
          "   WasmPlugin "
              + wasmPluginNs
              + "/"
              + wasmPluginName
              + (before.equals(after) ? " unchanged" : " CHANGED")
              + " (resourceVersion "
              + after
              + "); the gateway still serves the last good config:");
      if (!before.equals(after)) {
        throw new DevException("the invalid config changed the WasmPlugin");
      }
      show(gateway, HELLO);
      show(gateway, OTHER);
      summary.add("invalid config refused (" + invalid.getMessage() + "); last good kept serving");

      // 5. delete
      step("5. delete the source (kubectl delete rwps " + SOURCE + ")");
      t = System.nanoTime();
      client
          .resources(RustlessWasmPluginSource.class)
          .inNamespace(DevEnvironment.NAMESPACE)
          .withName(SOURCE)
          .delete();
      await(
          "WasmPlugin " + wasmPluginNs + "/" + wasmPluginName + " deleted",
          stepTimeout,
          () -> wasmPlugin(client, wasmPluginNs, wasmPluginName).isPresent() ? null : "gone",
          s -> true);
      await(
          "default/" + SOURCE + " deleted",
          stepTimeout,
          () -> source(client) == null ? "gone" : null,
          s -> true);
      line("   WasmPlugin " + wasmPluginNs + "/" + wasmPluginName + " deleted in " + seconds(t));
      awaitAnswer(gateway, HELLO, "upstream:");
      show(gateway, HELLO);
      summary.add("deleted: WasmPlugin gone, requests reach the upstream");

      step("Summary (" + seconds(started) + " in all)");
      for (String s : summary) {
        line("   - " + s);
      }
      return new Result(digest, wasmPluginNs + "/" + wasmPluginName, builds, List.copyOf(summary));
    } finally {
      informer.close();
    }
  }

  // ---- the steps' parts
  // ---------------------------------------------------------------------------

  static void apply(KubernetesClient client, Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      for (HasMetadata item : client.load(in).items()) {
        client.resource(item).createOr(existing -> existing.update());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void patch(KubernetesClient client, String mergePatch) {
    client
        .resources(RustlessWasmPluginSource.class)
        .inNamespace(DevEnvironment.NAMESPACE)
        .withName(SOURCE)
        .patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch);
  }

  private static RustlessWasmPluginSource source(KubernetesClient client) {
    return client
        .resources(RustlessWasmPluginSource.class)
        .inNamespace(DevEnvironment.NAMESPACE)
        .withName(SOURCE)
        .get();
  }

  static Optional<GenericKubernetesResource> wasmPlugin(
      KubernetesClient client, String namespace, String name) {
    return Optional.ofNullable(
        client
            .genericKubernetesResources("extensions.higress.io/v1alpha1", "WasmPlugin")
            .inNamespace(namespace)
            .withName(name)
            .get());
  }

  private static boolean isReady(RustlessWasmPluginSource s) {
    return s != null
        && s.getStatus() != null
        && observed(s) >= s.getMetadata().getGeneration()
        && s.getStatus()
            .condition(Conditions.READY)
            .filter(c -> Conditions.TRUE.equals(c.getStatus()))
            .isPresent();
  }

  private static long observed(RustlessWasmPluginSource s) {
    return s == null || s.getStatus() == null || s.getStatus().getObservedGeneration() == null
        ? -1
        : s.getStatus().getObservedGeneration();
  }

  /** Prints every condition of every source as it changes, with the time since the start. */
  private SharedIndexInformer<RustlessWasmPluginSource> watchConditions(KubernetesClient client) {
    return client
        .resources(RustlessWasmPluginSource.class)
        .inNamespace(DevEnvironment.NAMESPACE)
        .inform(
            new ResourceEventHandler<>() {
              @Override
              public void onAdd(RustlessWasmPluginSource s) {
                print(s);
              }

              @Override
              public void onUpdate(RustlessWasmPluginSource old, RustlessWasmPluginSource s) {
                print(s);
              }

              @Override
              public void onDelete(RustlessWasmPluginSource s, boolean unknown) {}
            },
            0);
  }

  /** Waits until the condition printer has seen {@code s} (so lines come in order). */
  private void printed(RustlessWasmPluginSource s) {
    long version = Long.parseLong(s.getMetadata().getResourceVersion());
    long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (seenVersions.getOrDefault(s.getMetadata().getName(), -1L) < version
        && System.nanoTime() < until) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private synchronized void print(RustlessWasmPluginSource s) {
    seenVersions.merge(
        s.getMetadata().getName(), Long.parseLong(s.getMetadata().getResourceVersion()), Math::max);
    if (s.getStatus() == null || s.getStatus().getConditions() == null) {
      return;
    }
    for (Condition c : s.getStatus().getConditions()) {
      if (Conditions.RECONCILING.equals(c.getType()) && !Conditions.TRUE.equals(c.getStatus())) {
        continue;
      }
      String key = s.getMetadata().getName() + "/" + c.getType();
      String value = c.getStatus() + "|" + c.getReason() + "|" + c.getMessage();
      if (!value.equals(seenConditions.put(key, value))) {
        line(
            String.format(
                Locale.ROOT,
                "   %7s  %-12s %-8s %-16s %s",
                "+" + seconds(started),
                c.getType(),
                c.getStatus(),
                Optional.ofNullable(c.getReason()).orElse(""),
                oneLine(Optional.ofNullable(c.getMessage()).orElse(""))));
      }
    }
  }

  private void awaitAnswer(DevGateway gateway, String host, String expected) {
    await(
        "the gateway answering " + host + " with " + expected,
        stepTimeout,
        () -> {
          try {
            return RawHttp.get(gateway.url(), host, "/");
          } catch (IOException e) {
            return null;
          }
        },
        a -> a.body().contains(expected));
  }

  private void show(DevGateway gateway, String host) {
    try {
      RawHttp.Answer a = RawHttp.get(gateway.url(), host, "/");
      line(
          "   curl -H 'Host: "
              + host
              + "' "
              + gateway.url()
              + "/  ->  "
              + a.status()
              + " "
              + oneLine(a.body()));
    } catch (IOException e) {
      throw new DevException("the gateway did not answer: " + e.getMessage(), e);
    }
  }

  private <T> T await(String what, Duration timeout, Supplier<T> get, Predicate<T> done) {
    long until = System.nanoTime() + timeout.toNanos();
    T last = null;
    while (System.nanoTime() < until) {
      try {
        last = get.get();
      } catch (RuntimeException e) {
        last = null;
      }
      if (last != null && done.test(last)) {
        return last;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DevException("interrupted while waiting for " + what);
      }
    }
    throw new DevException(
        "timed out after "
            + timeout.toSeconds()
            + " s waiting for "
            + what
            + (last == null ? "" : " (last seen: " + describe(last) + ")"));
  }

  private static String describe(Object o) {
    if (o instanceof RustlessWasmPluginSource s && s.getStatus() != null) {
      return String.valueOf(s.getStatus().getConditions());
    }
    return oneLine(String.valueOf(o));
  }

  private void step(String title) {
    line("==> " + title);
  }

  private synchronized void line(String text) {
    out.accept(text);
  }

  static String oneLine(String s) {
    String t = s.strip().replace("\r", "").replace("\n", " | ");
    return t.length() > 200 ? t.substring(0, 200) + "…" : t;
  }

  private static String shortDigest(String digest) {
    return digest == null ? "?" : digest.substring(0, Math.min(digest.length(), 19)) + "…";
  }

  private static String seconds(long since) {
    return String.format(Locale.ROOT, "%.1fs", (System.nanoTime() - since) / 1e9);
  }
}
