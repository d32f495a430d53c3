package io.rustless.testing.wasm;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.Instance;
import io.rustless.sdk.host.LogLevel;
import io.rustless.testing.emulator.ProxyState;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;

/**
 * The part of WASI preview1 that Envoy implements, and nothing more: a module that needs any other
 * WASI function fails to link here as it would in the gateway. Like Envoy, output written to
 * stdout/stderr becomes log lines (info/error).
 */
final class EnvoyWasi {
  private static final int ERRNO_SUCCESS = 0;
  private static final int ERRNO_BADF = 8;
  private static final int ERRNO_INVAL = 28;

  /** {@code proc_exit} was called; the module cannot continue. */
  static final class ProcExit extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ProcExit(int code) {
      super("proc_exit(" + code + ")");
    }
  }

  private final ProxyState state;
  private final HostModules wasi;
  private final SecureRandom random = new SecureRandom();
  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

  EnvoyWasi(ProxyState state, Map<Instance, GuestMemory> memories) {
    this.state = state;
    this.wasi = new HostModules("wasi_snapshot_preview1", memories);
    define();
  }

  List<HostFunction> functions() {
    return wasi.functions();
  }

  boolean provides(String name) {
    return wasi.provides(name);
  }

  private void define() {
    wasi.raw(
        "fd_write",
        "iiii",
        "i",
        (m, a) -> {
          int fd = (int) a[0];
          if (fd != 1 && fd != 2) {
            return ERRNO_BADF;
          }
          ByteArrayOutputStream out = fd == 1 ? stdout : stderr;
          long written = 0;
          for (int k = 0; k < (int) a[2]; k++) {
            long iov = a[1] + 8L * k;
            byte[] pair = m.read(iov, 8);
            int ptr = le(pair, 0);
            int len = le(pair, 4);
            out.writeBytes(m.read(ptr, len));
            written += len;
          }
          m.writeI32(a[3], (int) written);
          flushLines(out, fd == 1 ? LogLevel.INFO : LogLevel.ERROR);
          return ERRNO_SUCCESS;
        });
    wasi.raw(
        "clock_time_get",
        "iIi",
        "i",
        (m, a) -> {
          int clock = (int) a[0];
          if (clock < 0 || clock > 3) {
            return ERRNO_INVAL;
          }
          m.writeI64(a[2], clock == 1 ? System.nanoTime() : state.nowNanos());
          return ERRNO_SUCCESS;
        });
    wasi.raw(
        "random_get",
        "ii",
        "i",
        (m, a) -> {
          byte[] bytes = new byte[(int) a[1]];
          random.nextBytes(bytes);
          m.write(a[0], bytes);
          return ERRNO_SUCCESS;
        });
    wasi.raw(
        "proc_exit",
        "i",
        "",
        (m, a) -> {
          throw new ProcExit((int) a[0]);
        });
    wasi.raw("environ_sizes_get", "ii", "i", EnvoyWasi::zeroes);
    wasi.raw("environ_get", "ii", "i", (m, a) -> ERRNO_SUCCESS);
    wasi.raw("args_sizes_get", "ii", "i", EnvoyWasi::zeroes);
    wasi.raw("args_get", "ii", "i", (m, a) -> ERRNO_SUCCESS);
  }

  private static long zeroes(GuestMemory m, long[] a) {
    m.writeI32(a[0], 0);
    m.writeI32(a[1], 0);
    return ERRNO_SUCCESS;
  }

  private void flushLines(ByteArrayOutputStream out, LogLevel level) {
    byte[] all = out.toByteArray();
    int start = 0;
    for (int k = 0; k < all.length; k++) {
      if (all[k] == '\n') {
        state.log(level, new String(all, start, k - start, StandardCharsets.UTF_8));
        start = k + 1;
      }
    }
    out.reset();
    out.write(all, start, all.length - start);
  }

  private static int le(byte[] b, int off) {
    return (b[off] & 0xFF)
        | (b[off + 1] & 0xFF) << 8
        | (b[off + 2] & 0xFF) << 16
        | (b[off + 3] & 0xFF) << 24;
  }
}
