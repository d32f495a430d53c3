package io.rustless.testing.crosscheck;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import io.roastedroot.proxywasm.LogLevel;
import io.roastedroot.proxywasm.StartException;
import io.roastedroot.proxywasm.internal.Action;
import io.roastedroot.proxywasm.internal.ArrayBytesProxyMap;
import io.roastedroot.proxywasm.internal.Handler;
import io.roastedroot.proxywasm.internal.HttpContext;
import io.roastedroot.proxywasm.internal.ProxyMap;
import io.roastedroot.proxywasm.internal.ProxyWasm;
import io.roastedroot.proxywasm.internal.WasmResult;
import io.rustless.host.chicory.LegacyExceptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A module loaded in {@code io.roastedroot:proxy-wasm-java-host}, a proxy-wasm host written by
 * others. Rustless's own test host and the SDK were written together, so they could share a
 * misreading of the ABI; this host cannot. Covers what that host implements: configuration, logs,
 * properties, request headers and local replies.
 */
public final class IndependentHost implements AutoCloseable {
  private final Recorder recorder;
  private final ProxyWasm proxyWasm;
  private final boolean started;

  /** What the client got for one request. */
  public record Reply(String action, int statusCode, String body, Map<String, String> headers) {}

  private IndependentHost(Recorder recorder, ProxyWasm proxyWasm, boolean started) {
    this.recorder = recorder;
    this.proxyWasm = proxyWasm;
    this.started = started;
  }

  /** Loads {@code wasm} (compiled to JVM bytecode by Chicory) and configures it. */
  public static IndependentHost start(Path wasm, String pluginConfiguration) {
    WasmModule module;
    try {
      // Chicory runs the final exception-handling encoding, V8 the legacy one the build emits
      module = Parser.parse(LegacyExceptions.toExnref(java.nio.file.Files.readAllBytes(wasm)));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + wasm, e);
    }
    Recorder recorder = new Recorder(pluginConfiguration.getBytes(StandardCharsets.UTF_8));
    ProxyWasm.Builder builder =
        ProxyWasm.builder()
            .withPluginHandler(recorder)
            .withMachineFactory(MachineFactoryCompiler.compile(module));
    try {
      return new IndependentHost(recorder, builder.build(module), true);
    } catch (StartException e) {
      return new IndependentHost(recorder, null, false);
    }
  }

  /** True if VM start and configuration succeeded. */
  public boolean started() {
    return started;
  }

  /** Log lines, as {@code "LEVEL message"}. */
  public List<String> logs() {
    return List.copyOf(recorder.logs);
  }

  /** Sets a property the plugin can read (e.g. {@code route_name}). */
  public void setProperty(String value, String... path) {
    recorder.properties.put(List.of(path), value.getBytes(StandardCharsets.UTF_8));
  }

  /** Runs one request's headers through the plugin and returns what it did. */
  public Reply requestHeaders(Map<String, byte[]> headers) {
    if (!started) {
      throw new IllegalStateException("the plugin did not start: " + recorder.logs);
    }
    ArrayBytesProxyMap map = new ArrayBytesProxyMap();
    headers.forEach(map::add);
    recorder.requestHeaders = map;
    recorder.status = -1;
    recorder.body = new byte[0];
    recorder.responseHeaders = new LinkedHashMap<>();
    try (HttpContext context = proxyWasm.createHttpContext(recorder)) {
      Action action = context.callOnRequestHeaders(true);
      return new Reply(
          String.valueOf(action),
          recorder.status,
          new String(recorder.body, StandardCharsets.UTF_8),
          recorder.responseHeaders);
    }
  }

  /** {@link #requestHeaders(Map)} with text values. */
  public Reply requestHeaders(String... namesAndValues) {
    Map<String, byte[]> headers = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.put(namesAndValues[i], namesAndValues[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    return requestHeaders(headers);
  }

  @Override
  public void close() {
    if (proxyWasm != null) {
      proxyWasm.close();
    }
  }

  private static final class Recorder implements Handler {
    final byte[] pluginConfiguration;
    final List<String> logs = new ArrayList<>();
    final Map<List<String>, byte[]> properties = new HashMap<>();
    ProxyMap requestHeaders = new ArrayBytesProxyMap();
    int status = -1;
    byte[] body = new byte[0];
    Map<String, String> responseHeaders = new LinkedHashMap<>();

    Recorder(byte[] pluginConfiguration) {
      this.pluginConfiguration = pluginConfiguration;
    }

    @Override
    public byte[] getPluginConfig() {
      return pluginConfiguration;
    }

    @Override
    public void log(LogLevel level, String message) {
      logs.add(level + " " + message);
    }

    @Override
    public LogLevel getLogLevel() {
      return LogLevel.TRACE;
    }

    @Override
    public byte[] getProperty(List<String> path) {
      return Optional.ofNullable(properties.get(path)).map(byte[]::clone).orElse(null);
    }

    @Override
    public ProxyMap getHttpRequestHeaders() {
      return requestHeaders;
    }

    @Override
    public WasmResult sendHttpResponse(
        int responseCode,
        byte[] responseCodeDetails,
        byte[] responseBody,
        ProxyMap additionalHeaders,
        int grpcStatus) {
      status = responseCode;
      body = responseBody.clone();
      for (Map.Entry<String, String> e : additionalHeaders.entries()) {
        responseHeaders.put(e.getKey(), e.getValue());
      }
      return WasmResult.OK;
    }
  }
}
