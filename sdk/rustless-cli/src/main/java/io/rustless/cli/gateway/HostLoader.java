package io.rustless.cli.gateway;

import io.rustless.cli.ExitCode;
import io.rustless.cli.ToolException;
import io.rustless.cli.gateway.fetch.ModuleFetcher;
import io.rustless.cli.gateway.higress.PluginDeployment;
import io.rustless.cli.serve.ClusterRoutes;
import io.rustless.host.HttpStream;
import io.rustless.host.PluginTrapException;
import io.rustless.host.ProxyHost;
import io.rustless.host.Vm;
import io.rustless.host.chicory.ChicoryModule;
import io.rustless.host.upstream.Upstreams;
import io.rustless.sdk.api.DataAction;
import io.rustless.sdk.api.HeaderAction;
import io.rustless.sdk.api.StartStatus;
import io.rustless.sdk.host.HeaderMap;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Loads plugins into Rustless's proxy-wasm host ({@code rustless-host}): the module compiled once
 * (Chicory's compiler), one VM per worker started and configured, each VM serving any number of
 * streams at once. All VMs live in one {@link ProxyHost}, so shared data and queues are shared
 * between plugins as between Envoy's VMs of one proxy. The plugins' calls out to {@code --cluster}
 * upstreams are made for real.
 */
final class HostLoader implements PluginLoader<GatewayPlugin>, AutoCloseable {
  private final ProxyHost host = ProxyHost.create();
  private final Upstreams upstreams;
  private final int workers;
  private final Consumer<String> log;
  private final Function<PluginDeployment, String> logPrefix;
  private final Function<PluginDeployment, String> vmLogPrefix;

  /**
   * Plugins' log lines are prefixed {@code plugin <name>: }, the gateway's own lines about a
   * plugin's VMs {@code WasmPlugin <namespace>/<name>: }.
   */
  HostLoader(ClusterRoutes clusters, int workers, Consumer<String> log) {
    this(
        clusters,
        workers,
        log,
        d -> "plugin " + d.name() + ": ",
        d -> "WasmPlugin " + d.key() + ": ");
  }

  HostLoader(
      ClusterRoutes clusters,
      int workers,
      Consumer<String> log,
      Function<PluginDeployment, String> logPrefix,
      Function<PluginDeployment, String> vmLogPrefix) {
    this.logPrefix = Objects.requireNonNull(logPrefix);
    this.vmLogPrefix = Objects.requireNonNull(vmLogPrefix);
    if (workers < 1) {
      throw new io.rustless.cli.UsageException("--workers must be at least 1");
    }
    this.upstreams = clusters.upstreams();
    this.workers = workers;
    this.log = Objects.requireNonNull(log);
  }

  @Override
  public GatewayPlugin load(PluginDeployment d, ModuleFetcher.FetchedModule module) {
    ChicoryModule compiled;
    try {
      compiled = ChicoryModule.of(module.wasm(), ChicoryModule.Engine.COMPILER, d.url());
    } catch (IllegalArgumentException e) {
      throw new ToolException(ExitCode.PLUGIN, e.getMessage(), e);
    }
    if (!d.env().isEmpty()) {
      log.accept(
          "note: WasmPlugin "
              + d.key()
              + ": spec.vmConfig.env is not passed to the VM (the host gives plugins no"
              + " environment)");
    }
    if (!d.rootId().isEmpty()) {
      log.accept(
          "note: WasmPlugin "
              + d.key()
              + ": spec.pluginName (root id "
              + d.rootId()
              + ") is not passed; the module's one root context serves");
    }
    String name = d.name();
    String prefix = logPrefix.apply(d);
    Supplier<Vm> vms =
        () ->
            host.vm(compiled)
                .pluginConfiguration(d.configuration())
                .upstreams(upstreams)
                .logSink(line -> log.accept(prefix + line))
                .start();
    Vm first;
    try {
      first = vms.get();
    } catch (PluginTrapException | IllegalStateException e) {
      throw new ToolException(ExitCode.PLUGIN, "the plugin failed to start: " + e.getMessage(), e);
    }
    if (first.startStatus() != StartStatus.OK) {
      first.close();
      throw new ToolException(
          ExitCode.PLUGIN, "the plugin rejected its configuration (see its log lines above)");
    }
    String vmPrefix = vmLogPrefix.apply(d);
    Consumer<String> vmLog = line -> log.accept(vmPrefix + line);
    return new Plugin(name, new Workers(first, workers, vms, vmLog));
  }

  @Override
  public void close() {
    upstreams.close();
  }

  /** One plugin's VMs, open while requests that started with it are in flight. */
  static final class Plugin implements GatewayPlugin {
    private final String name;
    private final Workers workers;
    private int pins;
    private boolean retired;
    private boolean closed;

    Plugin(String name, Workers workers) {
      this.name = name;
      this.workers = workers;
    }

    /** The number of workers (VMs serving at once). */
    int workers() {
      return workers.size();
    }

    /** How many VMs were started in all, replacements of failed ones included. */
    int vmsStarted() {
      return workers.vmsStarted();
    }

    @Override
    public synchronized boolean pin() {
      if (closed) {
        return false;
      }
      pins++;
      return true;
    }

    @Override
    public void unpin() {
      boolean close;
      synchronized (this) {
        pins--;
        close = retired && pins == 0 && !closed;
        closed |= close;
      }
      if (close) {
        workers.close();
      }
    }

    @Override
    public void retire() {
      boolean close;
      synchronized (this) {
        retired = true;
        close = pins == 0 && !closed;
        closed |= close;
      }
      if (close) {
        workers.close();
      }
    }

    @Override
    public PluginStream open(int worker, Map<String, String> properties) {
      HttpStream s;
      try {
        s = workers.vm(worker).newStream();
      } catch (PluginTrapException | IllegalStateException e) {
        throw new PluginFailedException(name + ": " + e.getMessage(), e);
      }
      for (Map.Entry<String, String> p : properties.entrySet()) {
        s.setProperty(List.of(p.getKey()), p.getValue().getBytes(StandardCharsets.UTF_8));
      }
      return new Stream(name, s);
    }
  }

  /** A stream of a plugin's VM, its failures turned into {@link PluginFailedException}. */
  private static final class Stream implements PluginStream {
    private final String name;
    private final HttpStream s;

    Stream(String name, HttpStream s) {
      this.name = name;
      this.s = s;
    }

    private <T> T event(Supplier<T> call) {
      try {
        return call.get();
      } catch (PluginTrapException | IllegalStateException e) {
        throw new PluginFailedException(name + ": " + e.getMessage(), e);
      }
    }

    @Override
    public HeaderAction requestHeaders(HeaderMap headers, boolean endOfStream) {
      return event(() -> s.requestHeaders(headers, endOfStream));
    }

    @Override
    public DataAction requestBody(byte[] chunk, boolean endOfStream) {
      return event(() -> s.requestBody(chunk, endOfStream));
    }

    @Override
    public HeaderAction responseHeaders(HeaderMap headers, boolean endOfStream) {
      return event(() -> s.responseHeaders(headers, endOfStream));
    }

    @Override
    public DataAction responseBody(byte[] chunk, boolean endOfStream) {
      return event(() -> s.responseBody(chunk, endOfStream));
    }

    @Override
    public Optional<PluginStream.LocalReply> localReply() {
      return s.getLocalReply()
          .map(r -> new PluginStream.LocalReply(r.statusCode(), r.headers(), r.body()));
    }

    @Override
    public HeaderMap currentRequestHeaders() {
      return s.getRequestHeaders();
    }

    @Override
    public HeaderMap currentResponseHeaders() {
      return s.getResponseHeaders();
    }

    @Override
    public byte[] currentRequestBody() {
      return s.getRequestBody();
    }

    @Override
    public byte[] currentResponseBody() {
      return s.getResponseBody();
    }

    @Override
    public byte[] forwardedRequestBody() {
      return s.getForwardedRequestBody();
    }

    @Override
    public byte[] forwardedResponseBody() {
      return s.getForwardedResponseBody();
    }

    @Override
    public int requestResumes() {
      return s.getRequestResumes();
    }

    @Override
    public int responseResumes() {
      return s.getResponseResumes();
    }

    @Override
    public void close() {
      try {
        s.close();
      } catch (RuntimeException e) {
        // ending a stream in a failed VM cannot fail the request
      }
    }
  }
}
