package io.rustless.cli.gateway;

import io.rustless.cli.ExitCode;
import io.rustless.cli.ToolException;
import io.rustless.cli.gateway.fetch.ModuleFetcher;
import io.rustless.cli.gateway.higress.PluginDeployment;
import io.rustless.cli.serve.ClusterRoutes;
import io.rustless.sdk.api.DataAction;
import io.rustless.sdk.api.HeaderAction;
import io.rustless.sdk.api.StartStatus;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.testing.LocalResponse;
import io.rustless.testing.LogEntry;
import io.rustless.testing.PluginHarness;
import io.rustless.testing.TestHost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * Loads plugins into the test kit's host, one stream per instance at a time. A stop-gap until the
 * multi-stream runtime ({@code rustless-host}) is available to the CLI: it replaces this class.
 */
final class TestHostLoader implements PluginLoader<GatewayPlugin> {
  private final Path moduleDir;
  private final ClusterRoutes clusters;
  private final Consumer<String> log;

  TestHostLoader(Path moduleDir, ClusterRoutes clusters, Consumer<String> log) {
    this.moduleDir = moduleDir;
    this.clusters = clusters;
    this.log = log;
  }

  @Override
  public GatewayPlugin load(PluginDeployment d, ModuleFetcher.FetchedModule module) {
    Path wasm = moduleDir.resolve(module.sha256() + ".wasm");
    try {
      Files.createDirectories(moduleDir);
      if (!Files.exists(wasm)) {
        Path tmp = Files.createTempFile(moduleDir, "module", ".tmp");
        Files.write(tmp, module.wasm());
        Files.move(tmp, wasm, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Pool pool = new Pool(d, wasm);
    pool.release(pool.create()); // the first instance proves the configuration is accepted
    return pool;
  }

  private final class Pool implements GatewayPlugin {
    private final PluginDeployment d;
    private final Path wasm;
    private final LinkedBlockingQueue<Instance> idle = new LinkedBlockingQueue<>();
    private int pins;
    private boolean retired;
    private boolean closed;

    Pool(PluginDeployment d, Path wasm) {
      this.d = d;
      this.wasm = wasm;
    }

    Instance create() {
      TestHost.Builder b = PluginHarness.wasm(wasm).host().pluginConfiguration(d.configuration());
      clusters
          .routes()
          .forEach(
              (name, uri) -> {
                if (uri.getScheme().equals("redis")) {
                  b.redisUpstream(name, uri.getHost(), uri.getPort());
                } else {
                  b.httpUpstream(name, uri);
                }
              });
      TestHost host;
      try {
        host = b.start();
      } catch (RuntimeException | AssertionError e) {
        throw new ToolException(ExitCode.PLUGIN, "the module failed to start: " + e.getMessage());
      }
      host.expectPluginErrors();
      Instance i = new Instance(host);
      i.showLogs();
      if (host.startStatus() != StartStatus.OK) {
        i.closeQuietly();
        throw new ToolException(
            ExitCode.PLUGIN, "the plugin refused its configuration (see its log lines)");
      }
      return i;
    }

    void release(Instance i) {
      synchronized (this) {
        if (!closed) {
          idle.add(i);
          return;
        }
      }
      i.closeQuietly();
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
        if (close) {
          closed = true;
        }
      }
      if (close) {
        drain();
      }
    }

    @Override
    public void retire() {
      boolean close;
      synchronized (this) {
        retired = true;
        close = pins == 0 && !closed;
        if (close) {
          closed = true;
        }
      }
      if (close) {
        drain();
      }
    }

    private void drain() {
      Instance i;
      while ((i = idle.poll()) != null) {
        i.closeQuietly();
      }
    }

    @Override
    public PluginStream open(int worker, Map<String, String> properties) {
      Instance i = idle.poll();
      if (i == null) {
        try {
          i = create();
        } catch (ToolException e) {
          throw new PluginFailedException(e.getMessage(), e);
        }
      }
      i.host.setRouteName(properties.getOrDefault("route_name", ""));
      i.host.setClusterName(properties.getOrDefault("cluster_name", ""));
      return new Stream(this, i);
    }

    String name() {
      return d.name();
    }
  }

  private final class Instance {
    final TestHost host;
    int logsShown;
    boolean broken;

    Instance(TestHost host) {
      this.host = host;
    }

    void showLogs() {
      List<LogEntry> logs = host.getLogs();
      for (int k = logsShown; k < logs.size(); k++) {
        log.accept("plugin " + logs.get(k));
      }
      logsShown = logs.size();
    }

    void closeQuietly() {
      try {
        host.close();
      } catch (RuntimeException | AssertionError e) {
        // closing an instance cannot fail a request
      }
    }
  }

  private static final class Stream implements PluginStream {
    private final Pool pool;
    private final Instance i;

    Stream(Pool pool, Instance i) {
      this.pool = pool;
      this.i = i;
    }

    private <T> T call(java.util.function.Supplier<T> event) {
      try {
        return event.get();
      } catch (RuntimeException | AssertionError e) {
        i.broken = true;
        throw new PluginFailedException(pool.name() + ": " + e.getMessage(), e);
      }
    }

    @Override
    public HeaderAction requestHeaders(HeaderMap headers, boolean endOfStream) {
      return call(() -> i.host.callOnHttpRequestHeaders(headers, endOfStream));
    }

    @Override
    public DataAction requestBody(byte[] chunk, boolean endOfStream) {
      return call(() -> i.host.callOnHttpRequestBody(chunk, endOfStream));
    }

    @Override
    public HeaderAction responseHeaders(HeaderMap headers, boolean endOfStream) {
      return call(() -> i.host.callOnHttpResponseHeaders(headers, endOfStream));
    }

    @Override
    public DataAction responseBody(byte[] chunk, boolean endOfStream) {
      return call(() -> i.host.callOnHttpResponseBody(chunk, endOfStream));
    }

    @Override
    public Optional<LocalReply> localReply() {
      Optional<LocalResponse> r = i.host.getLocalResponse();
      return r.map(x -> new LocalReply(x.statusCode(), x.headers(), x.body()));
    }

    @Override
    public HeaderMap currentRequestHeaders() {
      return i.host.getRequestHeaders();
    }

    @Override
    public HeaderMap currentResponseHeaders() {
      return i.host.getResponseHeaders();
    }

    @Override
    public byte[] currentRequestBody() {
      return i.host.getRequestBody();
    }

    @Override
    public byte[] currentResponseBody() {
      return i.host.getResponseBody();
    }

    @Override
    public byte[] forwardedRequestBody() {
      return i.host.getForwardedRequestBody();
    }

    @Override
    public byte[] forwardedResponseBody() {
      return i.host.getForwardedResponseBody();
    }

    @Override
    public int requestResumes() {
      return i.host.getRequestResumes();
    }

    @Override
    public int responseResumes() {
      return i.host.getResponseResumes();
    }

    @Override
    public void close() {
      try {
        i.host.completeHttp();
      } catch (RuntimeException | AssertionError e) {
        i.broken = true;
      }
      i.showLogs();
      if (i.broken) {
        i.closeQuietly();
      } else {
        pool.release(i);
      }
    }
  }
}
