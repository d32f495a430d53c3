package io.rustless.host.state;

import io.rustless.host.GrpcCall;
import io.rustless.host.HttpCall;
import io.rustless.host.LocalReply;
import io.rustless.host.LogLine;
import io.rustless.host.RedisCall;
import io.rustless.sdk.host.BufferType;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.sdk.host.LogLevel;
import io.rustless.sdk.host.MapType;
import io.rustless.sdk.host.Status;
import io.rustless.sdk.host.StreamType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * What the proxy knows about one VM: its configuration, the streams going through it and their
 * headers and bodies, the context host calls act on, its calls out and the answer being delivered.
 * Every engine's host functions act on this one model (the JVM emulator through the SDK's {@code
 * Host}, a Wasm engine through the ABI's imports), so whichever ran a plugin, the proxy's view of
 * it is the same. What VMs share lives in {@link SharedState}.
 *
 * <p>Not thread-safe: the {@code Vm} that owns it lets one callback run at a time, as a proxy's
 * worker does. Every operation answers with an ABI status, as a real host does.
 */
public final class VmState {
  /** The prefix under which the SDK logs an exception it caught. */
  public static final String UNCAUGHT = "[rustless] uncaught exception in ";

  private static final int MAX_ERRORS = 1000;

  private final SharedState shared;
  private byte[] pluginConfiguration = new byte[0];
  private byte[] vmConfiguration = new byte[0];
  private LogLevel logLevel = LogLevel.TRACE;
  private Consumer<LogLine> logSink = line -> {};
  private final List<String> pluginErrors = new ArrayList<>();
  private final Map<String, byte[]> properties = new LinkedHashMap<>();
  private final Map<Integer, StreamState> streams = new HashMap<>();
  private LongSupplier clock = () -> System.currentTimeMillis() * 1_000_000L;
  private int rootContextId;
  private int effectiveContextId;
  private int doneCalls;

  /** The configuration phase is the only time the plugin configuration is readable. */
  private boolean configuring;

  private int tickPeriodMillis;
  private int nextToken = 1;
  private final Map<Integer, HttpCall> httpCalls = new LinkedHashMap<>();
  private final Map<Integer, GrpcEntry> grpcCalls = new LinkedHashMap<>();
  private final Map<Integer, RedisCall> redisCalls = new LinkedHashMap<>();
  private final Map<String, RedisClient> redisClients = new LinkedHashMap<>();
  private final Map<String, UnaryOperator<byte[]>> foreignFunctions = new LinkedHashMap<>();

  /** Calls out dispatched since {@link #takeDispatched()} was last called. */
  private final List<Object> dispatched = new ArrayList<>();

  /** What an answer callback reads: the answer being delivered. */
  private CalloutAnswer answer;

  private byte[] callData;

  /** A Redis cluster the plugin initialised ({@code proxy_redis_init}). */
  public record RedisClient(String upstream, String username, String password, int timeoutMillis) {}

  /** The answer being delivered to an answer callback. */
  public record CalloutAnswer(HeaderMap headers, byte[] body, HeaderMap trailers) {}

  /** A gRPC call as it goes on. */
  private static final class GrpcEntry {
    final GrpcCall opened;
    final List<byte[]> messages = new ArrayList<>();
    boolean endOfStream;
    boolean cancelled;
    boolean closed;

    GrpcEntry(GrpcCall opened) {
      this.opened = opened;
    }

    GrpcCall snapshot() {
      GrpcCall o = opened;
      return new GrpcCall(
          o.token(),
          o.upstream(),
          o.serviceName(),
          o.methodName(),
          o.initialMetadata(),
          o.stream(),
          o.timeoutMillis(),
          messages,
          endOfStream,
          cancelled,
          closed,
          o.contextId());
    }
  }

  public VmState(SharedState shared) {
    this.shared = shared;
  }

  /** What this VM shares with the other VMs of its host. */
  public SharedState shared() {
    return shared;
  }

  // ---- set-up -------------------------------------------------------------------------------

  public void setPluginConfiguration(byte[] config) {
    pluginConfiguration = config.clone();
  }

  public int pluginConfigurationSize() {
    return pluginConfiguration.length;
  }

  public void setVmConfiguration(byte[] config) {
    vmConfiguration = config.clone();
  }

