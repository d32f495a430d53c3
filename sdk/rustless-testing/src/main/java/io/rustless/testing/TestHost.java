package io.rustless.testing;

import io.rustless.sdk.api.DataAction;
import io.rustless.sdk.api.HeaderAction;
import io.rustless.sdk.api.StartStatus;
import io.rustless.sdk.api.TrailerAction;
import io.rustless.sdk.host.BufferType;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.sdk.host.LogLevel;
import io.rustless.sdk.host.MapType;
import io.rustless.testing.emulator.JvmVm;
import io.rustless.testing.emulator.PluginVm;
import io.rustless.testing.emulator.ProxyState;
import io.rustless.testing.emulator.StreamState;
import io.rustless.testing.wasm.WasmVm;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * A proxy with one plugin loaded, driven the way a gateway drives it; the same API in both {@link
 * Mode}s. Verbs follow the Go SDK's proxytest: create with a configuration, {@code callOn…} to
 * deliver an event, {@code get…} to inspect what the plugin did, {@link #completeHttp()} to end the
 * stream.
 *
 * <pre>{@code
 * try (TestHost host = harness.start("{\"name\":\"Alice\"}")) {
 *   assertThat(host.startStatus()).isEqualTo(StartStatus.OK);
 *   host.callOnHttpRequestHeaders(HeaderMap.of(":authority", "example.com", ":path", "/"));
 *   assertThat(host.getLocalResponse().orElseThrow().bodyString()).isEqualTo("Hello, Alice!");
 *   host.completeHttp();
 * }
 * }</pre>
 *
 * <p>HTTP calls act on the current stream, which the first {@code callOnHttp…} opens. Closing the
 * host fails the test if the plugin threw an exception the SDK had to catch, unless the test said
 * {@link #expectPluginErrors()}.
 */
public final class TestHost implements AutoCloseable {
  static final int ROOT_ID = 1;

  private final Mode mode;
  private final ProxyState state;
  private final PluginVm vm;
  private final StartStatus startStatus;
  private int nextContextId = ROOT_ID + 1;
  private final RealUpstreams upstreams;
  private StreamState current;
  private StreamState last;
  private boolean expectPluginErrors;
  private boolean closed;

  private TestHost(
      Mode mode, ProxyState state, PluginVm vm, int pluginConfigSize, RealUpstreams upstreams) {
    this.mode = mode;
    this.state = state;
    this.vm = vm;
    this.upstreams = upstreams;
    state.setRootContextId(ROOT_ID);
    state.setEffectiveContext(ROOT_ID);
    vm.onContextCreate(ROOT_ID, 0);
    int vmStarted = vm.onVmStart(ROOT_ID, 0);
    int configured = 0;
    if (vmStarted != 0) {
      state.setConfiguring(true);
      try {
        configured = vm.onConfigure(ROOT_ID, pluginConfigSize);
      } finally {
        state.setConfiguring(false);
      }
    }
    this.startStatus = StartStatus.of(vmStarted != 0 && configured != 0);
    pumpRealCalls();
  }

  /** Starts a builder for a host running {@code plugin} in {@code mode}. */
  static Builder builder(PluginHarness harness) {
    return new Builder(harness);
  }

  /** The mode this host runs the plugin in. */
  public Mode mode() {
    return mode;
  }

  /** OK if the VM started and the plugin accepted its configuration. */
  public StartStatus startStatus() {
    return startStatus;
  }

  // ---- HTTP ---------------------------------------------------------------------------------

  private StreamState stream() {
    if (current == null) {
      int id = nextContextId++;
      current = state.newStream(id);
      state.setEffectiveContext(id);
      vm.onContextCreate(id, ROOT_ID);
    }
    state.setEffectiveContext(current.contextId());
    return current;
  }

  /** Delivers request headers (more data follows). */
  public HeaderAction callOnHttpRequestHeaders(HeaderMap headers) {
    return callOnHttpRequestHeaders(headers, false);
  }

  /** Delivers request headers; {@code endOfStream} for a request without a body. */
  public HeaderAction callOnHttpRequestHeaders(HeaderMap headers, boolean endOfStream) {
    StreamState s = stream();
    s.receive(MapType.HTTP_REQUEST_HEADERS, headers);
    return after(header(vm.onRequestHeaders(s.contextId(), headers.size(), endOfStream)));
  }

  /** Delivers a request body chunk. */
  public DataAction callOnHttpRequestBody(byte[] chunk, boolean endOfStream) {
    StreamState s = stream();
    int size = s.receive(BufferType.HTTP_REQUEST_BODY, chunk);
    int code = vm.onRequestBody(s.contextId(), size, endOfStream);
    s.bodyAction(BufferType.HTTP_REQUEST_BODY, code);
    return after(data(code));
  }

  /** Delivers the whole request body as one final chunk. */
  public DataAction callOnHttpRequestBody(String body) {
    return callOnHttpRequestBody(body.getBytes(StandardCharsets.UTF_8), true);
  }

  /** Delivers request trailers. */
  public TrailerAction callOnHttpRequestTrailers(HeaderMap trailers) {
    StreamState s = stream();
    s.receive(MapType.HTTP_REQUEST_TRAILERS, trailers);
    return after(trailer(vm.onRequestTrailers(s.contextId(), trailers.size())));
  }

  /** Delivers response headers (more data follows). */
  public HeaderAction callOnHttpResponseHeaders(HeaderMap headers) {
    return callOnHttpResponseHeaders(headers, false);
  }

  /** Delivers response headers. */
  public HeaderAction callOnHttpResponseHeaders(HeaderMap headers, boolean endOfStream) {
    StreamState s = stream();
    s.receive(MapType.HTTP_RESPONSE_HEADERS, headers);
    return after(header(vm.onResponseHeaders(s.contextId(), headers.size(), endOfStream)));
  }

  /** Delivers a response body chunk. */
  public DataAction callOnHttpResponseBody(byte[] chunk, boolean endOfStream) {
    StreamState s = stream();
    int size = s.receive(BufferType.HTTP_RESPONSE_BODY, chunk);
    int code = vm.onResponseBody(s.contextId(), size, endOfStream);
    s.bodyAction(BufferType.HTTP_RESPONSE_BODY, code);
    return after(data(code));
  }

  /** Delivers the whole response body as one final chunk. */
  public DataAction callOnHttpResponseBody(String body) {
    return callOnHttpResponseBody(body.getBytes(StandardCharsets.UTF_8), true);
  }

  /** Delivers response trailers. */
  public TrailerAction callOnHttpResponseTrailers(HeaderMap trailers) {
    StreamState s = stream();
    s.receive(MapType.HTTP_RESPONSE_TRAILERS, trailers);
    return after(trailer(vm.onResponseTrailers(s.contextId(), trailers.size())));
  }

  /** Ends the current stream as the proxy does: done, log, delete. */
  public void completeHttp() {
    if (current == null) {
      return;
    }
    int id = current.contextId();
    state.setEffectiveContext(id);
    vm.onDone(id);
    vm.onLog(id);
    vm.onDelete(id);
    state.dropStream(id);
    last = current;
    current = null;
    state.setEffectiveContext(ROOT_ID);
  }

  /** Delivers a timer tick to the root context. */
  public void tick() {
    state.setEffectiveContext(ROOT_ID);
    vm.onTick(ROOT_ID);
    pumpRealCalls();
  }

  /** The tick period the plugin asked for, in milliseconds (0: no timer). */
  public int getTickPeriod() {
    return state.tickPeriodMillis();
  }

  // ---- answers to calls out -----------------------------------------------------------------

  /** HTTP calls the plugin dispatched that have not been answered, oldest first. */
  public List<HttpCallout> getHttpCallouts() {
    return state.httpCallouts();
  }

  /** Answers HTTP call {@code token} (headers should include {@code :status}). */
  public void callOnHttpCallResponse(
      int token, HeaderMap headers, byte[] body, HeaderMap trailers) {
    HttpCallout call = state.takeHttpCallout(token);
    if (call == null) {
      throw new IllegalStateException("no pending HTTP call with token " + token);
    }
    deliver(
        new ProxyState.CalloutAnswer(headers, body, trailers),
        () -> vm.onHttpCallResponse(ROOT_ID, token, headers.size(), body.length, trailers.size()));
  }

  /** Answers the oldest pending HTTP call. */
  public void callOnHttpCallResponse(HeaderMap headers, String body) {
    callOnHttpCallResponse(
        oldestHttpCall().token(),
        headers,
        body.getBytes(StandardCharsets.UTF_8),
        HeaderMap.empty());
  }

  /** Fails HTTP call {@code token} as a timeout or reset does: no headers, no body. */
  public void failHttpCall(int token) {
    callOnHttpCallResponse(token, HeaderMap.empty(), new byte[0], HeaderMap.empty());
  }

  private HttpCallout oldestHttpCall() {
    List<HttpCallout> calls = state.httpCallouts();
    if (calls.isEmpty()) {
      throw new IllegalStateException("the plugin has no pending HTTP call");
    }
    return calls.get(0);
  }

  /** gRPC calls and streams the plugin opened. */
  public List<GrpcCallout> getGrpcCallouts() {
    return state.grpcCallouts();
  }

  public void callOnGrpcReceiveInitialMetadata(int token, HeaderMap metadata) {
    deliver(
        new ProxyState.CalloutAnswer(metadata, new byte[0], HeaderMap.empty()),
        () -> vm.onGrpcReceiveInitialMetadata(ROOT_ID, token, metadata.size()));
  }

  public void callOnGrpcReceive(int token, byte[] message) {
    deliver(
        new ProxyState.CalloutAnswer(HeaderMap.empty(), message, HeaderMap.empty()),
        () -> vm.onGrpcReceive(ROOT_ID, token, message.length));
  }

  public void callOnGrpcReceiveTrailingMetadata(int token, HeaderMap metadata) {
    deliver(
        new ProxyState.CalloutAnswer(HeaderMap.empty(), new byte[0], metadata),
        () -> vm.onGrpcReceiveTrailingMetadata(ROOT_ID, token, metadata.size()));
  }

  public void callOnGrpcClose(int token, int statusCode) {
    state.forgetGrpcCallout(token);
    deliver(null, () -> vm.onGrpcClose(ROOT_ID, token, statusCode));
  }

  /** Redis commands the plugin sent that have not been answered, oldest first. */
  public List<RedisCallout> getRedisCallouts() {
    return state.redisCallouts();
  }

  /** True if the plugin called {@code proxy_redis_init} for {@code upstream}. */
  public boolean isRedisInitialized(String upstream) {
    return state.redisClient(upstream) != null;
  }

  /** Answers Redis call {@code token} with {@code status} (0 = success) and a RESP reply. */
  public void callOnRedisCallResponse(int token, int status, byte[] resp) {
    if (state.takeRedisCallout(token) == null) {
      throw new IllegalStateException("no pending Redis call with token " + token);
    }
    deliver(
        new ProxyState.CalloutAnswer(HeaderMap.empty(), resp, HeaderMap.empty()),
        () -> vm.onRedisCallResponse(ROOT_ID, token, status, resp.length));
  }

  /** Answers the oldest pending Redis call successfully with a RESP reply. */
  public void callOnRedisCallResponse(String resp) {
    List<RedisCallout> calls = state.redisCallouts();
    if (calls.isEmpty()) {
      throw new IllegalStateException("the plugin has no pending Redis call");
    }
    callOnRedisCallResponse(calls.get(0).token(), 0, resp.getBytes(StandardCharsets.UTF_8));
  }

  /** Registers a host function the plugin can call with {@code proxy_call_foreign_function}. */
  public void registerForeignFunction(String name, java.util.function.UnaryOperator<byte[]> f) {
    state.registerForeignFunction(name, f);
  }

  /** The host calls the plugin's foreign function {@code functionId} with {@code data}. */
  public void callOnForeignFunction(int functionId, byte[] data) {
    state.setCallData(data);
    try {
      state.setEffectiveContext(ROOT_ID);
      vm.onForeignFunction(ROOT_ID, functionId, data.length);
    } finally {
      state.setCallData(null);
    }
    pumpRealCalls();
  }

  // ---- shared state and metrics -------------------------------------------------------------

  /** The shared value under {@code key} (as another VM would see it). */
  public Optional<byte[]> getSharedData(String key) {
    io.rustless.sdk.host.SharedData d = state.getSharedData(key);
    return d == null ? Optional.empty() : Optional.of(d.value());
  }

  /** Writes a shared value, as another VM would. */
  public void setSharedData(String key, byte[] value) {
    state.setSharedData(key, value, 0);
  }

  /** Enqueues on the plugin's queue {@code name} (as another VM would) and notifies the plugin. */
  public void enqueue(String queueName, byte[] value) {
    int id = state.resolveQueue("", queueName);
    if (id < 0) {
      throw new IllegalStateException("the plugin registered no queue named " + queueName);
    }
    state.enqueue(id, value);
    deliverReadyQueues();
  }

  /** Calls onQueueReady for every queue that received items; returns how many were notified. */
  public int deliverReadyQueues() {
    List<Integer> ready = state.takeReadyQueues();
    for (int id : ready) {
      state.setEffectiveContext(ROOT_ID);
      vm.onQueueReady(ROOT_ID, id);
    }
    pumpRealCalls();
    return ready.size();
  }

  /**
   * The configuration a {@code HigressPlugin} applies to the current request (its {@code
   * :authority}, route and cluster), as the Go test kit's GetMatchConfig. JVM mode only: in Wasm
   * mode the configuration objects live inside the module.
   */
  public Optional<io.rustless.sdk.higress.rules.MatchedConfig<?>> getMatchConfig() {
    if (mode != Mode.JVM) {
      throw new UnsupportedOperationException(
          "getMatchConfig reads the plugin's Java objects: use it in JVM mode (@DualModeTest(modes"
              + " = Mode.JVM))");
    }
    StreamState s = current != null ? current : last;
    String authority = s == null ? "" : s.requestHeaders().get(":authority").orElse("");
    return io.rustless.sdk.higress.wrapper.HigressPlugin.matchConfig(
        io.rustless.sdk.higress.rules.RequestAttributes.of(
            authority,
            getProperty("route_name").orElse(""),
            getProperty("cluster_name").orElse("")));
  }

  /** The current value of metric {@code name}. */
  public java.util.OptionalLong getMetric(String name) {
    ProxyState.Metric m = state.metric(name);
    return m == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(m.value());
  }

  /** The kind of metric {@code name}. */
  public Optional<io.rustless.sdk.host.MetricType> getMetricType(String name) {
    ProxyState.Metric m = state.metric(name);
    return m == null ? Optional.empty() : Optional.of(m.type());
  }

  private <T> T after(T result) {
    pumpRealCalls();
    return result;
  }

  private void deliver(ProxyState.CalloutAnswer answer, Runnable callback) {
    int effective = state.effectiveContextId();
    state.setAnswer(answer);
    try {
      state.setEffectiveContext(ROOT_ID);
      callback.run();
    } finally {
      state.setAnswer(null);
      state.setEffectiveContext(effective);
    }
    pumpRealCalls();
  }

  /**
   * Performs the calls out that target real upstreams and hands the plugin their answers, as a
   * proxy does after the callback that dispatched them returns.
   */
  private void pumpRealCalls() {
    if (upstreams.isEmpty()) {
      return;
    }
    for (int round = 0; round < 1000; round++) {
      HttpCallout http = null;
      for (HttpCallout c : state.httpCallouts()) {
        if (upstreams.routesHttp(c.upstream())) {
          http = c;
          break;
        }
      }
      if (http != null) {
        RealUpstreams.Answer a = upstreams.perform(http);
        HeaderMap headers = a.headers() == null ? HeaderMap.empty() : a.headers();
        callOnHttpCallResponse(http.token(), headers, a.body(), HeaderMap.empty());
        return; // the delivery pumped the rest
      }
      RedisCallout redis = null;
      for (RedisCallout c : state.redisCallouts()) {
        if (upstreams.routesRedis(c.upstream())) {
          redis = c;
          break;
        }
      }
      if (redis == null) {
        return;
      }
      byte[] reply = upstreams.perform(redis, state.redisClient(redis.upstream()));
      callOnRedisCallResponse(
          redis.token(), reply == null ? 1 : 0, reply == null ? new byte[0] : reply);
      return;
    }
  }

  // ---- inspection ---------------------------------------------------------------------------

  private StreamState inspected() {
    StreamState s = current != null ? current : last;
    if (s == null) {
      throw new IllegalStateException("no HTTP stream yet: call callOnHttpRequestHeaders first");
    }
    return s;
  }

  /** The local reply the plugin sent on the current (or last) stream. */
  public Optional<LocalResponse> getLocalResponse() {
    return Optional.ofNullable(inspected().localResponse());
  }

  /** Request headers as the plugin left them. */
  public HeaderMap getRequestHeaders() {
    return inspected().requestHeaders();
  }

  public HeaderMap getRequestTrailers() {
    return inspected().requestTrailers();
  }

  /** Response headers as the plugin left them. */
  public HeaderMap getResponseHeaders() {
    return inspected().responseHeaders();
  }

  public HeaderMap getResponseTrailers() {
    return inspected().responseTrailers();
  }

  /** The request body buffer as the plugin last left it. */
  public byte[] getRequestBody() {
    return inspected().requestBody();
  }

  /** The response body buffer as the plugin last left it. */
  public byte[] getResponseBody() {
    return inspected().responseBody();
  }

  /** Everything the plugin passed upstream as request body so far. */
  public byte[] getForwardedRequestBody() {
    return inspected().forwardedRequestBody();
  }

  /** Everything the plugin passed to the client as response body so far. */
  public byte[] getForwardedResponseBody() {
    return inspected().forwardedResponseBody();
  }

  /** How often the plugin resumed the request. */
  public int getRequestResumes() {
    return inspected().requestResumes();
  }

  /** How often the plugin resumed the response. */
  public int getResponseResumes() {
    return inspected().responseResumes();
  }

  /** Every line logged (at or above the host's level), in order. */
  public List<LogEntry> getLogs() {
    return state.logs();
  }

  /** The messages logged at exactly {@code level}. */
  public List<String> getLogs(LogLevel level) {
    List<String> out = new ArrayList<>();
    for (LogEntry e : state.logs()) {
      if (e.level() == level) {
        out.add(e.message());
      }
    }
    return out;
  }

  /** Sets a property the plugin can read, e.g. {@code setProperty("x", "request", "path")}. */
  public void setProperty(String value, String... path) {
    state.setProperty(List.of(path), value.getBytes(StandardCharsets.UTF_8));
  }

  /** A property as the plugin left it. */
  public Optional<String> getProperty(String... path) {
    byte[] v = state.getProperty(List.of(path));
    return v == null ? Optional.empty() : Optional.of(new String(v, StandardCharsets.UTF_8));
  }

  /** The {@code route_name} property that {@code _match_route_} rules see. */
  public void setRouteName(String route) {
    setProperty(route, "route_name");
  }

  /** The {@code cluster_name} property that {@code _match_service_} rules see. */
  public void setClusterName(String cluster) {
    setProperty(cluster, "cluster_name");
  }

  /** Changes the host's log level (lines below it are dropped, as the proxy would). */
  public void setLogLevel(LogLevel level) {
    state.setLogLevel(level);
  }

  /** Exceptions the plugin threw that the SDK caught and logged. */
  public List<String> getPluginErrors() {
    return vm.pluginErrors();
  }

  /** Declares that this test provokes plugin exceptions, so closing does not fail on them. */
  public TestHost expectPluginErrors() {
    expectPluginErrors = true;
    return this;
  }

  /** Contexts the SDK dispatcher holds (JVM mode; -1 in Wasm mode). */
  public int liveContexts() {
    return vm instanceof JvmVm ? ((JvmVm) vm).liveContexts() : -1;
  }

  /** The module's linear memory in bytes (Wasm mode; -1 in JVM mode). */
  public long memoryBytes() {
    return vm instanceof WasmVm ? ((WasmVm) vm).memoryBytes() : -1;
  }

  /** Free bytes in the module's GC heap (Wasm mode; -1 in JVM mode). */
  public long heapFreeBytes() {
    return vm instanceof WasmVm ? ((WasmVm) vm).heapFreeBytes() : -1;
  }

  /** Completes any open stream, deletes the root context, and checks for plugin errors. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    List<String> errors;
    try {
      completeHttp();
      state.setEffectiveContext(ROOT_ID);
      vm.onDone(ROOT_ID);
      vm.onDelete(ROOT_ID);
    } finally {
      errors = vm.pluginErrors();
      vm.close();
      upstreams.close();
    }
    if (!errors.isEmpty() && !expectPluginErrors) {
      throw new AssertionError(
          "the plugin threw exceptions that the SDK caught (call expectPluginErrors() if the"
              + " test provokes them):\n  "
              + String.join("\n  ", errors));
    }
  }

  private static HeaderAction header(int code) {
    for (HeaderAction a : HeaderAction.values()) {
      if (a.code() == code) {
        return a;
      }
    }
    throw new AssertionError("the plugin returned an unknown header action code " + code);
  }

  private static DataAction data(int code) {
    for (DataAction a : DataAction.values()) {
      if (a.code() == code) {
        return a;
      }
    }
    throw new AssertionError("the plugin returned an unknown data action code " + code);
  }

  private static TrailerAction trailer(int code) {
    for (TrailerAction a : TrailerAction.values()) {
      if (a.code() == code) {
        return a;
      }
    }
    throw new AssertionError("the plugin returned an unknown trailer action code " + code);
  }

  /** Options for a {@link TestHost}. */
  public static final class Builder {
    private final PluginHarness harness;
    private final ProxyState state = new ProxyState();
    private final RealUpstreams upstreams = new RealUpstreams();
    private byte[] pluginConfiguration = new byte[0];

    private Builder(PluginHarness harness) {
      this.harness = harness;
    }

    /** The plugin configuration (JSON text, as Higress passes it). */
    public Builder pluginConfiguration(String json) {
      return pluginConfiguration(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The plugin configuration as raw bytes (to test what is not valid UTF-8 or JSON). */
    public Builder pluginConfiguration(byte[] raw) {
      pluginConfiguration = raw.clone();
      return this;
    }

    public Builder vmConfiguration(String text) {
      state.setVmConfiguration(text.getBytes(StandardCharsets.UTF_8));
      return this;
    }

    public Builder logLevel(LogLevel level) {
      state.setLogLevel(level);
      return this;
    }

    public Builder property(String value, String... path) {
      state.setProperty(List.of(path), value.getBytes(StandardCharsets.UTF_8));
      return this;
    }

    /** The host's clock, in nanoseconds since the epoch. */
    public Builder clock(LongSupplier nanos) {
      state.setClock(nanos);
      return this;
    }

    /**
     * Sends the plugin's HTTP calls to cluster {@code cluster} (full name or FQDN part) to a real
     * server at {@code base}, e.g. {@code http://127.0.0.1:8081}; answers arrive by themselves.
     */
    public Builder httpUpstream(String cluster, java.net.URI base) {
      upstreams.addHttp(cluster, base);
      return this;
    }

    /** Sends the plugin's Redis calls to cluster {@code cluster} to a real redis-server. */
    public Builder redisUpstream(String cluster, String host, int port) {
      upstreams.addRedis(cluster, host, port);
      return this;
    }

    /** Loads the plugin and runs VM start and configuration. */
    public TestHost start() {
      state.setPluginConfiguration(pluginConfiguration);
      PluginVm vm =
          harness.mode() == Mode.JVM
              ? new JvmVm(harness.pluginClass(), state)
              : new WasmVm(harness.compiledModule(), state);
      try {
        return new TestHost(harness.mode(), state, vm, pluginConfiguration.length, upstreams);
      } catch (RuntimeException | Error e) {
        vm.close();
        throw e;
      }
    }
  }
}
