package io.rustless.host;

import io.rustless.host.engine.Export;
import io.rustless.host.engine.PluginInstance;
import io.rustless.host.engine.PluginModule;
import io.rustless.host.state.VmState;
import io.rustless.host.state.VmState.CalloutAnswer;
import io.rustless.host.upstream.Upstreams;
import io.rustless.sdk.api.StartStatus;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.sdk.host.LogLevel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * One plugin instance in a proxy, as Envoy runs one per plugin per worker: a root context created
 * and configured at start, and any number of HTTP streams at once ({@link #newStream()}), each with
 * its own context. Thread-safe in the way a proxy is: the plugin runs one callback at a time, while
 * streams are driven from as many threads as there are requests.
 *
 * <p>Calls out go to real upstreams when the VM has {@link Upstreams} for their cluster: the thread
 * whose callback dispatched a call performs it once the callback has returned (the VM is free for
 * other streams meanwhile) and delivers the answer, as a proxy does; the others wait for {@link
 * #answerHttpCall} and friends. If the plugin traps, the VM is failed: every later call into it
 * throws {@link PluginTrapException}.
 */
public final class Vm implements AutoCloseable {
  /** The root context's id; streams count up from the next one. */
  public static final int ROOT_ID = 1;

  private final ProxyHost host;
  private final VmState state;
  private final Upstreams upstreams;
  private final ReentrantLock lock = new ReentrantLock();
  private final PluginInstance instance;
  private final StartStatus startStatus;
  private final List<HttpStream> open = new ArrayList<>();

  /** {@code open}'s size, readable without the lock (a gateway picks its least busy VM by it). */
  private final AtomicInteger openCount = new AtomicInteger();

  private int nextContextId = ROOT_ID + 1;
  private volatile PluginTrapException failure;
  private boolean closed;

  private Vm(Builder b) {
    this.host = b.host;
    this.state = b.state;
    this.upstreams = b.upstreams;
    state.setRootContextId(ROOT_ID);
    state.setEffectiveContext(ROOT_ID);
    this.instance = b.module.instantiate(state);
    StartStatus status;
    try {
      status = run(this::startUp);
    } catch (RuntimeException | Error e) {
      instance.close();
      throw e;
    }
    this.startStatus = status;
  }

  private StartStatus startUp() {
    instance.call(Export.CONTEXT_CREATE, ROOT_ID, 0);
    int vmStarted = instance.call(Export.VM_START, ROOT_ID, state.vmConfigurationSize());
    int configured = 0;
    if (vmStarted != 0) {
      state.setConfiguring(true);
      try {
        configured = instance.call(Export.CONFIGURE, ROOT_ID, state.pluginConfigurationSize());
      } finally {
        state.setConfiguring(false);
      }
    }
    return StartStatus.of(vmStarted != 0 && configured != 0);
  }

  /** OK if the VM started and the plugin accepted its configuration. */
  public StartStatus startStatus() {
    return startStatus;
  }

  /** The host this VM runs in. */
  public ProxyHost host() {
    return host;
  }

  /** The engine's instance of the plugin (for diagnostics and engine-specific inspection). */
  public PluginInstance instance() {
    return instance;
  }

  // ---- running callbacks --------------------------------------------------------------------

  /** A callback run under the lock; the VM's calls out are performed after it. */
  interface Callback<T> {
    T run();
  }

  /**
   * Runs {@code callback} with the VM to itself, then performs the calls out it dispatched that go
   * to real upstreams and delivers their answers (each delivery again a callback).
   */
  <T> T run(Callback<T> callback) {
    T result;
    List<Object> dispatched;
    lock.lock();
    try {
      requireUsable();
      state.takeDispatched();
      try {
        result = callback.run();
      } catch (PluginTrapException e) {
        failure = e;
        throw e;
      }
      dispatched = upstreams.isEmpty() ? List.of() : state.takeDispatched();
    } finally {
      lock.unlock();
    }
    perform(dispatched);
    return result;
  }

  private void requireUsable() {
    if (closed) {
      throw new IllegalStateException("the VM is closed");
    }
    if (failure != null) {
      throw new PluginTrapException("the VM failed earlier: " + failure.getMessage(), failure);
    }
  }

  /** Runs {@code body} under the lock without calling the plugin (inspection, set-up). */
  <T> T locked(Callback<T> body) {
    lock.lock();
    try {
      return body.run();
    } finally {
      lock.unlock();
    }
  }

  /** Calls {@code export} on context {@code contextId} (made effective for the call). */
  int call(int contextId, Export export, int... args) {
    state.setEffectiveContext(contextId);
    return instance.call(export, args);
  }

  VmState state() {
    return state;
  }

  private void perform(List<Object> dispatched) {
    for (Object call : dispatched) {
      if (call instanceof HttpCall http && upstreams.routesHttp(http.upstream())) {
        Upstreams.HttpAnswer a = upstreams.perform(http);
        deliverHttp(
            http.token(),
            a.headers() == null ? HeaderMap.empty() : a.headers(),
            a.body(),
            HeaderMap.empty(),
            false);
      } else if (call instanceof RedisCall redis && upstreams.routesRedis(redis.upstream())) {
        byte[] reply = upstreams.perform(redis, locked(() -> state.redisClient(redis.upstream())));
        deliverRedis(
            redis.token(), reply == null ? 1 : 0, reply == null ? new byte[0] : reply, false);
      }
    }
  }

  // ---- streams ------------------------------------------------------------------------------

  /** A new HTTP stream through the plugin (its context is created now). */
  public HttpStream newStream() {
    return run(
        () -> {
          int id = nextContextId++;
          HttpStream s = new HttpStream(this, state.newStream(id));
          open.add(s);
          openCount.incrementAndGet();
          call(id, Export.CONTEXT_CREATE, id, ROOT_ID);
          return s;
        });
  }

  /** Ends {@code stream} as the proxy does: done, log, delete (only forgets it on a failed VM). */
  void complete(HttpStream stream) {
    boolean live =
        locked(
            () -> {
              if (!open.remove(stream)) {
                return false;
              }
              openCount.decrementAndGet();
              if (failure != null || closed) {
                state.dropStream(stream.contextId());
                return false;
              }
              return true;
            });
    if (!live) {
      return;
    }
    int id = stream.contextId();
    run(
        () -> {
          try {
            call(id, Export.DONE, id);
            call(id, Export.LOG, id);
            return call(id, Export.DELETE, id);
          } finally {
            state.dropStream(id);
            state.setEffectiveContext(ROOT_ID);
          }
        });
  }

  /** Streams not completed yet (read without waiting for the VM). */
  public int openStreams() {
    return openCount.get();
  }

  // ---- root context events ------------------------------------------------------------------

  /** Delivers a timer tick to the root context. */
  public void tick() {
    run(() -> call(ROOT_ID, Export.TICK, ROOT_ID));
  }

  /** The tick period the plugin asked for, in milliseconds (0: no timer). */
  public int tickPeriodMillis() {
    return locked(state::tickPeriodMillis);
  }

  /** Enqueues on queue {@code name} (as another VM would) and tells the plugin. */
  public void enqueue(String queueName, byte[] value) {
    int id = host.shared().resolveQueue("", queueName);
    if (id < 0) {
      throw new IllegalStateException("no queue named " + queueName + " was registered");
    }
    host.shared().enqueue(id, value);
    deliverReadyQueues();
  }

  /** Calls onQueueReady for each of this VM's queues that received items; how many it told. */
  public int deliverReadyQueues() {
    List<Integer> ready = host.shared().takeReadyQueues(state);
    for (int id : ready) {
      run(() -> call(ROOT_ID, Export.QUEUE_READY, ROOT_ID, id));
    }
    return ready.size();
  }

  /** Registers a host function the plugin can call with {@code proxy_call_foreign_function}. */
  public void registerForeignFunction(String name, UnaryOperator<byte[]> function) {
    locked(
        () -> {
          state.registerForeignFunction(name, function);
          return null;
        });
  }

  /** The host calls the plugin's foreign function {@code functionId} with {@code data}. */
  public void callForeignFunction(int functionId, byte[] data) {
    run(
        () -> {
          state.setCallData(data.clone());
          try {
            return call(ROOT_ID, Export.FOREIGN_FUNCTION, ROOT_ID, functionId, data.length);
          } finally {
            state.setCallData(null);
          }
        });
  }

  // ---- calls out ----------------------------------------------------------------------------

  /** HTTP calls the plugin dispatched that have not been answered, oldest first. */
  public List<HttpCall> httpCalls() {
    return locked(state::httpCalls);
  }

  /** gRPC calls and streams the plugin opened that the host has not closed. */
  public List<GrpcCall> grpcCalls() {
    return locked(state::grpcCalls);
  }

  /** Redis commands the plugin sent that have not been answered, oldest first. */
  public List<RedisCall> redisCalls() {
    return locked(state::redisCalls);
  }

  /** True if the plugin called {@code proxy_redis_init} for {@code upstream}. */
  public boolean isRedisInitialized(String upstream) {
    return locked(() -> state.redisClient(upstream) != null);
  }

  /**
   * Answers HTTP call {@code token} (headers with {@code :status}; no headers: it failed).
   *
   * @throws IllegalStateException if no such call is pending
   */
  public void answerHttpCall(int token, HeaderMap headers, byte[] body, HeaderMap trailers) {
    deliverHttp(token, headers, body, trailers, true);
  }

  private void deliverHttp(
      int token, HeaderMap headers, byte[] body, HeaderMap trailers, boolean required) {
    run(
        () -> {
          if (state.takeHttpCall(token) == null) {
            if (required) {
              throw new IllegalStateException("no pending HTTP call with token " + token);
            }
            return null;
          }
          return deliver(
              new CalloutAnswer(headers, body, trailers),
              Export.HTTP_CALL_RESPONSE,
              token,
              headers.size(),
              body.length,
              trailers.size());
        });
  }

  /**
   * Answers Redis call {@code token} with {@code status} (0: success) and a RESP reply.
   *
   * @throws IllegalStateException if no such call is pending
   */
  public void answerRedisCall(int token, int status, byte[] reply) {
    deliverRedis(token, status, reply, true);
  }

  private void deliverRedis(int token, int status, byte[] reply, boolean required) {
    run(
        () -> {
          if (state.takeRedisCall(token) == null) {
            if (required) {
              throw new IllegalStateException("no pending Redis call with token " + token);
            }
            return null;
          }
          return deliver(
              new CalloutAnswer(HeaderMap.empty(), reply, HeaderMap.empty()),
              Export.REDIS_CALL_RESPONSE,
              token,
              status,
              reply.length);
        });
  }

  public void answerGrpcInitialMetadata(int token, HeaderMap metadata) {
    run(
        () ->
            deliver(
                new CalloutAnswer(metadata, new byte[0], HeaderMap.empty()),
                Export.GRPC_RECEIVE_INITIAL_METADATA,
                token,
                metadata.size()));
  }

  public void answerGrpcMessage(int token, byte[] message) {
    run(
        () ->
            deliver(
                new CalloutAnswer(HeaderMap.empty(), message, HeaderMap.empty()),
                Export.GRPC_RECEIVE,
                token,
                message.length));
  }

  public void answerGrpcTrailingMetadata(int token, HeaderMap metadata) {
    run(
        () ->
            deliver(
                new CalloutAnswer(HeaderMap.empty(), new byte[0], metadata),
                Export.GRPC_RECEIVE_TRAILING_METADATA,
                token,
                metadata.size()));
  }

  /** Closes gRPC call or stream {@code token} with {@code statusCode} (0 is OK). */
  public void closeGrpc(int token, int statusCode) {
    run(
        () -> {
          state.forgetGrpcCall(token);
          return deliver(null, Export.GRPC_CLOSE, token, statusCode);
        });
  }

  /** Delivers an answer to the root context, where calls out belong in the ABI. */
  private Integer deliver(CalloutAnswer answer, Export export, int token, int... more) {
    int effective = state.effectiveContextId();
    int[] args = new int[2 + more.length];
    args[0] = ROOT_ID;
    args[1] = token;
    System.arraycopy(more, 0, args, 2, more.length);
    state.setAnswer(answer);
    try {
      return call(ROOT_ID, export, args);
    } finally {
      state.setAnswer(null);
      state.setEffectiveContext(effective);
    }
  }

  // ---- properties, logs, diagnostics --------------------------------------------------------

  /** Sets a property every stream sees unless it has its own ({@code null} removes it). */
  public void setProperty(List<String> path, byte[] value) {
    locked(
        () -> {
          state.setVmProperty(path, value);
          return null;
        });
  }

  /** A property of the VM (not of a stream). */
  public java.util.Optional<byte[]> getProperty(List<String> path) {
    return java.util.Optional.ofNullable(locked(() -> state.vmProperty(path)));
  }

  /** Changes the log level (lines below it are dropped, as the proxy would). */
  public void setLogLevel(LogLevel level) {
    locked(
        () -> {
          state.setLogLevel(level);
          return null;
        });
  }

  /** Exceptions the plugin threw and the SDK caught (it logs them at CRITICAL), in order. */
  public List<String> pluginErrors() {
    return locked(state::pluginErrors);
  }

  /** True once the plugin trapped: the VM takes no more calls (read without waiting for it). */
  public boolean isFailed() {
    return failure != null;
  }

  /** The module's linear memory in bytes (-1 on the JVM). */
  public long memoryBytes() {
    return locked(instance::memoryBytes);
  }

  /** Free bytes in the plugin's own heap (-1 if the engine cannot tell). */
  public long heapFreeBytes() {
    return locked(instance::heapFreeBytes);
  }

  /** Contexts the plugin's dispatcher holds (-1 if the engine cannot tell). */
  public int liveContexts() {
    return locked(instance::liveContexts);
  }

  /** Completes the open streams, deletes the root context and frees the instance. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      try {
        for (HttpStream s : new ArrayList<>(open)) {
          try {
            complete(s);
          } catch (PluginTrapException e) {
            // the VM failed; what is left is freed below
          }
        }
        if (failure == null) {
          try {
            call(ROOT_ID, Export.DONE, ROOT_ID);
            call(ROOT_ID, Export.DELETE, ROOT_ID);
          } catch (PluginTrapException e) {
            failure = e;
          }
        }
      } finally {
        closed = true;
        instance.close();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Options for a {@link Vm}. */
  public static final class Builder {
    private final ProxyHost host;
    private final PluginModule module;
    private final VmState state;
    private Upstreams upstreams = Upstreams.none();

    Builder(ProxyHost host, PluginModule module) {
      this.host = host;
      this.module = Objects.requireNonNull(module);
      this.state = new VmState(host.shared());
    }

    /** The plugin configuration (JSON text, as Higress passes it). */
    public Builder pluginConfiguration(String json) {
      return pluginConfiguration(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The plugin configuration as raw bytes (what is not valid UTF-8 or JSON included). */
    public Builder pluginConfiguration(byte[] raw) {
      state.setPluginConfiguration(raw);
      return this;
    }

    public Builder vmConfiguration(byte[] raw) {
      state.setVmConfiguration(raw);
      return this;
    }

    /** The host's log level: lines below it are dropped. */
    public Builder logLevel(LogLevel level) {
      state.setLogLevel(level);
      return this;
    }

    /** Where the plugin's log lines go (none by default). */
    public Builder logSink(Consumer<LogLine> sink) {
      state.setLogSink(Objects.requireNonNull(sink));
      return this;
    }

    /** A property every stream sees, e.g. {@code property(value, "route_name")}. */
    public Builder property(byte[] value, List<String> path) {
      state.setVmProperty(path, value);
      return this;
    }

    /** The host's clock, in nanoseconds since the epoch. */
    public Builder clock(LongSupplier nanos) {
      state.setClock(nanos);
      return this;
    }

    /** Where calls out really go (none by default: they wait for an answer). */
    public Builder upstreams(Upstreams upstreams) {
      this.upstreams = Objects.requireNonNull(upstreams);
      return this;
    }

    /**
     * Instantiates the plugin and runs VM start and configuration.
     *
     * @throws PluginTrapException if the plugin traps on the way
     */
    public Vm start() {
      return new Vm(this);
    }
  }
}