  public int vmConfigurationSize() {
    return vmConfiguration.length;
  }

  public void setLogLevel(LogLevel level) {
    logLevel = level;
  }

  public LogLevel logLevel() {
    return logLevel;
  }

  /** Where log lines go (at or above the log level). */
  public void setLogSink(Consumer<LogLine> sink) {
    logSink = sink;
  }

  public void setClock(LongSupplier nanos) {
    clock = nanos;
  }

  public long nowNanos() {
    return clock.getAsLong();
  }

  public void setRootContextId(int id) {
    rootContextId = id;
  }

  public int rootContextId() {
    return rootContextId;
  }

  public void setConfiguring(boolean on) {
    configuring = on;
  }

  // ---- properties ---------------------------------------------------------------------------

  /**
   * Sets a property of the VM, seen by every stream that has not set its own ({@code null} removes
   * it).
   */
  public void setVmProperty(List<String> path, byte[] value) {
    put(properties, path, value);
  }

  /** A property of the VM, or null. */
  public byte[] vmProperty(List<String> path) {
    byte[] v = properties.get(key(path));
    return v == null ? null : v.clone();
  }

  /** {@code proxy_set_property}: on the effective stream if there is one, else on the VM. */
  public void setProperty(List<String> path, byte[] value) {
    StreamState s = effectiveStream();
    put(s != null ? s.properties : properties, path, value);
  }

  /** {@code proxy_get_property}: the effective stream's, else the VM's; null if neither has it. */
  public byte[] getProperty(List<String> path) {
    return property(effectiveStream(), path);
  }

  /** The property as {@code stream} (null: none) sees it, or null. */
  public byte[] property(StreamState stream, List<String> path) {
    String key = key(path);
    byte[] v = stream == null ? null : stream.properties.get(key);
    if (v == null) {
      v = properties.get(key);
    }
    return v == null ? null : v.clone();
  }

  static void put(Map<String, byte[]> map, List<String> path, byte[] value) {
    if (value == null) {
      map.remove(key(path));
    } else {
      map.put(key(path), value.clone());
    }
  }

  static String key(List<String> path) {
    return String.join("\u0000", path);
  }

  // ---- contexts -----------------------------------------------------------------------------

  public StreamState newStream(int contextId) {
    StreamState s = new StreamState(contextId);
    streams.put(contextId, s);
    return s;
  }

  public StreamState stream(int contextId) {
    return streams.get(contextId);
  }

  public void dropStream(int contextId) {
    streams.remove(contextId);
  }

  /** Makes {@code contextId} the context host calls act on (the host does this per callback). */
  public void setEffectiveContext(int contextId) {
    effectiveContextId = contextId;
  }

  public int effectiveContextId() {
    return effectiveContextId;
  }

  /** {@code proxy_set_effective_context} from the plugin. */
  public Status switchEffectiveContext(int contextId) {
    if (contextId != rootContextId && !streams.containsKey(contextId)) {
      return Status.BAD_ARGUMENT;
    }
    effectiveContextId = contextId;
    return Status.OK;
  }

  private StreamState effectiveStream() {
    return streams.get(effectiveContextId);
  }

  // ---- logs ---------------------------------------------------------------------------------

  public void log(LogLevel level, String message) {
    if (level.code() < logLevel.code()) {
      return;
    }
    if (level == LogLevel.CRITICAL
        && message.startsWith(UNCAUGHT)
        && pluginErrors.size() < MAX_ERRORS) {
      pluginErrors.add(message.substring(UNCAUGHT.length()));
    }
    logSink.accept(new LogLine(level, message));
  }

  /** Exceptions the plugin threw and the SDK caught (from its CRITICAL log lines), in order. */
  public List<String> pluginErrors() {
    return List.copyOf(pluginErrors);
  }

  // ---- buffers ------------------------------------------------------------------------------

  /** The bytes of buffer {@code type} from {@code start}, at most {@code max}; null if none. */
  public byte[] getBuffer(BufferType type, int start, int max) {
    byte[] buffer = buffer(type);
    if (buffer == null || start < 0 || max < 0) {
      return null;
    }
    int from = Math.min(start, buffer.length);
    int to = (int) Math.min((long) from + max, buffer.length);
    byte[] out = new byte[to - from];
    System.arraycopy(buffer, from, out, 0, out.length);
    return out;
  }

