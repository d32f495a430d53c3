package io.rustless.testing.emulator;

import io.rustless.sdk.host.BufferType;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.sdk.host.LogLevel;
import io.rustless.sdk.host.MapType;
import io.rustless.sdk.host.MetricType;
import io.rustless.sdk.host.Status;
import io.rustless.sdk.host.StreamType;
import io.rustless.testing.GrpcCallout;
import io.rustless.testing.HttpCallout;
import io.rustless.testing.LocalResponse;
import io.rustless.testing.LogEntry;
import io.rustless.testing.RedisCallout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * The emulated proxy: configuration, logs, properties and the HTTP streams. Both test modes act on
 * this one model, the JVM emulator through {@link EmulatedHost}, the Wasm host through its imports,
 * so a test reads the same state whichever mode ran it.
 *
 * <p>Every operation answers with an ABI status, as a real host does.
 */
public final class ProxyState {
  private byte[] pluginConfiguration = new byte[0];
  private byte[] vmConfiguration = new byte[0];
  private LogLevel logLevel = LogLevel.TRACE;
  private final List<LogEntry> logs = new ArrayList<>();
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
  private final Map<String, SharedEntry> sharedData = new LinkedHashMap<>();
  private final Map<String, Integer> queueIds = new LinkedHashMap<>();
  private final Map<Integer, Deque<byte[]>> queues = new LinkedHashMap<>();
  private final List<Integer> readyQueues = new ArrayList<>();
  private final Map<String, Integer> metricIds = new LinkedHashMap<>();
  private final List<Metric> metrics = new ArrayList<>();
  private final Map<Integer, HttpCallout> httpCallouts = new LinkedHashMap<>();
  private final Map<Integer, GrpcCallout> grpcCallouts = new LinkedHashMap<>();
  private final Map<Integer, RedisCallout> redisCallouts = new LinkedHashMap<>();
  private final Map<String, String[]> redisClients = new LinkedHashMap<>();
  private final Map<String, UnaryOperator<byte[]>> foreignFunctions = new LinkedHashMap<>();

  /** What an answer callback reads: the answer being delivered. */
  private CalloutAnswer answer;

  private byte[] callData;

  private record SharedEntry(byte[] value, int cas) {}

  /** A metric as the host keeps it. */
  public record Metric(MetricType type, String name, long value) {}

  /** The answer being delivered to an answer callback. */
  public record CalloutAnswer(HeaderMap headers, byte[] body, HeaderMap trailers) {}

  // ---- set-up -------------------------------------------------------------------------------

  public void setPluginConfiguration(byte[] config) {
    pluginConfiguration = config.clone();
  }

  public void setVmConfiguration(byte[] config) {
    vmConfiguration = config.clone();
  }

  public void setLogLevel(LogLevel level) {
    logLevel = level;
  }

  public LogLevel logLevel() {
    return logLevel;
  }

  public void setClock(LongSupplier nanos) {
    clock = nanos;
  }

  public long nowNanos() {
    return clock.getAsLong();
  }

  public void setProperty(List<String> path, byte[] value) {
    if (value == null) {
      properties.remove(key(path));
    } else {
      properties.put(key(path), value.clone());
    }
  }

  public byte[] getProperty(List<String> path) {
    byte[] v = properties.get(key(path));
    return v == null ? null : v.clone();
  }

  private static String key(List<String> path) {
    return String.join("\u0000", path);
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
    if (level.code() >= logLevel.code()) {
      logs.add(new LogEntry(level, message));
    }
  }

  public List<LogEntry> logs() {
    return Collections.unmodifiableList(logs);
  }

  // ---- buffers ------------------------------------------------------------------------------

