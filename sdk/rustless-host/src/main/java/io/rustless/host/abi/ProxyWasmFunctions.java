package io.rustless.host.abi;

import io.rustless.host.state.MutableHeaders;
import io.rustless.host.state.SharedState;
import io.rustless.host.state.VmState;
import io.rustless.sdk.host.BufferType;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.sdk.host.LogLevel;
import io.rustless.sdk.host.MapType;
import io.rustless.sdk.host.MetricType;
import io.rustless.sdk.host.SharedData;
import io.rustless.sdk.host.Status;
import io.rustless.sdk.host.StreamType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * The {@code env} module of the proxy-wasm host: one method per host function, named after it
 * ({@code proxy_get_header_map_value} is {@link #proxyGetHeaderMapValue}), taking the ABI's
 * arguments by name and answering its status code. Acts on a {@link VmState} and reaches the
 * module's memory through {@link GuestMemory}, so any Wasm engine can bind these unchanged ({@link
 * HostFunctions} lists them with their signatures).
 *
 * <p>Written from the proxy-wasm 0.2.1 spec and Envoy's behaviour, independently of the SDK's side,
 * so that a mistake in one is caught by the other.
 */
public final class ProxyWasmFunctions {
  private final VmState state;

  public ProxyWasmFunctions(VmState state) {
    this.state = state;
  }

  private SharedState shared() {
    return state.shared();
  }

  private static int status(Status s) {
    return s.code();
  }

  private static final int OK = Status.OK.code();
  private static final int NOT_FOUND = Status.NOT_FOUND.code();
  private static final int BAD_ARGUMENT = Status.BAD_ARGUMENT.code();

  // ---- logging and time ---------------------------------------------------------------------

  public int proxyLog(GuestMemory m, int level, int messagePtr, int messageSize) {
    if (level < 0 || level > 5) {
      return BAD_ARGUMENT;
    }
    state.log(LogLevel.fromCode(level), m.readString(messagePtr, messageSize));
    return OK;
  }

  public int proxyGetLogLevel(GuestMemory m, int levelPtr) {
    m.writeI32(levelPtr, state.logLevel().code());
    return OK;
  }

  public int proxyGetCurrentTimeNanoseconds(GuestMemory m, int timePtr) {
    m.writeI64(timePtr, state.nowNanos());
    return OK;
  }

  public int proxySetTickPeriodMilliseconds(GuestMemory m, int millis) {
    return status(state.setTickPeriod(millis));
  }

  // ---- buffers ------------------------------------------------------------------------------

  public int proxyGetBufferBytes(
      GuestMemory m, int bufferType, int start, int maxSize, int dataPtrPtr, int dataSizePtr) {
    BufferType type = bufferType(bufferType);
    if (type == null) {
      return BAD_ARGUMENT;
    }
    return found(m, state.getBuffer(type, start, maxSize), dataPtrPtr, dataSizePtr);
  }

  public int proxySetBufferBytes(
      GuestMemory m, int bufferType, int start, int size, int dataPtr, int dataSize) {
    BufferType type = bufferType(bufferType);
    if (type == null) {
      return BAD_ARGUMENT;
    }
    return status(state.setBuffer(type, start, size, m.read(dataPtr, dataSize)));
  }

  /** The buffer's size and flags (none: Envoy reports none to plugins either). */
  public int proxyGetBufferStatus(GuestMemory m, int bufferType, int lengthPtr, int flagsPtr) {
    BufferType type = bufferType(bufferType);
    if (type == null) {
      return BAD_ARGUMENT;
    }
    int size = state.bufferSize(type);
    if (size < 0) {
      return NOT_FOUND;
    }
    m.writeI32(lengthPtr, size);
    m.writeI32(flagsPtr, 0);
    return OK;
  }

  // ---- header maps --------------------------------------------------------------------------

  public int proxyGetHeaderMapSize(GuestMemory m, int mapType, int sizePtr) {
    MutableHeaders h = headers(mapType);
    if (h == null) {
      return BAD_ARGUMENT;
    }
    m.writeI32(sizePtr, h.size());
    return OK;
  }

  public int proxyGetHeaderMapPairs(GuestMemory m, int mapType, int dataPtrPtr, int dataSizePtr) {
    MutableHeaders h = headers(mapType);
    if (h == null) {
      return BAD_ARGUMENT;
    }
    return status(m.returnBytes(HeaderPairs.encode(h.toHeaderMap()), dataPtrPtr, dataSizePtr));
  }

