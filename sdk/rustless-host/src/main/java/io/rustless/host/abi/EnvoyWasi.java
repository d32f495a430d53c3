package io.rustless.host.abi;

import io.rustless.host.state.VmState;
import io.rustless.sdk.host.LogLevel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * The part of WASI preview1 that Envoy implements, and nothing more: a module that needs any other
 * WASI function fails to link here as it would in the gateway. Like Envoy, output written to
 * stdout/stderr becomes log lines (info/error). One method per function, answering a WASI errno.
 */
public final class EnvoyWasi {
  private static final int ERRNO_SUCCESS = 0;
  private static final int ERRNO_BADF = 8;
  private static final int ERRNO_INVAL = 28;

  /** {@code proc_exit} was called; the module cannot continue. */
  public static final class ProcExit extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ProcExit(int code) {
      super("proc_exit(" + code + ")");
    }
  }

  private final VmState state;
  private final SecureRandom random = new SecureRandom();
  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

  public EnvoyWasi(VmState state) {
    this.state = state;
  }

  public int fdWrite(GuestMemory m, int fd, int iovsPtr, int iovsCount, int writtenPtr) {
    if (fd != 1 && fd != 2) {
      return ERRNO_BADF;
    }
    ByteArrayOutputStream out = fd == 1 ? stdout : stderr;
    long written = 0;
    for (int k = 0; k < iovsCount; k++) {
      byte[] iov = m.read(iovsPtr + 8 * k, 8);
      int len = le(iov, 4);
      out.writeBytes(m.read(le(iov, 0), len));
      written += len;
    }
    m.writeI32(writtenPtr, (int) written);
    flushLines(out, fd == 1 ? LogLevel.INFO : LogLevel.ERROR);
    return ERRNO_SUCCESS;
  }

  public int clockTimeGet(GuestMemory m, int clockId, long precision, int timePtr) {
    if (clockId < 0 || clockId > 3) {
      return ERRNO_INVAL;
    }
    m.writeI64(timePtr, clockId == 1 ? System.nanoTime() : state.nowNanos());
    return ERRNO_SUCCESS;
  }

  public int randomGet(GuestMemory m, int bufPtr, int bufLen) {
    byte[] bytes = new byte[bufLen];
    random.nextBytes(bytes);
    m.write(bufPtr, bytes);
    return ERRNO_SUCCESS;
  }

  public void procExit(GuestMemory m, int code) {
    throw new ProcExit(code);
  }

  public int environSizesGet(GuestMemory m, int countPtr, int sizePtr) {
    return zeroes(m, countPtr, sizePtr);
  }

  public int environGet(GuestMemory m, int environPtr, int environBufPtr) {
    return ERRNO_SUCCESS;
  }

  public int argsSizesGet(GuestMemory m, int countPtr, int sizePtr) {
    return zeroes(m, countPtr, sizePtr);
  }

  public int argsGet(GuestMemory m, int argvPtr, int argvBufPtr) {
    return ERRNO_SUCCESS;
  }

  private static int zeroes(GuestMemory m, int countPtr, int sizePtr) {
    m.writeI32(countPtr, 0);
    m.writeI32(sizePtr, 0);
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
