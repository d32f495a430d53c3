package io.rustless.testing.emulator;

import io.rustless.sdk.host.BufferType;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.sdk.host.LogLevel;
import io.rustless.sdk.host.MapType;
import io.rustless.sdk.host.Status;
import io.rustless.sdk.host.StreamType;
import io.rustless.testing.LocalResponse;
import io.rustless.testing.LogEntry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

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
    StreamState s = effectiveStream();
    return s == null ? null : s.map(type);
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

  public Status done() {
    doneCalls++;
    return Status.OK;
  }

  public int doneCalls() {
    return doneCalls;
  }
}