  public int proxySetHeaderMapPairs(GuestMemory m, int mapType, int dataPtr, int dataSize) {
    MutableHeaders h = headers(mapType);
    HeaderMap map = m.readPairs(dataPtr, dataSize);
    if (h == null || map == null) {
      return BAD_ARGUMENT;
    }
    h.setAll(map);
    return OK;
  }

  public int proxyGetHeaderMapValue(
      GuestMemory m, int mapType, int keyPtr, int keySize, int valuePtrPtr, int valueSizePtr) {
    MutableHeaders h = headers(mapType);
    if (h == null) {
      return BAD_ARGUMENT;
    }
    return found(m, h.get(m.readString(keyPtr, keySize)), valuePtrPtr, valueSizePtr);
  }

  public int proxyAddHeaderMapValue(
      GuestMemory m, int mapType, int keyPtr, int keySize, int valuePtr, int valueSize) {
    MutableHeaders h = headers(mapType);
    if (h == null) {
      return BAD_ARGUMENT;
    }
    h.add(m.readString(keyPtr, keySize), m.read(valuePtr, valueSize));
    return OK;
  }

  public int proxyReplaceHeaderMapValue(
      GuestMemory m, int mapType, int keyPtr, int keySize, int valuePtr, int valueSize) {
    MutableHeaders h = headers(mapType);
    if (h == null) {
      return BAD_ARGUMENT;
    }
    h.replace(m.readString(keyPtr, keySize), m.read(valuePtr, valueSize));
    return OK;
  }

  public int proxyRemoveHeaderMapValue(GuestMemory m, int mapType, int keyPtr, int keySize) {
    MutableHeaders h = headers(mapType);
    if (h == null) {
      return BAD_ARGUMENT;
    }
    h.remove(m.readString(keyPtr, keySize));
    return OK;
  }

  // ---- properties ---------------------------------------------------------------------------

  public int proxyGetProperty(
      GuestMemory m, int pathPtr, int pathSize, int valuePtrPtr, int valueSizePtr) {
    return found(m, state.getProperty(path(m.read(pathPtr, pathSize))), valuePtrPtr, valueSizePtr);
  }

  public int proxySetProperty(
      GuestMemory m, int pathPtr, int pathSize, int valuePtr, int valueSize) {
    state.setProperty(path(m.read(pathPtr, pathSize)), m.read(valuePtr, valueSize));
    return OK;
  }

  // ---- stream control -----------------------------------------------------------------------

  public int proxySendLocalResponse(
      GuestMemory m,
      int statusCode,
      int detailsPtr,
      int detailsSize,
      int bodyPtr,
      int bodySize,
      int headersPtr,
      int headersSize,
      int grpcStatus) {
    HeaderMap headers = m.readPairs(headersPtr, headersSize);
    if (headers == null) {
      return BAD_ARGUMENT;
    }
    return status(
        state.sendLocalResponse(
            statusCode,
            m.readString(detailsPtr, detailsSize),
            m.read(bodyPtr, bodySize),
            headers,
            grpcStatus));
  }

  public int proxyContinueStream(GuestMemory m, int streamType) {
    StreamType type = streamType(streamType);
    return type == null ? BAD_ARGUMENT : status(state.continueStream(type));
  }

  public int proxyCloseStream(GuestMemory m, int streamType) {
    StreamType type = streamType(streamType);
    return type == null ? BAD_ARGUMENT : status(state.closeStream(type));
  }

  public int proxySetEffectiveContext(GuestMemory m, int contextId) {
    return status(state.switchEffectiveContext(contextId));
  }

  public int proxyDone(GuestMemory m) {
    return status(state.done());
  }

  // ---- shared data and queues ---------------------------------------------------------------

  public int proxyGetSharedData(
      GuestMemory m, int keyPtr, int keySize, int valuePtrPtr, int valueSizePtr, int casPtr) {
    SharedData d = shared().getSharedData(m.readString(keyPtr, keySize));
    if (d == null) {
      return NOT_FOUND;
    }
    int st = status(m.returnBytes(d.value(), valuePtrPtr, valueSizePtr));
    m.writeI32(casPtr, d.cas());
    return st;
  }

