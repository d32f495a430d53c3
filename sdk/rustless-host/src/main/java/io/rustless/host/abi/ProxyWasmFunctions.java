package io.rustless.testing.wasm;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.Instance;
import io.rustless.sdk.host.BufferType;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.sdk.host.LogLevel;
import io.rustless.sdk.host.MapType;
import io.rustless.sdk.host.Status;
import io.rustless.sdk.host.StreamType;
import io.rustless.testing.emulator.MutableHeaders;
import io.rustless.testing.emulator.ProxyState;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The {@code env} module of Rustless's proxy-wasm host: the ABI's host functions over a {@link
 * ProxyState}. Written from the proxy-wasm 0.2.1 spec and Envoy's behaviour, independently of the
 * SDK's side, so that a mistake in one is caught by the other.
 */
final class ProxyWasmImports {
  private final ProxyState state;
  private final HostModules env;

  ProxyWasmImports(ProxyState state, Map<Instance, GuestMemory> memories) {
    this.state = state;
    this.env = new HostModules("env", memories);
    define();
  }

  List<HostFunction> functions() {
    return env.functions();
  }

  boolean provides(String name) {
    return env.provides(name);
  }

  private static int i(long v) {
    return (int) v;
  }

  private static long ok(Status s) {
    return s.code();
  }

  private static MapType mapType(long code) {
    for (MapType t : MapType.values()) {
      if (t.code() == code) {
        return t;
      }
    }
    return null;
  }

  private static BufferType bufferType(long code) {
    for (BufferType t : BufferType.values()) {
      if (t.code() == code) {
        return t;
      }
    }
    return null;
  }

  private static io.rustless.sdk.host.MetricType metricType(long code) {
    for (io.rustless.sdk.host.MetricType t : io.rustless.sdk.host.MetricType.values()) {
      if (t.code() == code) {
        return t;
      }
    }
    return null;
  }

  private static StreamType streamType(long code) {
    for (StreamType t : StreamType.values()) {
      if (t.code() == code) {
        return t;
      }
    }
    return null;
  }

  private static List<String> path(byte[] raw) {
    return Arrays.asList(new String(raw, StandardCharsets.UTF_8).split("\u0000", -1));
  }