  /** The size of buffer {@code type}, or -1 if there is none now. */
  public int bufferSize(BufferType type) {
    byte[] buffer = buffer(type);
    return buffer == null ? -1 : buffer.length;
  }

  private byte[] buffer(BufferType type) {
    switch (type) {
      case PLUGIN_CONFIGURATION:
        return configuring ? pluginConfiguration : null;
      case VM_CONFIGURATION:
        return vmConfiguration;
      case HTTP_CALL_RESPONSE_BODY:
      case GRPC_RECEIVE_BUFFER:
      case REDIS_CALL_RESPONSE:
        return answer == null ? null : answer.body();
      case CALL_DATA:
        return callData;
      default:
        StreamState s = effectiveStream();
        return s == null ? null : s.buffer(type);
    }
  }

  public Status setBuffer(BufferType type, int start, int size, byte[] value) {
    StreamState s = effectiveStream();
    if (s == null || s.buffer(type) == null) {
      return Status.NOT_FOUND;
    }
    s.setBuffer(type, StreamState.splice(s.buffer(type), start, size, value));
    return Status.OK;
  }

  // ---- header maps --------------------------------------------------------------------------

  /** The map {@code type} host calls act on now, or null if there is none. */
  public MutableHeaders headers(MapType type) {
    switch (type) {
      case HTTP_CALL_RESPONSE_HEADERS:
      case GRPC_RECEIVE_INITIAL_METADATA:
        return answer == null ? null : MutableHeaders.of(answer.headers());
      case HTTP_CALL_RESPONSE_TRAILERS:
      case GRPC_RECEIVE_TRAILING_METADATA:
        return answer == null ? null : MutableHeaders.of(answer.trailers());
      default:
        StreamState s = effectiveStream();
        return s == null ? null : s.map(type);
    }
  }

  // ---- local replies and stream control -----------------------------------------------------

  public Status sendLocalResponse(
      int status, String details, byte[] body, HeaderMap headers, int grpcStatus) {
    StreamState s = effectiveStream();
    if (s == null) {
      return Status.BAD_ARGUMENT;
    }
    if (s.localReply != null) {
      return Status.BAD_ARGUMENT; // Envoy allows one local reply per stream
    }
    s.localReply = new LocalReply(status, details, body, headers, grpcStatus);
    return Status.OK;
  }

  public Status continueStream(StreamType type) {
    StreamState s = effectiveStream();
    if (s == null) {
      return Status.BAD_ARGUMENT;
    }
    if (type == StreamType.HTTP_REQUEST) {
      s.requestResumes++;
    } else if (type == StreamType.HTTP_RESPONSE) {
      s.responseResumes++;
    } else {
      return Status.BAD_ARGUMENT;
    }
    return Status.OK;
  }

  public Status closeStream(StreamType type) {
    StreamState s = effectiveStream();
    if (s == null) {
      return Status.BAD_ARGUMENT;
    }
    if (type == StreamType.HTTP_REQUEST) {
      s.requestClosed = true;
    } else if (type == StreamType.HTTP_RESPONSE) {
      s.responseClosed = true;
    } else {
      return Status.BAD_ARGUMENT;
    }
    return Status.OK;
  }

  // ---- timers, done -------------------------------------------------------------------------

  public Status setTickPeriod(int millis) {
    if (millis < 0) {
      return Status.BAD_ARGUMENT;
    }
    tickPeriodMillis = millis;
    return Status.OK;
  }

  public int tickPeriodMillis() {
    return tickPeriodMillis;
  }

  public Status done() {
    doneCalls++;
    return Status.OK;
  }

  public int doneCalls() {
    return doneCalls;
  }

  // ---- calls out ----------------------------------------------------------------------------

  public int dispatchHttpCall(
      String upstream, HeaderMap headers, byte[] body, HeaderMap trailers, int timeout) {
    int token = nextToken++;
    HttpCall call =
        new HttpCall(token, upstream, headers, body, trailers, timeout, effectiveContextId);
    httpCalls.put(token, call);
    dispatched.add(call);
    return token;
  }

