package io.rustless.cli.gateway;

import io.rustless.cli.ToolException;
import io.rustless.cli.gateway.GatewayConfig.Active;
import io.rustless.cli.gateway.GatewayConfig.ChainEntry;
import io.rustless.cli.gateway.GatewayConfig.Unavailable;
import io.rustless.cli.gateway.fetch.ModuleFetcher;
import io.rustless.cli.gateway.higress.ChainOrder;
import io.rustless.cli.gateway.higress.HigressController;
import io.rustless.cli.gateway.higress.IngressRoutes;
import io.rustless.cli.gateway.higress.PluginDeployment;
import io.rustless.cli.gateway.higress.Route;
import io.rustless.cli.gateway.resource.KubeObject;
import io.rustless.cli.gateway.resource.ResourceSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The gateway's control plane: turns each resource snapshot into a {@link GatewayConfig} as
 * Higress's controller and Istio's agent would, one snapshot at a time on its own thread, and
 * publishes it atomically. What a change that fails does:
 *
 * <ul>
 *   <li>a WasmPlugin Higress refuses to translate keeps its previous version ({@code
 *       ingress_config.go} 1172–1176: the controller logs and returns);
 *   <li>a module that cannot be fetched or loaded, or a configuration the plugin refuses, keeps the
 *       previous version serving (Envoy rejects the new filter configuration and keeps the old);
 *       with no previous version the plugin is {@link Unavailable} and its failStrategy applies;
 *   <li>every such failure is logged once, with the reason;
 *   <li>a module that could not be fetched or loaded is tried again every {@code retryInterval}
 *       (the registry may come up, the image be pushed), until it loads or the WasmPlugin changes.
 * </ul>
 */
public final class ControlPlane<P extends LoadedPlugin> implements AutoCloseable {
  private final String namespace;
  private final IngressRoutes.Options ingressOptions;
  private final ModuleFetcher fetcher;
  private final PluginLoader<P> loader;
  private final Consumer<String> log;
  private final AtomicReference<GatewayConfig<P>> current =
      new AtomicReference<>(GatewayConfig.empty());
  private final Map<String, ChainEntry<P>> entries = new LinkedHashMap<>();
  private final Map<String, String> fingerprints = new HashMap<>();
  private final Map<String, PluginStatus> statuses = new LinkedHashMap<>();
  private final Map<String, String> lastLogged = new HashMap<>();
  private final Set<String> retrying = new LinkedHashSet<>();
  private final Duration retryInterval;
  private ResourceSnapshot lastSnapshot;
  private Set<String> lastProblems = Set.of();
  private String lastRoutes = "";
  private String lastChain = "";
  private final Object lock = new Object();
  private ResourceSnapshot pending;
  private long submitted;
  private long applied;
  private boolean closed;
  private final Thread worker;

  /** What the gateway knows of one WasmPlugin. */
  public record PluginStatus(String key, State state, String detail) {}

  /** Where a WasmPlugin stands. */
  public enum State {
    /** Loaded and in the chain. */
    ACTIVE,
    /** Its latest version failed; the previous one is in the chain. */
    PREVIOUS_VERSION,
    /** Never loaded; its failStrategy applies to requests. */
    UNAVAILABLE,
    /** Refused before it ever loaded; not in the chain. */
    INVALID,
    /** defaultConfigDisable and no rule left: not in the chain. */
    DISABLED,
    /** Outside the controller namespace. */
    IGNORED
  }

  public ControlPlane(
      String namespace,
      IngressRoutes.Options ingressOptions,
      ModuleFetcher fetcher,
      PluginLoader<P> loader,
      Consumer<String> log) {
    this(namespace, ingressOptions, fetcher, loader, log, Duration.ofSeconds(10));
  }

  /** As above, with failed fetches and loads tried again every {@code retryInterval}. */
  public ControlPlane(
      String namespace,
      IngressRoutes.Options ingressOptions,
      ModuleFetcher fetcher,
      PluginLoader<P> loader,
      Consumer<String> log,
      Duration retryInterval) {
    this.retryInterval = Objects.requireNonNull(retryInterval);
    this.namespace = Objects.requireNonNull(namespace);
    this.ingressOptions = Objects.requireNonNull(ingressOptions);
    this.fetcher = Objects.requireNonNull(fetcher);
    this.loader = Objects.requireNonNull(loader);
    this.log = Objects.requireNonNull(log);
    this.worker = new Thread(this::run, "rustless-gateway-control");
    this.worker.setDaemon(true);
    this.worker.start();
  }