  private void define() {
    env.status(
        "proxy_log",
        "iii",
        (m, a) -> {
          int level = i(a[0]);
          if (level < 0 || level > 5) {
            return ok(Status.BAD_ARGUMENT);
          }
          state.log(LogLevel.fromCode(level), m.readString(a[1], a[2]));
          return ok(Status.OK);
        });
    env.status(
        "proxy_get_log_level",
        "i",
        (m, a) -> {
          m.writeI32(a[0], state.logLevel().code());
          return ok(Status.OK);
        });
    env.status(
        "proxy_get_current_time_nanoseconds",
        "i",
        (m, a) -> {
          m.writeI64(a[0], state.nowNanos());
          return ok(Status.OK);
        });
    env.status(
        "proxy_get_buffer_bytes",
        "iiiii",
        (m, a) -> {
          BufferType type = bufferType(a[0]);
          if (type == null) {
            return ok(Status.BAD_ARGUMENT);
          }
          byte[] data = state.getBuffer(type, i(a[1]), i(a[2]));
          if (data == null) {
            return ok(Status.NOT_FOUND);
          }
          return ok(m.returnBytes(data, a[3], a[4]));
        });
    env.status(
        "proxy_set_buffer_bytes",
        "iiiii",
        (m, a) -> {
          BufferType type = bufferType(a[0]);
          if (type == null) {
            return ok(Status.BAD_ARGUMENT);
          }
          return ok(state.setBuffer(type, i(a[1]), i(a[2]), m.read(a[3], a[4])));
        });
    env.status(
        "proxy_get_header_map_pairs",
        "iii",
        (m, a) -> {
          MutableHeaders h = headers(a[0]);
          if (h == null) {
            return ok(Status.BAD_ARGUMENT);
          }
          HeaderMap map = h.toHeaderMap();
          byte[] data = map.isEmpty() ? new byte[0] : GuestMemory.pairs(map);
          return ok(m.returnBytes(data, a[1], a[2]));
        });
    env.status(
        "proxy_set_header_map_pairs",
        "iii",
        (m, a) -> {
          MutableHeaders h = headers(a[0]);
          HeaderMap map = m.readPairs(a[1], a[2]);
          if (h == null || map == null) {
            return ok(Status.BAD_ARGUMENT);
          }
          h.setAll(map);
          return ok(Status.OK);
        });
    env.status(
        "proxy_get_header_map_value",
        "iiiii",
        (m, a) -> {
          MutableHeaders h = headers(a[0]);
          if (h == null) {
            return ok(Status.BAD_ARGUMENT);
          }
          byte[] value = h.get(m.readString(a[1], a[2]));
          if (value == null) {
            return ok(Status.NOT_FOUND);
          }
          return ok(m.returnBytes(value, a[3], a[4]));
        });
    env.status(
        "proxy_add_header_map_value",
        "iiiii",
        (m, a) -> {
          MutableHeaders h = headers(a[0]);
          if (h == null) {
            return ok(Status.BAD_ARGUMENT);
          }
          h.add(m.readString(a[1], a[2]), m.read(a[3], a[4]));
          return ok(Status.OK);
        });
    env.status(
        "proxy_replace_header_map_value",
        "iiiii",
        (m, a) -> {
          MutableHeaders h = headers(a[0]);
          if (h == null) {
            return ok(Status.BAD_ARGUMENT);
          }
          h.replace(m.readString(a[1], a[2]), m.read(a[3], a[4]));
          return ok(Status.OK);
        });
    env.status(
        "proxy_remove_header_map_value",
        "iii",
        (m, a) -> {
          MutableHeaders h = headers(a[0]);
          if (h == null) {
            return ok(Status.BAD_ARGUMENT);
          }
          h.remove(m.readString(a[1], a[2]));
          return ok(Status.OK);
        });
    env.status(
        "proxy_get_property",
        "iiii",
        (m, a) -> {
          byte[] value = state.getProperty(path(m.read(a[0], a[1])));
          if (value == null) {
            return ok(Status.NOT_FOUND);
          }
          return ok(m.returnBytes(value, a[2], a[3]));
        });
    env.status(
        "proxy_set_property",
        "iiii",
        (m, a) -> {
          state.setProperty(path(m.read(a[0], a[1])), m.read(a[2], a[3]));
          return ok(Status.OK);
        });
    env.status(
        "proxy_send_local_response",
        "iiiiiiii",
        (m, a) -> {
          HeaderMap headers = m.readPairs(a[5], a[6]);
          if (headers == null) {
            return ok(Status.BAD_ARGUMENT);
          }
          return ok(
              state.sendLocalResponse(
                  i(a[0]), m.readString(a[1], a[2]), m.read(a[3], a[4]), headers, i(a[7])));
        });
    env.status(
        "proxy_continue_stream",
        "i",
        (m, a) -> {
          StreamType t = streamType(a[0]);
          return t == null ? ok(Status.BAD_ARGUMENT) : ok(state.continueStream(t));
        });
    env.status(
        "proxy_close_stream",
        "i",
        (m, a) -> {
          StreamType t = streamType(a[0]);
          return t == null ? ok(Status.BAD_ARGUMENT) : ok(state.closeStream(t));
        });
    env.status(
        "proxy_get_header_map_size",
        "ii",
        (m, a) -> {
          MutableHeaders h = headers(a[0]);
          if (h == null) {
            return ok(Status.BAD_ARGUMENT);
          }
          m.writeI32(a[1], h.size());
          return ok(Status.OK);
        });
    env.status(
        "proxy_set_tick_period_milliseconds", "i", (m, a) -> ok(state.setTickPeriod(i(a[0]))));
    env.status(
        "proxy_get_shared_data",
        "iiiii",
        (m, a) -> {
          io.rustless.sdk.host.SharedData d = state.getSharedData(m.readString(a[0], a[1]));
          if (d == null) {
            return ok(Status.NOT_FOUND);
          }
          Status st = m.returnBytes(d.value(), a[2], a[3]);
          m.writeI32(a[4], d.cas());
          return ok(st);
        });
    env.status(
        "proxy_set_shared_data",
        "iiiii",
        (m, a) -> ok(state.setSharedData(m.readString(a[0], a[1]), m.read(a[2], a[3]), i(a[4]))));
    env.status(
        "proxy_register_shared_queue",
        "iii",
        (m, a) -> {
          m.writeI32(a[2], state.registerQueue(m.readString(a[0], a[1])));
          return ok(Status.OK);
        });
    env.status(
        "proxy_resolve_shared_queue",
        "iiiii",
        (m, a) -> {
          int id = state.resolveQueue(m.readString(a[0], a[1]), m.readString(a[2], a[3]));
          if (id < 0) {
            return ok(Status.NOT_FOUND);
          }
          m.writeI32(a[4], id);
          return ok(Status.OK);
        });
    env.status(
        "proxy_enqueue_shared_queue",
        "iii",
        (m, a) -> ok(state.enqueue(i(a[0]), m.read(a[1], a[2]))));
    env.status(
        "proxy_dequeue_shared_queue",
        "iii",
        (m, a) -> {
          Status[] st = new Status[1];
          byte[] item = state.dequeue(i(a[0]), st);
          if (st[0] != Status.OK) {
            return ok(st[0]);
          }
          return ok(m.returnBytes(item, a[1], a[2]));
        });
    env.status(
        "proxy_define_metric",
        "iiii",
        (m, a) -> {
          io.rustless.sdk.host.MetricType type = metricType(a[0]);
          if (type == null) {
            return ok(Status.BAD_ARGUMENT);
          }
          m.writeI32(a[3], state.defineMetric(type, m.readString(a[1], a[2])));
          return ok(Status.OK);
        });
    env.status("proxy_increment_metric", "iI", (m, a) -> ok(state.incrementMetric(i(a[0]), a[1])));
    env.status("proxy_record_metric", "iI", (m, a) -> ok(state.recordMetric(i(a[0]), a[1])));
    env.status(
        "proxy_get_metric",
        "ii",
        (m, a) -> {
          io.rustless.testing.emulator.ProxyState.Metric metric = state.metric(i(a[0]));
          if (metric == null) {
            return ok(Status.NOT_FOUND);
          }
          m.writeI64(a[1], metric.value());
          return ok(Status.OK);
        });
    env.status(
        "proxy_http_call",
        "iiiiiiiiii",
        (m, a) -> {
          HeaderMap headers = m.readPairs(a[2], a[3]);
          HeaderMap trailers = m.readPairs(a[6], a[7]);
          if (headers == null || trailers == null) {
            return ok(Status.BAD_ARGUMENT);
          }
          int token =
              state.dispatchHttpCall(
                  m.readString(a[0], a[1]), headers, m.read(a[4], a[5]), trailers, i(a[8]));
          m.writeI32(a[9], token);
          return ok(Status.OK);
        });
    env.status(
        "proxy_grpc_call",
        "iiiiiiiiiiii",
        (m, a) -> {
          HeaderMap metadata = m.readPairs(a[6], a[7]);
          if (metadata == null) {
            return ok(Status.BAD_ARGUMENT);
          }
          int token =
              state.dispatchGrpc(
                  m.readString(a[0], a[1]),
                  m.readString(a[2], a[3]),
                  m.readString(a[4], a[5]),
                  metadata,
                  m.read(a[8], a[9]),
                  false,
                  i(a[10]));
          m.writeI32(a[11], token);
          return ok(Status.OK);
        });
    env.status(
        "proxy_grpc_stream",
        "iiiiiiiii",
        (m, a) -> {
          HeaderMap metadata = m.readPairs(a[6], a[7]);
          if (metadata == null) {
            return ok(Status.BAD_ARGUMENT);
          }
          int token =
              state.dispatchGrpc(
                  m.readString(a[0], a[1]),
                  m.readString(a[2], a[3]),
                  m.readString(a[4], a[5]),
                  metadata,
                  null,
                  true,
                  0);
          m.writeI32(a[8], token);
          return ok(Status.OK);
        });
    env.status(
        "proxy_grpc_send",
        "iiii",
        (m, a) -> {
          io.rustless.testing.GrpcCallout c = state.grpcCallout(i(a[0]));
          if (c == null) {
            return ok(Status.NOT_FOUND);
          }
          c.recordMessage(m.read(a[1], a[2]), a[3] != 0);
          return ok(Status.OK);
        });
    env.status(
        "proxy_grpc_cancel",
        "i",
        (m, a) -> {
          io.rustless.testing.GrpcCallout c = state.grpcCallout(i(a[0]));
          if (c == null) {
            return ok(Status.NOT_FOUND);
          }
          c.cancel();
          return ok(Status.OK);
        });
    env.status(
        "proxy_grpc_close",
        "i",
        (m, a) -> {
          io.rustless.testing.GrpcCallout c = state.grpcCallout(i(a[0]));
          if (c == null) {
            return ok(Status.NOT_FOUND);
          }
          c.close();
          return ok(Status.OK);
        });
    env.status(
        "proxy_call_foreign_function",
        "iiiiii",
        (m, a) -> {
          byte[] result = state.callForeignFunction(m.readString(a[0], a[1]), m.read(a[2], a[3]));
          if (result == null) {
            return ok(Status.NOT_FOUND);
          }
          return ok(m.returnBytes(result, a[4], a[5]));
        });
    env.status(
        "proxy_redis_init",
        "iiiiiii",
        (m, a) ->
            ok(
                state.initRedis(
                    m.readString(a[0], a[1]),
                    m.readString(a[2], a[3]),
                    m.readString(a[4], a[5]),
                    i(a[6]))));
    env.status(
        "proxy_redis_call",
        "iiiii",
        (m, a) -> {
          Status[] st = new Status[1];
          int token = state.dispatchRedisCall(m.readString(a[0], a[1]), m.read(a[2], a[3]), st);
          if (st[0] != Status.OK) {
            return ok(st[0]);
          }
          m.writeI32(a[4], token);
          return ok(Status.OK);
        });
    env.status(
        "proxy_set_effective_context", "i", (m, a) -> ok(state.switchEffectiveContext(i(a[0]))));
    env.status("proxy_done", "", (m, a) -> ok(state.done()));
  }

  private MutableHeaders headers(long code) {
    MapType type = mapType(code);
    return type == null ? null : state.headers(type);
  }
}
