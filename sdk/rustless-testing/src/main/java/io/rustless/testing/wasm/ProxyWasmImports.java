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
        "proxy_set_effective_context", "i", (m, a) -> ok(state.switchEffectiveContext(i(a[0]))));
    env.status("proxy_done", "", (m, a) -> ok(state.done()));
  }

  private MutableHeaders headers(long code) {
    MapType type = mapType(code);
    return type == null ? null : state.headers(type);
  }
}