  /** HTTP calls not answered yet, oldest first. */
  public List<HttpCall> httpCalls() {
    return new ArrayList<>(httpCalls.values());
  }

  /** Forgets HTTP call {@code token} (its answer is being delivered); null if unknown. */
  public HttpCall takeHttpCall(int token) {
    return httpCalls.remove(token);
  }

  public int dispatchGrpc(
      String upstream,
      String service,
      String method,
      HeaderMap metadata,
      byte[] message,
      boolean stream,
      int timeout) {
    int token = nextToken++;
    GrpcEntry e =
        new GrpcEntry(
            new GrpcCall(
                token,
                upstream,
                service,
                method,
                metadata,
                stream,
                timeout,
                List.of(),
                false,
                false,
                false,
                effectiveContextId));
    if (message != null) {
      e.messages.add(message.clone());
      e.endOfStream = true;
    }
    grpcCalls.put(token, e);
    return token;
  }

  /** {@code proxy_grpc_send}. */
  public Status grpcSend(int token, byte[] message, boolean endOfStream) {
    GrpcEntry e = grpcCalls.get(token);
    if (e == null) {
      return Status.NOT_FOUND;
    }
    e.messages.add(message.clone());
    e.endOfStream |= endOfStream;
    return Status.OK;
  }

  /** {@code proxy_grpc_cancel}. */
  public Status grpcCancel(int token) {
    GrpcEntry e = grpcCalls.get(token);
    if (e == null) {
      return Status.NOT_FOUND;
    }
    e.cancelled = true;
    return Status.OK;
  }

  /** {@code proxy_grpc_close}. */
  public Status grpcClose(int token) {
    GrpcEntry e = grpcCalls.get(token);
    if (e == null) {
      return Status.NOT_FOUND;
    }
    e.closed = true;
    return Status.OK;
  }

  /** gRPC calls and streams not closed by the host, oldest first. */
  public List<GrpcCall> grpcCalls() {
    List<GrpcCall> out = new ArrayList<>();
    for (GrpcEntry e : grpcCalls.values()) {
      out.add(e.snapshot());
    }
    return out;
  }

  public void forgetGrpcCall(int token) {
    grpcCalls.remove(token);
  }

  public Status initRedis(String upstream, String user, String password, int timeout) {
    redisClients.put(upstream, new RedisClient(upstream, user, password, timeout));
    return Status.OK;
  }

  /** The Redis cluster {@code upstream} as the plugin initialised it, or null. */
  public RedisClient redisClient(String upstream) {
    return redisClients.get(upstream);
  }

  /** The token, or 0 with the refusal in {@code status[0]}. */
  public int dispatchRedisCall(String upstream, byte[] query, Status[] status) {
    if (!redisClients.containsKey(upstream)) {
      status[0] = Status.BAD_ARGUMENT; // Higress refuses calls before proxy_redis_init
      return 0;
    }
    int token = nextToken++;
    RedisCall call = new RedisCall(token, upstream, query, effectiveContextId);
    redisCalls.put(token, call);
    dispatched.add(call);
    status[0] = Status.OK;
    return token;
  }

  public List<RedisCall> redisCalls() {
    return new ArrayList<>(redisCalls.values());
  }

  /** Forgets Redis call {@code token} (its answer is being delivered); null if unknown. */
  public RedisCall takeRedisCall(int token) {
    return redisCalls.remove(token);
  }

  /** The HTTP and Redis calls dispatched since the last time this was called, oldest first. */
  public List<Object> takeDispatched() {
    if (dispatched.isEmpty()) {
      return List.of();
    }
    List<Object> out = new ArrayList<>(dispatched);
    dispatched.clear();
    return out;
  }

  public void registerForeignFunction(String name, UnaryOperator<byte[]> function) {
    foreignFunctions.put(name, function);
  }

  /** The result of foreign function {@code name}, or null if there is none. */
  public byte[] callForeignFunction(String name, byte[] argument) {
    UnaryOperator<byte[]> f = foreignFunctions.get(name);
    return f == null ? null : f.apply(argument.clone());
  }

  /** Makes {@code answer} what the next answer callback reads (null when it is over). */
  public void setAnswer(CalloutAnswer answer) {
    this.answer = answer;
  }

  public void setCallData(byte[] data) {
    this.callData = data;
  }
}