  /** The configuration requests get now. */
  public GatewayConfig<P> current() {
    return current.get();
  }

  /**
   * Queues {@code snapshot}; returns its generation. Snapshots that arrive while one is being
   * applied are coalesced: only the latest is applied.
   */
  public long submit(ResourceSnapshot snapshot) {
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("closed");
      }
      pending = Objects.requireNonNull(snapshot);
      submitted++;
      lock.notifyAll();
      return submitted;
    }
  }

  /** Waits until the snapshot of {@code generation} (or a later one) is applied. */
  public boolean awaitApplied(long generation, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (applied < generation) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || closed) {
          return applied >= generation;
        }
        lock.wait(Math.max(1, left / 1_000_000));
      }
      return true;
    }
  }

  /** Each WasmPlugin's state after the last applied snapshot. */
  public List<PluginStatus> statuses() {
    synchronized (lock) {
      return List.copyOf(statuses.values());
    }
  }

  private void run() {
    long nextRetry = System.nanoTime() + retryInterval.toNanos();
    while (true) {
      ResourceSnapshot s;
      long generation;
      synchronized (lock) {
        while (pending == null && !closed) {
          long left = nextRetry - System.nanoTime();
          if (left <= 0 && !retrying.isEmpty() && lastSnapshot != null) {
            break;
          }
          if (left <= 0) {
            nextRetry = System.nanoTime() + retryInterval.toNanos();
            left = retryInterval.toNanos();
          }
          try {
            lock.wait(Math.max(1, left / 1_000_000));
          } catch (InterruptedException e) {
            return;
          }
        }
        if (closed) {
          return;
        }
        if (pending != null) {
          s = pending;
          pending = null;
          generation = submitted;
        } else {
          // Time to try the failed fetches and loads again, on the resources as they are.
          s = lastSnapshot;
          generation = applied;
          for (String key : retrying) {
            fingerprints.remove(key);
          }
        }
        nextRetry = System.nanoTime() + retryInterval.toNanos();
      }
      try {
        apply(s, generation);
      } catch (RuntimeException e) {
        log.accept("error: applying the resources failed: " + e);
      }
      synchronized (lock) {
        applied = Math.max(applied, generation);
        lock.notifyAll();
      }
    }
  }

  // ---- one snapshot ---------------------------------------------------------------------------

  private void apply(ResourceSnapshot snapshot, long generation) {
    lastSnapshot = snapshot;
    reportProblems(snapshot);
    IngressRoutes.Result routes =
        IngressRoutes.build(snapshot.ingresses(), snapshot.services(), ingressOptions);
    reportRoutes(routes);

    Set<String> seen = new LinkedHashSet<>();
    Map<String, PluginStatus> newStatuses = new LinkedHashMap<>();
    for (KubeObject plugin : snapshot.wasmPlugins()) {
      String key = plugin.key();
      seen.add(key);
      String fingerprint = fingerprint(plugin, snapshot);
      if (fingerprint.equals(fingerprints.get(key)) && statuses.containsKey(key)) {
        newStatuses.put(key, statuses.get(key));
        continue; // nothing it depends on changed
      }
      fingerprints.put(key, fingerprint);
      retrying.remove(key);
      newStatuses.put(key, reconcile(plugin, snapshot));
    }
    retrying.retainAll(seen);
    for (String gone : new ArrayList<>(entries.keySet())) {
      if (!seen.contains(gone)) {
        entries.remove(gone);
        say(gone, "WasmPlugin " + gone + ": removed");
      }
    }
    fingerprints.keySet().retainAll(seen);
    lastLogged.keySet().retainAll(seen);

    List<PluginDeployment> ordered = new ArrayList<>();
    Map<PluginDeployment, ChainEntry<P>> byDeployment = new IdentityHashMap<>();
    for (ChainEntry<P> e : entries.values()) {
      ordered.add(e.deployment());
      byDeployment.put(e.deployment(), e);
    }
    List<ChainEntry<P>> chain = new ArrayList<>();
    for (PluginDeployment d : ChainOrder.order(ordered)) {
      chain.add(byDeployment.get(d));
    }
    reportChain(chain);
    GatewayConfig<P> next = new GatewayConfig<>(generation, routes.table(), chain);
    GatewayConfig<P> previous = current.getAndSet(next);
    retireUnused(previous, next);
    synchronized (lock) {
      statuses.clear();
      statuses.putAll(newStatuses);
    }
  }

  /** What a WasmPlugin's outcome depends on: itself and the pull secret it names. */
  private static String fingerprint(KubeObject plugin, ResourceSnapshot snapshot) {
    StringBuilder sb = new StringBuilder(plugin.body().toString());
    Object secret = plugin.spec().get("imagePullSecret");
    if (secret instanceof String name && !name.isEmpty()) {
      sb.append('\n')
          .append(snapshot.secret(plugin.namespace(), name).map(KubeObject::body).orElse(null));
    }
    return sb.toString();
  }

  private PluginStatus reconcile(KubeObject plugin, ResourceSnapshot snapshot) {
    String key = plugin.key();
    String what = "WasmPlugin " + key;
    HigressController.Translation t;
    try {
      t = HigressController.translate(plugin, namespace);
    } catch (ToolException e) {
      return failed(key, e.getMessage());
    }
    if (t instanceof HigressController.Ignored ignored) {
      say(key, what + ": ignored: " + ignored.why());
      return new PluginStatus(key, State.IGNORED, ignored.why());
    }
    if (t instanceof HigressController.Disabled) {
      if (entries.remove(key) != null || !lastLogged.containsKey(key)) {
        say(key, what + ": not loaded: defaultConfigDisable and no match rule left (as Higress)");
      }
      return new PluginStatus(key, State.DISABLED, "defaultConfigDisable and no match rule left");
    }
    PluginDeployment d = ((HigressController.Deployed) t).deployment();
    for (String note : d.notes()) {
      log.accept("note: " + what + ": " + note);
    }
    ChainEntry<P> before = entries.get(key);
    if (before instanceof Active<P> a && reusable(a.deployment(), d)) {
      Active<P> moved = new Active<>(d, a.plugin(), a.moduleSha256(), a.source());
      entries.put(key, moved);
      say(key, what + ": " + describe(moved) + " (same module and configuration)");
      return new PluginStatus(key, State.ACTIVE, describe(moved));
    }
    ModuleFetcher.FetchedModule module;
    P loaded;
    try {
      module = fetcher.fetch(d, snapshot);
      loaded = loader.load(d, module);
    } catch (ToolException e) {
      return failedLoad(key, what, d, e.getMessage());
    } catch (RuntimeException e) {
      return failedLoad(key, what, d, "internal error: " + e);
    }
    Active<P> active = new Active<>(d, loaded, module.sha256(), module.source());
    entries.put(key, active);
    say(key, what + ": " + describe(active));
    return new PluginStatus(key, State.ACTIVE, describe(active));
  }

  /**
   * Only the place in the chain or the failure policy changed: the loaded plugin serves on. A
   * change of the WasmPlugin under pull policy Always (or :latest) pulls again, so it is not.
   */
  private static boolean reusable(PluginDeployment before, PluginDeployment now) {
    boolean repull =
        !before.resourceVersion().equals(now.resourceVersion())
            && !ModuleFetcher.ignoreResourceVersion(
                now.pullPolicy(),
                !now.url().contains("://") || now.url().startsWith("oci://"),
                now.url());
    return !repull
        && before.sameModule(now)
        && before.configuration().equals(now.configuration())
        && before.rootId().equals(now.rootId())
        && before.env().equals(now.env());
  }

  /** A refused WasmPlugin ({@code message} names it). */
  private PluginStatus failed(String key, String message) {
    ChainEntry<P> before = entries.get(key);
    if (before instanceof Active<P>) {
      say(key, "error: " + message + "; the previous version keeps serving");
      return new PluginStatus(key, State.PREVIOUS_VERSION, message);
    }
    say(key, "error: " + message);
    return new PluginStatus(
        key, before instanceof Unavailable<P> ? State.UNAVAILABLE : State.INVALID, message);
  }

  private PluginStatus failedLoad(String key, String what, PluginDeployment d, String reason) {
    retrying.add(key);
    ChainEntry<P> before = entries.get(key);
    if (before instanceof Active<P>) {
      say(key, "error: " + what + ": " + reason + "; the previous version keeps serving");
      return new PluginStatus(key, State.PREVIOUS_VERSION, reason);
    }
    Unavailable<P> u = new Unavailable<>(d, reason);
    entries.put(key, u);
    say(
        key,
        "error: "
            + what
            + ": "
            + reason
            + (u.failsOpen()
                ? "; failStrategy FAIL_OPEN: requests pass without it"
                : "; failStrategy FAIL_CLOSE: requests get 503"));
    return new PluginStatus(key, State.UNAVAILABLE, reason);
  }

  private static String describe(Active<?> a) {
    PluginDeployment d = a.deployment();
    return "loaded "
        + d.url()
        + " ("
        + a.source()
        + "; module sha256 "
        + a.moduleSha256().substring(0, 12)
        + "…; "
        + d.phase()
        + d.priority().map(p -> ", priority " + p).orElse("")
        + ", "
        + d.failStrategy()
        + ")";
  }

  private void retireUnused(GatewayConfig<P> previous, GatewayConfig<P> next) {
    Set<P> stillUsed = Collections.newSetFromMap(new IdentityHashMap<>());
    for (ChainEntry<P> e : next.chain()) {
      if (e instanceof Active<P> a) {
        stillUsed.add(a.plugin());
      }
    }
    for (ChainEntry<P> e : previous.chain()) {
      if (e instanceof Active<P> a && stillUsed.add(a.plugin())) {
        a.plugin().retire();
      }
    }
  }

  // ---- what the user sees ---------------------------------------------------------------------

  private void say(String key, String line) {
    if (!line.equals(lastLogged.put(key, line))) {
      log.accept(line);
    }
  }

  private void reportProblems(ResourceSnapshot snapshot) {
    Set<String> now = new LinkedHashSet<>(snapshot.problems());
    for (String p : now) {
      if (!lastProblems.contains(p)) {
        log.accept("error: " + p);
      }
    }
    lastProblems = now;
  }

  private void reportRoutes(IngressRoutes.Result routes) {
    StringBuilder sb = new StringBuilder();
    for (String p : routes.problems()) {
      sb.append("warning: ").append(p).append('\n');
    }
    for (Route r : routes.table().routes()) {
      sb.append("route ").append(r.name()).append(": ").append(r.describe()).append('\n');
    }
    String text = sb.toString();
    if (!text.equals(lastRoutes)) {
      lastRoutes = text;
      if (routes.table().isEmpty()) {
        log.accept("routes: none (requests go to --upstream)");
      }
      text.lines().forEach(log);
    }
  }

  private void reportChain(List<ChainEntry<P>> chain) {
    List<String> parts = new ArrayList<>();
    for (ChainEntry<P> e : chain) {
      PluginDeployment d = e.deployment();
      parts.add(
          d.name()
              + " ("
              + d.phase()
              + d.priority().map(p -> " " + p).orElse("")
              + (e instanceof Unavailable<P> u
                  ? u.failsOpen() ? ", unavailable: skipped" : ", unavailable: 503"
                  : "")
              + ")");
    }
    String line = "chain: " + (parts.isEmpty() ? "no plugins" : String.join(" -> ", parts));
    if (!line.equals(lastChain)) {
      lastChain = line;
      log.accept(line);
    }
  }

  /** The Ingress options in use (for embedders that want to show them). */
  public IngressRoutes.Options ingressOptions() {
    return ingressOptions;
  }

  /** The configuration's plugins by key, for tests and status pages. */
  public Optional<ChainEntry<P>> entry(String key) {
    return current.get().chain().stream().filter(e -> e.deployment().key().equals(key)).findFirst();
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      lock.notifyAll();
    }
    try {
      worker.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (ChainEntry<P> e : current.getAndSet(GatewayConfig.empty()).chain()) {
      if (e instanceof Active<P> a) {
        a.plugin().retire();
      }
    }
    if (loader instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        log.accept("warning: closing the plugin runtime: " + e.getMessage());
      }
    }
  }
}