  public int proxySetSharedData(
      GuestMemory m, int keyPtr, int keySize, int valuePtr, int valueSize, int cas) {
    return status(
        shared().setSharedData(m.readString(keyPtr, keySize), m.read(valuePtr, valueSize), cas));
  }

  public int proxyRegisterSharedQueue(GuestMemory m, int namePtr, int nameSize, int queueIdPtr) {
    m.writeI32(queueIdPtr, shared().registerQueue(m.readString(namePtr, nameSize), state));
    return OK;
  }

  public int proxyResolveSharedQueue(
      GuestMemory m, int vmIdPtr, int vmIdSize, int namePtr, int nameSize, int queueIdPtr) {
    int id =
        shared().resolveQueue(m.readString(vmIdPtr, vmIdSize), m.readString(namePtr, nameSize));
    if (id < 0) {
      return NOT_FOUND;
    }
    m.writeI32(queueIdPtr, id);
    return OK;
  }

  public int proxyEnqueueSharedQueue(GuestMemory m, int queueId, int valuePtr, int valueSize) {
    return status(shared().enqueue(queueId, m.read(valuePtr, valueSize)));
  }

  public int proxyDequeueSharedQueue(
      GuestMemory m, int queueId, int valuePtrPtr, int valueSizePtr) {
    Status[] st = new Status[1];
    byte[] item = shared().dequeue(queueId, st);
    if (st[0] != Status.OK) {
      return status(st[0]);
    }
    return status(m.returnBytes(item, valuePtrPtr, valueSizePtr));
  }

  // ---- metrics ------------------------------------------------------------------------------

  public int proxyDefineMetric(
      GuestMemory m, int metricType, int namePtr, int nameSize, int metricIdPtr) {
    MetricType type = metricType(metricType);
    if (type == null) {
      return BAD_ARGUMENT;
    }
    m.writeI32(metricIdPtr, shared().defineMetric(type, m.readString(namePtr, nameSize)));
    return OK;
  }

  public int proxyIncrementMetric(GuestMemory m, int metricId, long offset) {
    return status(shared().incrementMetric(metricId, offset));
  }

  public int proxyRecordMetric(GuestMemory m, int metricId, long value) {
    return status(shared().recordMetric(metricId, value));
  }

  public int proxyGetMetric(GuestMemory m, int metricId, int valuePtr) {
    SharedState.Metric metric = shared().metric(metricId);
    if (metric == null) {
      return NOT_FOUND;
    }
    m.writeI64(valuePtr, metric.value());
    return OK;
  }

  // ---- calls out ----------------------------------------------------------------------------

  public int proxyHttpCall(
      GuestMemory m,
      int upstreamPtr,
      int upstreamSize,
      int headersPtr,
      int headersSize,
      int bodyPtr,
      int bodySize,
      int trailersPtr,
      int trailersSize,
      int timeoutMillis,
      int tokenPtr) {
    HeaderMap headers = m.readPairs(headersPtr, headersSize);
    HeaderMap trailers = m.readPairs(trailersPtr, trailersSize);
    if (headers == null || trailers == null) {
      return BAD_ARGUMENT;
    }
    int token =
        state.dispatchHttpCall(
            m.readString(upstreamPtr, upstreamSize),
            headers,
            m.read(bodyPtr, bodySize),
            trailers,
            timeoutMillis);
    m.writeI32(tokenPtr, token);
    return OK;
  }

  public int proxyGrpcCall(
      GuestMemory m,
      int upstreamPtr,
      int upstreamSize,
      int servicePtr,
      int serviceSize,
      int methodPtr,
      int methodSize,
      int metadataPtr,
      int metadataSize,
      int messagePtr,
      int messageSize,
      int timeoutMillis,
      int tokenPtr) {
    byte[] message = m.read(messagePtr, messageSize);
    return grpc(
        m,
        new int[] {upstreamPtr, upstreamSize, servicePtr, serviceSize, methodPtr, methodSize},
        metadataPtr,
        metadataSize,
        message,
        timeoutMillis,
        tokenPtr);
  }

