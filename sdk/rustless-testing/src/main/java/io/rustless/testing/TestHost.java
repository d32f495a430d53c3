package io.rustless.testing;

import io.rustless.host.GrpcCall;
import io.rustless.host.LogLine;
import io.rustless.host.ProxyHost;
import io.rustless.host.RedisCall;
import io.rustless.host.Vm;
import io.rustless.host.jvm.JvmPluginModule;
import io.rustless.host.state.SharedState;
import io.rustless.host.upstream.Upstreams;
import io.rustless.sdk.api.DataAction;
import io.rustless.sdk.api.HeaderAction;
import io.rustless.sdk.api.StartStatus;
import io.rustless.sdk.api.TrailerAction;
import io.rustless.sdk.higress.rules.MatchedConfig;
import io.rustless.sdk.higress.rules.RequestAttributes;
import io.rustless.sdk.higress.wrapper.HigressPlugin;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.sdk.host.LogLevel;
import io.rustless.sdk.host.MetricType;
import io.rustless.sdk.host.SharedData;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * A proxy with one plugin loaded, driven the way a gateway drives it; the same API in every {@link
 * Mode}. Verbs follow the Go SDK's proxytest: create with a configuration, {@code callOn…} to
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
 * <p>The {@code callOnHttp…} verbs act on the host's current stream, which the first of them opens;
 * {@link #newHttpStream()} opens more, to drive several at once. A {@code TestHost} is a JUnit-side
 * view of a {@link Vm} of Rustless's proxy-wasm host: closing it fails the test if the plugin threw
 * an exception the SDK had to catch, unless the test said {@link #expectPluginErrors()}.
 */
public final class TestHost implements AutoCloseable {
  private final Mode mode;
  private final ProxyHost proxy;
  private final Vm vm;
  private final Upstreams upstreams;
  private final List<LogEntry> logs;
  private TestStream current;
  private TestStream last;
  private boolean expectPluginErrors;
  private boolean closed;

  private TestHost(Mode mode, ProxyHost proxy, Vm vm, Upstreams upstreams, List<LogEntry> logs) {
    this.mode = mode;
    this.proxy = proxy;
    this.vm = vm;
    this.upstreams = upstreams;
    this.logs = logs;
  }

  /** Starts a builder for a host running {@code harness}'s plugin. */
  static Builder builder(PluginHarness harness) {
    return new Builder(harness);
  }

  /** The mode this host runs the plugin in. */
  public Mode mode() {
    return mode;
  }

  /** OK if the VM started and the plugin accepted its configuration. */
  public StartStatus startStatus() {
    return vm.startStatus();
  }

  /** The VM of Rustless's proxy-wasm host behind this test host. */
  public Vm vm() {
    return vm;
  }

  // ---- HTTP ---------------------------------------------------------------------------------

  /**
   * Opens a new HTTP stream of its own (its context is created now), beside the current one: a
   * handle to drive streams that are open at the same time.
   */
  public TestStream newHttpStream() {
    return new TestStream(vm.newStream());
  }

  private TestStream stream() {
    if (current == null) {
      current = newHttpStream();
    }
    return current;
  }

  /** Delivers request headers (more data follows). */
  public HeaderAction callOnHttpRequestHeaders(HeaderMap headers) {
    return stream().callOnHttpRequestHeaders(headers);
  }

  /** Delivers request headers; {@code endOfStream} for a request without a body. */
  public HeaderAction callOnHttpRequestHeaders(HeaderMap headers, boolean endOfStream) {
    return stream().callOnHttpRequestHeaders(headers, endOfStream);
  }

  /** Delivers a request body chunk. */
  public DataAction callOnHttpRequestBody(byte[] chunk, boolean endOfStream) {
    return stream().callOnHttpRequestBody(chunk, endOfStream);
  }

  /** Delivers the whole request body as one final chunk. */
  public DataAction callOnHttpRequestBody(String body) {
    return stream().callOnHttpRequestBody(body);
  }

  /** Delivers request trailers. */
  public TrailerAction callOnHttpRequestTrailers(HeaderMap trailers) {
    return stream().callOnHttpRequestTrailers(trailers);
  }

  /** Delivers response headers (more data follows). */
  public HeaderAction callOnHttpResponseHeaders(HeaderMap headers) {
    return stream().callOnHttpResponseHeaders(headers);
  }

  /** Delivers response headers. */
  public HeaderAction callOnHttpResponseHeaders(HeaderMap headers, boolean endOfStream) {
    return stream().callOnHttpResponseHeaders(headers, endOfStream);
  }

  /** Delivers a response body chunk. */
  public DataAction callOnHttpResponseBody(byte[] chunk, boolean endOfStream) {
    return stream().callOnHttpResponseBody(chunk, endOfStream);
  }

  /** Delivers the whole response body as one final chunk. */
  public DataAction callOnHttpResponseBody(String body) {
    return stream().callOnHttpResponseBody(body);
  }

  /** Delivers response trailers. */
  public TrailerAction callOnHttpResponseTrailers(HeaderMap trailers) {
    return stream().callOnHttpResponseTrailers(trailers);
  }

  /** Ends the current stream as the proxy does: done, log, delete. */
  public void completeHttp() {
    if (current == null) {
      return;
    }
    TestStream s = current;
    current = null;
    last = s;
    s.completeHttp();
  }

  // ---- whole requests -----------------------------------------------------------------------

  /**
   * Sends a request without a body on a new stream and ends it: the plugin's local reply, if it
   * sent one. What the plugin did stays readable through the {@code get…} verbs.
   */
  public Optional<LocalResponse> sendRequest(HeaderMap headers) {
    completeHttp();
    callOnHttpRequestHeaders(headers, true);
    Optional<LocalResponse> reply = getLocalResponse();
    completeHttp();
    return reply;
  }

  /** {@link #sendRequest(HeaderMap)} with a body, delivered as one final chunk. */
  public Optional<LocalResponse> sendRequest(HeaderMap headers, String body) {
    completeHttp();
    callOnHttpRequestHeaders(headers, false);
    if (getLocalResponse().isEmpty()) {
      callOnHttpRequestBody(body);
    }
    Optional<LocalResponse> reply = getLocalResponse();
    completeHttp();
    return reply;
  }

  /**
   * Sends a request without a body and fails the test unless the plugin answers it itself; its
   * reply.
   */
  public LocalResponse expectLocalReply(HeaderMap headers) {
    return sendRequest(headers)
        .orElseThrow(
            () ->
                new AssertionError(
                    "expected the plugin to reply to "
                        + headers
                        + " itself, but it passed the request on with "
                        + getRequestHeaders()));
  }

  /**
   * Sends a request without a body and fails the test unless the plugin answers it with {@code
   * status} and {@code body}; its reply (for more checks).
   */
  public LocalResponse expectLocalReply(HeaderMap headers, int status, String body) {
    LocalResponse reply = expectLocalReply(headers);
    if (reply.statusCode() != status || !reply.bodyString().equals(body)) {
      throw new AssertionError(
          "expected the plugin to reply "
              + status
              + " \""
              + body
              + "\" to "
              + headers
              + " but it replied "
              + reply.statusCode()
              + " \""
              + reply.bodyString()
              + "\"");
    }
    return reply;
  }

  /**
   * Sends a request without a body and fails the test if the plugin answers it itself; the request
   * headers as the plugin passed them upstream.
   */
  public HeaderMap expectPassed(HeaderMap headers) {
    sendRequest(headers)
        .ifPresent(
            r -> {
              throw new AssertionError(
                  "expected the plugin to pass " + headers + " on, but it replied " + r);
            });
    return getRequestHeaders();
  }

  // ---- timers -------------------------------------------------------------------------------

  /** Delivers a timer tick to the root context. */
  public void tick() {
    vm.tick();
  }

  /** The tick period the plugin asked for, in milliseconds (0: no timer). */
  public int getTickPeriod() {
    return vm.tickPeriodMillis();
  }

  // ---- answers to calls out -----------------------------------------------------------------

  /** HTTP calls the plugin dispatched that have not been answered, oldest first. */
  public List<HttpCallout> getHttpCallouts() {
    return TestStream.httpCallouts(vm.httpCalls());
  }

  /** Answers HTTP call {@code token} (headers should include {@code :status}). */
  public void callOnHttpCallResponse(
      int token, HeaderMap headers, byte[] body, HeaderMap trailers) {
    vm.answerHttpCall(token, headers, body, trailers);
  }

  /** Answers the oldest pending HTTP call. */
  public void callOnHttpCallResponse(HeaderMap headers, String body) {
    List<HttpCallout> calls = getHttpCallouts();
    if (calls.isEmpty()) {
      throw new IllegalStateException("the plugin has no pending HTTP call");
    }
    callOnHttpCallResponse(
        calls.get(0).token(), headers, body.getBytes(StandardCharsets.UTF_8), HeaderMap.empty());
  }

  /** Fails HTTP call {@code token} as a timeout or reset does: no headers, no body. */
  public void failHttpCall(int token) {
    callOnHttpCallResponse(token, HeaderMap.empty(), new byte[0], HeaderMap.empty());
  }

  /** gRPC calls and streams the plugin opened. */
  public List<GrpcCallout> getGrpcCallouts() {
    List<GrpcCallout> out = new ArrayList<>();
    for (GrpcCall c : vm.grpcCalls()) {
      out.add(new GrpcCallout(c));
    }
    return out;
  }

  public void callOnGrpcReceiveInitialMetadata(int token, HeaderMap metadata) {
    vm.answerGrpcInitialMetadata(token, metadata);
  }

  public void callOnGrpcReceive(int token, byte[] message) {
    vm.answerGrpcMessage(token, message);
  }

  public void callOnGrpcReceiveTrailingMetadata(int token, HeaderMap metadata) {
    vm.answerGrpcTrailingMetadata(token, metadata);
  }

  public void callOnGrpcClose(int token, int statusCode) {
    vm.closeGrpc(token, statusCode);
  }

  /** Redis commands the plugin sent that have not been answered, oldest first. */
  public List<RedisCallout> getRedisCallouts() {
    List<RedisCallout> out = new ArrayList<>();
    for (RedisCall c : vm.redisCalls()) {
      out.add(new RedisCallout(c.token(), c.upstream(), c.query()));
    }
    return out;
  }

  /** True if the plugin called {@code proxy_redis_init} for {@code upstream}. */
  public boolean isRedisInitialized(String upstream) {
    return vm.isRedisInitialized(upstream);
  }

  /** Answers Redis call {@code token} with {@code status} (0 = success) and a RESP reply. */
  public void callOnRedisCallResponse(int token, int status, byte[] resp) {
    vm.answerRedisCall(token, status, resp);
  }

  /** Answers the oldest pending Redis call successfully with a RESP reply. */
  public void callOnRedisCallResponse(String resp) {
    List<RedisCallout> calls = getRedisCallouts();
    if (calls.isEmpty()) {
      throw new IllegalStateException("the plugin has no pending Redis call");
    }
    callOnRedisCallResponse(calls.get(0).token(), 0, resp.getBytes(StandardCharsets.UTF_8));
  }

  /** Registers a host function the plugin can call with {@code proxy_call_foreign_function}. */
  public void registerForeignFunction(String name, UnaryOperator<byte[]> f) {
    vm.registerForeignFunction(name, f);
  }

  /** The host calls the plugin's foreign function {@code functionId} with {@code data}. */
  public void callOnForeignFunction(int functionId, byte[] data) {
    vm.callForeignFunction(functionId, data);
  }

  // ---- shared state and metrics -------------------------------------------------------------

  private SharedState shared() {
    return proxy.shared();
  }

  /** The shared value under {@code key} (as another VM would see it). */
  public Optional<byte[]> getSharedData(String key) {
    SharedData d = shared().getSharedData(key);
    return d == null ? Optional.empty() : Optional.of(d.value());
  }

  /** Writes a shared value, as another VM would. */
  public void setSharedData(String key, byte[] value) {
    shared().setSharedData(key, value, 0);
  }

  /** Enqueues on the plugin's queue {@code name} (as another VM would) and notifies the plugin. */
  public void enqueue(String queueName, byte[] value) {
    vm.enqueue(queueName, value);
  }

  /** Calls onQueueReady for every queue that received items; returns how many were notified. */
  public int deliverReadyQueues() {
    return vm.deliverReadyQueues();
  }

  /** The current value of metric {@code name}. */
  public OptionalLong getMetric(String name) {
    SharedState.Metric m = shared().metric(name);
    return m == null ? OptionalLong.empty() : OptionalLong.of(m.value());
  }

  /** The kind of metric {@code name}. */
  public Optional<MetricType> getMetricType(String name) {
    SharedState.Metric m = shared().metric(name);
    return m == null ? Optional.empty() : Optional.of(m.type());
  }

  /**
   * The configuration a {@code HigressPlugin} applies to the current request (its {@code
   * :authority}, route and cluster), as the Go test kit's GetMatchConfig. JVM mode only: in Wasm
   * mode the configuration objects live inside the module.
   */
  public Optional<MatchedConfig<?>> getMatchConfig() {
    if (!(vm.instance() instanceof JvmPluginModule.Instance jvm)) {
      throw new UnsupportedOperationException(
          "getMatchConfig reads the plugin's Java objects: use it in JVM mode (@DualModeTest(modes"
              + " = Mode.JVM))");
    }
    TestStream s = current != null ? current : last;
    String authority = s == null ? "" : s.getRequestHeaders().get(":authority").orElse("");
    return HigressPlugin.matchConfig(
        jvm.rootContext(Vm.ROOT_ID).orElse(null),
        RequestAttributes.of(
            authority,
            getProperty("route_name").orElse(""),
            getProperty("cluster_name").orElse("")));
  }

  // ---- inspection ---------------------------------------------------------------------------

  private TestStream inspected() {
    TestStream s = current != null ? current : last;
    if (s == null) {
      throw new IllegalStateException("no HTTP stream yet: call callOnHttpRequestHeaders first");
    }
    return s;
  }

  /** The local reply the plugin sent on the current (or last) stream. */
  public Optional<LocalResponse> getLocalResponse() {
    return inspected().getLocalResponse();
  }

  /** Request headers as the plugin left them. */
  public HeaderMap getRequestHeaders() {
    return inspected().getRequestHeaders();
  }

  public HeaderMap getRequestTrailers() {
    return inspected().getRequestTrailers();
  }

  /** Response headers as the plugin left them. */
  public HeaderMap getResponseHeaders() {
    return inspected().getResponseHeaders();
  }

  public HeaderMap getResponseTrailers() {
    return inspected().getResponseTrailers();
  }

  /** The request body buffer as the plugin last left it. */
  public byte[] getRequestBody() {
    return inspected().getRequestBody();
  }

  /** The response body buffer as the plugin last left it. */
  public byte[] getResponseBody() {
    return inspected().getResponseBody();
  }

  /** Everything the plugin passed upstream as request body so far. */
  public byte[] getForwardedRequestBody() {
    return inspected().getForwardedRequestBody();
  }

  /** Everything the plugin passed to the client as response body so far. */
  public byte[] getForwardedResponseBody() {
    return inspected().getForwardedResponseBody();
  }

  /** How often the plugin resumed the request. */
  public int getRequestResumes() {
    return inspected().getRequestResumes();
  }

  /** How often the plugin resumed the response. */
  public int getResponseResumes() {
    return inspected().getResponseResumes();
  }

  /** Every line logged (at or above the host's level), in order. */
  public List<LogEntry> getLogs() {
    synchronized (logs) {
      return List.copyOf(logs);
    }
  }

  /** The messages logged at exactly {@code level}. */
  public List<String> getLogs(LogLevel level) {
    List<String> out = new ArrayList<>();
    for (LogEntry e : getLogs()) {
      if (e.level() == level) {
        out.add(e.message());
      }
    }
    return out;
  }

  /** Sets a property the plugin can read, e.g. {@code setProperty("x", "request", "path")}. */
  public void setProperty(String value, String... path) {
    vm.setProperty(List.of(path), value.getBytes(StandardCharsets.UTF_8));
  }

  /** A property as the plugin left it: on the current (or last) stream, else on the VM. */
  public Optional<String> getProperty(String... path) {
    TestStream s = current != null ? current : last;
    if (s != null) {
      return s.getProperty(path);
    }
    return vm.getProperty(List.of(path)).map(v -> new String(v, StandardCharsets.UTF_8));
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
    vm.setLogLevel(level);
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
    return vm.liveContexts();
  }

  /** The module's linear memory in bytes (Wasm mode; -1 in JVM mode). */
  public long memoryBytes() {
    return vm.memoryBytes();
  }

  /** Free bytes in the module's GC heap (Wasm mode; -1 in JVM mode). */
  public long heapFreeBytes() {
    return vm.heapFreeBytes();
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

  /** Options for a {@link TestHost}. */
  public static final class Builder {
    private final PluginHarness harness;
    private final ProxyHost proxy = ProxyHost.create();
    private final Vm.Builder vm;
    private final Upstreams.Builder upstreams = Upstreams.builder();
    private final List<LogEntry> logs = new ArrayList<>();

    private Builder(PluginHarness harness) {
      this.harness = harness;
      this.vm =
          proxy
              .vm(harness.module())
              .logSink(
                  (LogLine line) -> {
                    synchronized (logs) {
                      logs.add(new LogEntry(line.level(), line.message()));
                    }
                  });
    }

    /** The plugin configuration (JSON text, as Higress passes it). */
    public Builder pluginConfiguration(String json) {
      vm.pluginConfiguration(json);
      return this;
    }

    /** The plugin configuration as raw bytes (to test what is not valid UTF-8 or JSON). */
    public Builder pluginConfiguration(byte[] raw) {
      vm.pluginConfiguration(raw);
      return this;
    }

    public Builder vmConfiguration(String text) {
      vm.vmConfiguration(text.getBytes(StandardCharsets.UTF_8));
      return this;
    }

    public Builder logLevel(LogLevel level) {
      vm.logLevel(level);
      return this;
    }

    public Builder property(String value, String... path) {
      vm.property(value.getBytes(StandardCharsets.UTF_8), List.of(path));
      return this;
    }

    /** The host's clock, in nanoseconds since the epoch. */
    public Builder clock(LongSupplier nanos) {
      vm.clock(nanos);
      return this;
    }

    /**
     * Sends the plugin's HTTP calls to cluster {@code cluster} (full name or FQDN part) to a real
     * server at {@code base}, e.g. {@code http://127.0.0.1:8081}; answers arrive by themselves.
     */
    public Builder httpUpstream(String cluster, java.net.URI base) {
      upstreams.http(cluster, base);
      return this;
    }

    /** Sends the plugin's Redis calls to cluster {@code cluster} to a real redis-server. */
    public Builder redisUpstream(String cluster, String host, int port) {
      upstreams.redis(cluster, host, port);
      return this;
    }

    /** Loads the plugin and runs VM start and configuration. */
    public TestHost start() {
      Upstreams u = upstreams.build();
      try {
        Vm started = vm.upstreams(u).start();
        return new TestHost(harness.mode(), proxy, started, u, logs);
      } catch (RuntimeException | Error e) {
        u.close();
        throw e;
      }
    }
  }
}