  /** The bytes of buffer {@code type} from {@code start}, at most {@code max}; null if none. */
  public byte[] getBuffer(BufferType type, int start, int max) {
    byte[] buffer;
    switch (type) {
      case PLUGIN_CONFIGURATION:
        buffer = configuring ? pluginConfiguration : null;
        break;
      case VM_CONFIGURATION:
        buffer = vmConfiguration;
        break;
      case HTTP_CALL_RESPONSE_BODY:
      case GRPC_RECEIVE_BUFFER:
      case REDIS_CALL_RESPONSE:
        buffer = answer == null ? null : answer.body();
        break;
      case CALL_DATA:
        buffer = callData;
        break;
      default:
        StreamState s = effectiveStream();
        buffer = s == null ? null : s.buffer(type);
    }
    if (buffer == null) {
      return null;
    }
    if (start < 0 || max < 0) {
      return null;
    }
    int from = Math.min(start, buffer.length);
    int to = (int) Math.min((long) from + max, buffer.length);
    byte[] out = new byte[to - from];
    System.arraycopy(buffer, from, out, 0, out.length);
    return out;
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
    if (s.localResponse != null) {
      return Status.BAD_ARGUMENT; // Envoy allows one local reply per stream
    }
    s.localResponse = new LocalResponse(status, details, body, headers, grpcStatus);
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

  // ---- timers, shared data, queues, metrics --------------------------------------------------

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

  /** The value and CAS token under {@code key}, or null. */
  public io.rustless.sdk.host.SharedData getSharedData(String key) {
    SharedEntry e = sharedData.get(key);
    return e == null ? null : new io.rustless.sdk.host.SharedData(e.value(), e.cas());
  }

  public Status setSharedData(String key, byte[] value, int cas) {
    SharedEntry e = sharedData.get(key);
    int current = e == null ? 0 : e.cas();
    if (cas != 0 && cas != current) {
      return Status.CAS_MISMATCH;
    }
    sharedData.put(key, new SharedEntry(value.clone(), current + 1));
    return Status.OK;
  }

  public int registerQueue(String name) {
    return queueIds.computeIfAbsent(
        name,
        n -> {
          int id = queueIds.size() + 1;
          queues.put(id, new ArrayDeque<>());
          return id;
        });
  }

  /** The queue's id, or -1; this host runs one VM, whose id is "" (any id resolves). */
  public int resolveQueue(String vmId, String name) {
    Integer id = queueIds.get(name);
    return id == null ? -1 : id;
  }

  public Status enqueue(int queueId, byte[] value) {
    Deque<byte[]> q = queues.get(queueId);
    if (q == null) {
      return Status.NOT_FOUND;
    }
    q.addLast(value.clone());
    if (!readyQueues.contains(queueId)) {
      readyQueues.add(queueId);
    }
    return Status.OK;
  }

  /** The oldest item; null with {@code Status.EMPTY}/{@code NOT_FOUND} in {@code status[0]}. */
  public byte[] dequeue(int queueId, Status[] status) {
    Deque<byte[]> q = queues.get(queueId);
    if (q == null) {
      status[0] = Status.NOT_FOUND;
      return null;
    }
    byte[] item = q.pollFirst();
    status[0] = item == null ? Status.EMPTY : Status.OK;
    return item;
  }

  /** Queues that received items since the last call (for onQueueReady). */
  public List<Integer> takeReadyQueues() {
    List<Integer> out = new ArrayList<>(readyQueues);
    readyQueues.clear();
    return out;
  }

  public int defineMetric(MetricType type, String name) {
    Integer id = metricIds.get(name);
    if (id != null) {
      return id;
    }
    metrics.add(new Metric(type, name, 0));
    metricIds.put(name, metrics.size());
    return metrics.size();
  }

  public Status incrementMetric(int id, long offset) {
    if (id < 1 || id > metrics.size()) {
      return Status.NOT_FOUND;
    }
    Metric m = metrics.get(id - 1);
    if (m.type() == MetricType.HISTOGRAM) {
      return Status.BAD_ARGUMENT;
    }
    metrics.set(id - 1, new Metric(m.type(), m.name(), m.value() + offset));
    return Status.OK;
  }

  public Status recordMetric(int id, long value) {
    if (id < 1 || id > metrics.size()) {
      return Status.NOT_FOUND;
    }
    Metric m = metrics.get(id - 1);
    // a histogram keeps its last sample here; a counter cannot be set
    if (m.type() == MetricType.COUNTER) {
      return Status.BAD_ARGUMENT;
    }
    metrics.set(id - 1, new Metric(m.type(), m.name(), value));
    return Status.OK;
  }

  /** The metric with id {@code id}, or null. */
  public Metric metric(int id) {
    return id < 1 || id > metrics.size() ? null : metrics.get(id - 1);
  }

  /** The metric named {@code name}, or null. */
  public Metric metric(String name) {
    Integer id = metricIds.get(name);
    return id == null ? null : metrics.get(id - 1);
  }

  // ---- calls out ----------------------------------------------------------------------------

  public int dispatchHttpCall(
      String upstream, HeaderMap headers, byte[] body, HeaderMap trailers, int timeout) {
    int token = nextToken++;
    httpCallouts.put(token, new HttpCallout(token, upstream, headers, body, trailers, timeout));
    return token;
  }

  /** HTTP calls not answered yet, oldest first. */
  public List<HttpCallout> httpCallouts() {
    return new ArrayList<>(httpCallouts.values());
  }

  public HttpCallout takeHttpCallout(int token) {
    return httpCallouts.remove(token);
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
    GrpcCallout c = new GrpcCallout(token, upstream, service, method, metadata, stream, timeout);
    if (message != null) {
      c.recordMessage(message, true);
    }
    grpcCallouts.put(token, c);
    return token;
  }

  public GrpcCallout grpcCallout(int token) {
    return grpcCallouts.get(token);
  }

  public List<GrpcCallout> grpcCallouts() {
    return new ArrayList<>(grpcCallouts.values());
  }

  public void forgetGrpcCallout(int token) {
    grpcCallouts.remove(token);
  }

  public Status initRedis(String upstream, String user, String password, int timeout) {
    redisClients.put(upstream, new String[] {user, password, Integer.toString(timeout)});
    return Status.OK;
  }

  /** Whether {@code upstream} was initialised, and its [user, password, timeout]. */
  public String[] redisClient(String upstream) {
    return redisClients.get(upstream);
  }

  public int dispatchRedisCall(String upstream, byte[] query, Status[] status) {
    if (!redisClients.containsKey(upstream)) {
      status[0] = Status.BAD_ARGUMENT; // Higress refuses calls before proxy_redis_init
      return 0;
    }
    int token = nextToken++;
    redisCallouts.put(token, new RedisCallout(token, upstream, query));
    status[0] = Status.OK;
    return token;
  }

  public List<RedisCallout> redisCallouts() {
    return new ArrayList<>(redisCallouts.values());
  }

  public RedisCallout takeRedisCallout(int token) {
    return redisCallouts.remove(token);
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

  public Status done() {
    doneCalls++;
    return Status.OK;
  }

  public int doneCalls() {
    return doneCalls;
  }
}