  public int proxyGrpcStream(
      GuestMemory m,
      int upstreamPtr,
      int upstreamSize,
      int servicePtr,
      int serviceSize,
      int methodPtr,
      int methodSize,
      int metadataPtr,
      int metadataSize,
      int tokenPtr) {
    return grpc(
        m,
        new int[] {upstreamPtr, upstreamSize, servicePtr, serviceSize, methodPtr, methodSize},
        metadataPtr,
        metadataSize,
        null,
        0,
        tokenPtr);
  }

  /**
   * Opens a gRPC call ({@code message} set) or stream; {@code names} holds pointer and size of the
   * upstream, the service and the method.
   */
  private int grpc(
      GuestMemory m,
      int[] names,
      int metadataPtr,
      int metadataSize,
      byte[] message,
      int timeoutMillis,
      int tokenPtr) {
    HeaderMap metadata = m.readPairs(metadataPtr, metadataSize);
    if (metadata == null) {
      return BAD_ARGUMENT;
    }
    int token =
        state.dispatchGrpc(
            m.readString(names[0], names[1]),
            m.readString(names[2], names[3]),
            m.readString(names[4], names[5]),
            metadata,
            message,
            message == null,
            timeoutMillis);
    m.writeI32(tokenPtr, token);
    return OK;
  }

  public int proxyGrpcSend(
      GuestMemory m, int token, int messagePtr, int messageSize, int endOfStream) {
    return status(state.grpcSend(token, m.read(messagePtr, messageSize), endOfStream != 0));
  }

  public int proxyGrpcCancel(GuestMemory m, int token) {
    return status(state.grpcCancel(token));
  }

  public int proxyGrpcClose(GuestMemory m, int token) {
    return status(state.grpcClose(token));
  }

  public int proxyCallForeignFunction(
      GuestMemory m,
      int namePtr,
      int nameSize,
      int argumentPtr,
      int argumentSize,
      int resultPtrPtr,
      int resultSizePtr) {
    return found(
        m,
        state.callForeignFunction(
            m.readString(namePtr, nameSize), m.read(argumentPtr, argumentSize)),
        resultPtrPtr,
        resultSizePtr);
  }

  // ---- Redis (Higress) ----------------------------------------------------------------------

  public int proxyRedisInit(
      GuestMemory m,
      int upstreamPtr,
      int upstreamSize,
      int usernamePtr,
      int usernameSize,
      int passwordPtr,
      int passwordSize,
      int timeoutMillis) {
    return status(
        state.initRedis(
            m.readString(upstreamPtr, upstreamSize),
            m.readString(usernamePtr, usernameSize),
            m.readString(passwordPtr, passwordSize),
            timeoutMillis));
  }

  public int proxyRedisCall(
      GuestMemory m, int upstreamPtr, int upstreamSize, int queryPtr, int querySize, int tokenPtr) {
    Status[] st = new Status[1];
    int token =
        state.dispatchRedisCall(
            m.readString(upstreamPtr, upstreamSize), m.read(queryPtr, querySize), st);
    if (st[0] != Status.OK) {
      return status(st[0]);
    }
    m.writeI32(tokenPtr, token);
    return OK;
  }

  /** {@code value} returned in memory the module allocates, or NOT_FOUND if there is none. */
  private static int found(GuestMemory m, byte[] value, int valuePtrPtr, int valueSizePtr) {
    return value == null ? NOT_FOUND : status(m.returnBytes(value, valuePtrPtr, valueSizePtr));
  }

  // ---- ABI codes ----------------------------------------------------------------------------

  private MutableHeaders headers(int mapType) {
    MapType type = byCode(MapType.values(), MapType::code, mapType);
    return type == null ? null : state.headers(type);
  }

  private static BufferType bufferType(int code) {
    return byCode(BufferType.values(), BufferType::code, code);
  }

  private static MetricType metricType(int code) {
    return byCode(MetricType.values(), MetricType::code, code);
  }

  private static StreamType streamType(int code) {
    return byCode(StreamType.values(), StreamType::code, code);
  }

  /** The constant with ABI code {@code code}, or null for a code the ABI does not define. */
  private static <E> E byCode(E[] values, ToIntFunction<E> codeOf, int code) {
    for (E e : values) {
      if (codeOf.applyAsInt(e) == code) {
        return e;
      }
    }
    return null;
  }

  private static List<String> path(byte[] raw) {
    return Arrays.asList(new String(raw, StandardCharsets.UTF_8).split("\u0000", -1));
  }
}
